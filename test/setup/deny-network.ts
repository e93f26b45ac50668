import './deny-network.js';
