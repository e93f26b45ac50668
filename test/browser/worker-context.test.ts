import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import { decodeWindows1252, decoderLabel } from '#core/bytes.ts';
import { checkMessage, orderHistoryFrom } from '#core/check/index.ts';
// @ts-expect-error: a plain .mjs build script, without types
import { bundleWorker } from '#scripts/browser-bundles.mjs';
import { reconcileFiles } from '../helpers/ledger.ts';
import { filesUnder } from '../helpers/files.ts';
import { caseBytes } from '../helpers/rule-cases.ts';

/**
 * The core as a browser runs it: the check worker is bundled for the browser (esbuild platform=browser) and run in
 * a V8 context that holds only what a Web Worker has — no Buffer, no process, no require, no Node modules — and
 * whose TextDecoder reads latin1 as windows-1252, as browsers (and Node 22/24) do. Every rule case and every mail
 * fixture must give exactly what the same core gives under Node.
 */

const root = join(import.meta.dirname, '..', '..');

/** The WHATWG TextDecoder, as a browser has it (Node 20 reads latin1/windows-1252 as ISO-8859-1). */
class BrowserTextDecoder {
  readonly #inner: InstanceType<typeof TextDecoder> | null;
  readonly encoding: string;
  constructor(label = 'utf-8', options?: ConstructorParameters<typeof TextDecoder>[1]) {
    const mapped = decoderLabel(label);
    this.#inner =
      mapped === 'windows-1252' || mapped === 'iso-8859-1' ? null : new TextDecoder(label, options);
    this.encoding = this.#inner ? this.#inner.encoding : 'windows-1252';
  }
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string {
    if (this.#inner) return this.#inner.decode(input as Uint8Array | undefined, options);
    if (!input) return '';
    const bytes = ArrayBuffer.isView(input)
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : new Uint8Array(input);
    return decodeWindows1252(bytes);
  }
}

interface Harness {
  request(type: string, payload: Record<string, unknown>, bytes?: Uint8Array): Promise<unknown>;
  /** A copy of the bytes made inside the worker's realm (what postMessage would hand the worker). */
  copyIn(bytes: Uint8Array): Uint8Array;
  globals: string[];
}

function workerContext(code: string, filename: string): Harness {
  const listeners: ((e: { data: unknown }) => void)[] = [];
  const pending = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>();
  const sandbox: Record<string, unknown> = {
    TextDecoder: BrowserTextDecoder,
    TextEncoder,
    URL,
    URLSearchParams,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    crypto: webcrypto,
    // The Web platform objects a worker has (and Node has too); never fetch, XMLHttpRequest or WebSocket.
    ...Object.fromEntries(
      [
        'Blob',
        'File',
        'ReadableStream',
        'WritableStream',
        'TransformStream',
        'TextDecoderStream',
        'TextEncoderStream',
        'CompressionStream',
        'DecompressionStream',
        'AbortController',
        'AbortSignal',
        'Event',
        'EventTarget',
        'DOMException',
        'MessageChannel',
      ].map((name) => [name, (globalThis as Record<string, unknown>)[name]]),
    ),
    performance: { now: () => performance.now() },
    addEventListener: (type: string, l: (e: { data: unknown }) => void) => {
      if (type === 'message') listeners.push(l);
    },
    postMessage: (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      // What crosses postMessage is a structured clone: JSON-safe values here.
      pending.get(m.id)?.(JSON.parse(JSON.stringify(m)));
      pending.delete(m.id);
    },
  };
  const context = vm.createContext(sandbox, { name: 'web-worker' });
  vm.runInContext('globalThis.self = globalThis;', context);
  vm.runInContext(code, context, { filename });
  const copyIn = vm.runInContext('(a) => new Uint8Array(a)', context) as (a: Uint8Array) => Uint8Array;
  let next = 1;
  return {
    globals: vm.runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[],
    copyIn,
    request(type, payload, bytes) {
      const id = next++;
      const data = { id, type, payload: bytes ? { ...payload, bytes: copyIn(bytes) } : payload };
      return new Promise((resolve, reject) => {
        pending.set(id, (r) => (r.ok ? resolve(r.value) : reject(new Error(r.error))));
        for (const l of listeners) l({ data });
      });
    },
  };
}

const knowledge = loadKnowledge();
let worker: Harness;
let inputs: string[];

beforeAll(async () => {
  const bundle = await bundleWorker('check');
  inputs = bundle.inputs;
  worker = workerContext(bundle.code, 'check-worker.js');
});

const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the check worker, bundled for the browser', () => {
  it('holds no Node module, no zod and no password dictionaries', () => {
    const bad = inputs.filter(
      (i) =>
        /(^|\/)node_modules\/(zod|@zxcvbn-ts|yaml|better-sqlite3|mailauth)\//.test(i) || /^node:/.test(i),
    );
    expect(bad).toEqual([]);
  });

  it('runs where there is no Buffer, process or require', () => {
    expect(worker.globals).not.toContain('Buffer');
    expect(worker.globals).not.toContain('process');
    expect(worker.globals).not.toContain('require');
  });

  it('gives every rule case the same outcome as under Node', async () => {
    const rules = loadKnowledgeSpec().rules;
    let n = 0;
    for (const rule of rules)
      for (const c of rule.cases) {
        const bytes = caseBytes(c);
        const node = await checkMessage(bytes, knowledge, {
          orders: c.orders ? orderHistoryFrom(c.orders) : null,
        });
        const browser = await worker.request('check', { orders: c.orders ?? null }, bytes);
        expect(browser, `${rule.id} (${c.expect}${c.note ? ': ' + c.note : ''})`).toEqual(plain(node));
        n++;
      }
    expect(n).toBeGreaterThan(80);
  });

  it('gives every mail fixture the same outcome as under Node', async () => {
    const files = filesUnder(join(root, 'test', 'fixtures', 'mail'), /\.(eml|txt)$/);
    expect(files.length).toBeGreaterThan(40);
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      const node = await checkMessage(bytes, knowledge);
      const browser = await worker.request('check', {}, bytes);
      expect(browser, f).toEqual(plain(node));
    }
  });

  it('keeps the IDN look-alike in Unicode (аmazon.com, not xn--…)', async () => {
    const rule = loadKnowledgeSpec().rules.find((r) => r.id === 'link.lookalike-host')!;
    const idn = rule.cases.find((c) => c.expect === 'hit' && c.mail.includes('xn--'))!;
    const out = (await worker.request('check', {}, caseBytes(idn))) as {
      result: { findings: { id: string; params: Record<string, string> }[] };
    };
    const param = (id: string, key: string) => out.result.findings.find((x) => x.id === id)?.params[key];
    expect(param('link.lookalike-host', 'host')).toBe('\u0430mazon.com');
    expect(param('link.punycode', 'unicode')).toBe('\u0430mazon.com');
  });
});

describe('the reconcile worker, bundled for the browser', () => {
  let rworker: Harness;
  let rinputs: string[];
  beforeAll(async () => {
    const bundle = await bundleWorker('reconcile');
    rinputs = bundle.inputs;
    rworker = workerContext(bundle.code, 'reconcile-worker.js');
  });

  it('holds no Node module and no password dictionaries', () => {
    expect(
      rinputs.filter(
        (i) => /node_modules\/(zod|@zxcvbn-ts|yaml|better-sqlite3|yauzl)\//.test(i) || /^node:/.test(i),
      ),
    ).toEqual([]);
  });

  const scenarios: [string, string[]][] = [
    ['innocent-panic', ['order-history-filter.csv', 'amex.csv']],
    ['household', ['export-folder/Your Amazon Orders/Order History.csv', 'rakuten-card.csv']],
  ];
  for (const [name, files] of scenarios) {
    it(`explains the ${name} scenario's charges as the CLI's importer and reconciler do`, async () => {
      const dir = join(root, 'test/fixtures/ledger/scenarios', name);
      const paths = files.map((f) => join(dir, f));
      const node = await reconcileFiles(paths);
      const reply = (await rworker.request('reconcile', {
        files: paths.map((p, i) => ({
          name: files[i]!,
          bytes: rworker.copyIn(new Uint8Array(readFileSync(p))),
        })),
      })) as { result: typeof node; outcomes: { ok: boolean }[] };
      expect(reply.outcomes.map((o) => o.ok)).toEqual(files.map(() => true));
      const view = (r: typeof node) =>
        r.charges.map((c) => ({
          key: c.key,
          category: c.category,
          risk: c.risk,
          findings: c.findings,
          orderIds: c.orderIds,
        }));
      expect(reply.result.charges.length).toBeGreaterThan(3);
      expect(view(reply.result)).toEqual(plain(view(node)));
      expect(reply.result.summary).toEqual(plain(node.summary));
    });
  }

  it('reports a file it cannot use as a problem value, and still explains the others', async () => {
    const dir = join(root, 'test/fixtures/ledger/scenarios/innocent-panic');
    const reply = (await rworker.request('reconcile', {
      files: [
        { name: 'notes.csv', bytes: rworker.copyIn(new TextEncoder().encode('memo,text\nhello,world\n')) },
        { name: 'amex.csv', bytes: rworker.copyIn(new Uint8Array(readFileSync(join(dir, 'amex.csv')))) },
      ],
    })) as { result: { charges: unknown[] } | null; outcomes: { ok: boolean; problem?: { code: string } }[] };
    expect(reply.outcomes[0]!.ok).toBe(false);
    expect(reply.outcomes[0]!.problem?.code).toMatch(/^[a-z-]+$/);
    expect(reply.outcomes[1]!.ok).toBe(true);
    expect(reply.result!.charges.length).toBeGreaterThan(0);
  });
});
