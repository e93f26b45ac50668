import { MemoryStore } from '#core/store/memory-store.ts';
import { storeContract } from './contract.ts';

storeContract('memory', () => new MemoryStore());

// Filled and read once by its owner (reconcile with files): the same behaviour without copying the records.
storeContract('memory, records not copied', () => new MemoryStore({ copies: false }));
