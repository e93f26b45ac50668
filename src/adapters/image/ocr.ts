import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createWorker, type Worker } from 'tesseract.js';
import type { OcrLine } from '#core/ports/image-reader.ts';
import { tesseractLines } from './read-picture.ts';

const require = createRequire(import.meta.url);

/** Where the installed files are: the models (`@tesseract.js-data/{jpn,eng}` 4.0.0_best_int), the worker, the core. */
export function tesseractFiles() {
  const model = (lang: string) =>
    join(
      dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)),
      '4.0.0_best_int',
      `${lang}.traineddata.gz`,
    );
  const pkg = dirname(require.resolve('tesseract.js/package.json'));
  return {
    models: { jpn: model('jpn'), eng: model('eng') },
    workerPath: join(pkg, 'src', 'worker-script', 'node', 'index.js'),
    corePath: dirname(require.resolve('tesseract.js-core/package.json')),
  };
}

/**
 * tesseract.js reads every language from one folder (`langPath`), and the two models live in two packages: a folder
 * of links to them (copies where links are not allowed) is made once in the temporary directory. A local path, so
 * the worker reads files and never fetches; `cacheMethod: 'none'` keeps it from writing a cache into the cwd.
 */
function langFolder(models: Record<string, string>): string {
  let dir = join(tmpdir(), `mamori-ocr-${process.getuid?.() ?? 'u'}-4.0.0_best_int`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A folder someone else made (or a link planted there) is not used: a fresh private one is made instead.
  const st = lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0)
    dir = mkdtempSync(join(tmpdir(), 'mamori-ocr-'));
  const have = new Set(readdirSync(dir));
  for (const [lang, file] of Object.entries(models)) {
    const name = `${lang}.traineddata.gz`;
    if (have.has(name) && existsSync(join(dir, name))) continue;
    try {
      symlinkSync(file, join(dir, name));
    } catch {
      copyFileSync(file, join(dir, name));
    }
  }
  return dir;
}

export interface OcrOptions {
  /** A module the worker imports first (a test loads the network tripwire there). */
  preload?: string;
}

/**
 * The worker's entry: a module given as a data: URL (nothing written to disk) that removes `fetch` from the worker
 * (tesseract.js would fetch a model from a CDN if a language were missing; here that fails instead), silences the
 * engine's console chatter (its errors still come back as rejections), then runs tesseract.js's Node worker script.
 */
export function workerEntry(workerScript: string, preload?: string): URL {
  const code = [
    preload ? `import ${JSON.stringify(pathToFileURL(preload).href)};` : '',
    `import { createRequire } from 'node:module';`,
    `globalThis.fetch = () => Promise.reject(new Error('mamori: OCR never fetches anything'));`,
    `for (const k of ['log', 'info', 'warn', 'error', 'debug']) console[k] = () => {};`,
    `createRequire(${JSON.stringify(pathToFileURL(workerScript).href)})(${JSON.stringify(workerScript)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** One tesseract.js worker (Japanese + English), started on first use, restarted after a timeout. */
export class Ocr {
  #worker: Promise<Worker> | null = null;
  constructor(private readonly options: OcrOptions = {}) {}

  #start(): Promise<Worker> {
    const files = tesseractFiles();
    return createWorker(['jpn', 'eng'], 1, {
      langPath: langFolder(files.models),
      // tesseract.js hands workerPath to `new Worker()`, which takes a URL too.
      workerPath: workerEntry(files.workerPath, this.options.preload) as unknown as string,
      corePath: files.corePath,
      cacheMethod: 'none',
      gzip: true,
      errorHandler: () => {},
    });
  }

  /** The picture's text line by line, or null after `timeoutMs` (the worker is then ended; the next call restarts it). */
  async read(bytes: Uint8Array, timeoutMs: number): Promise<OcrLine[] | null> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      let late = false;
      // A picture whose deadline passed while the worker was still starting is never handed to it.
      const job = worker.then((w) =>
        late ? null : w.recognize(Buffer.from(bytes), {}, { text: false, blocks: true }),
      );
      const r = await Promise.race([job, timeout]);
      if (r === null) {
        late = true;
        job.catch(() => {});
        await this.close();
        return null;
      }
      return tesseractLines(r.data.blocks);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.then((x) => x.terminate()).catch(() => {});
  }
}
