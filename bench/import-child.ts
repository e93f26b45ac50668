// Imports one file into a fresh store in its own process, so its peak memory is the import's alone.
import { importPath } from '#adapters/import/importer.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { Store } from '#adapters/store/store.ts';

const [file, home] = process.argv.slice(2) as [string, string];
const knowledge = loadKnowledge();
const store = Store.open(home);
let last = 0;
const r = await store.importFile(file, 'bench', async (sink) => {
  await importPath(file, sink, {
    knowledge,
    onProgress: (_f, rows) => {
      if (rows - last >= 100_000) {
        last = rows;
        process.stderr.write(`\r  progress: ${rows} rows`);
      }
    },
  });
});
process.stderr.write('\n');
store.close();
console.log(`added=${r.added} maxRssMb=${Math.round(process.resourceUsage().maxRSS / 1024)}`);
