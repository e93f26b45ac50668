import { MemoryStore } from '#core/store/memory-store.ts';
import { storeContract } from './contract.ts';

storeContract('memory', () => new MemoryStore());
