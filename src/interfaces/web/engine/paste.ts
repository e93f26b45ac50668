/**
 * The web app's paste flow in the engine worker: `preview` reads what Amazon shows on screen with the core's
 * `previewPasted` and stores nothing, keeping the reading in the worker's memory under an opaque id; `commit`
 * stores that reading (`commitPasted`) once the person confirms; `discard` forgets it. The paste may hold the
 * person's name and address: it is never logged, never put into an error, and only the last few readings are
 * kept, in memory.
 */
import { commitPasted, previewPasted, type PastePreview } from '#core/app/import-pasted.ts';
import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { ImportCount, Store } from '#core/ports/store.ts';

export interface PasteInput {
  /** What was pasted into the box (or read from the clipboard). */
  text?: string;
  /** A chosen file's name: a hint for the format (.html, .mhtml, .txt); the bytes decide. */
  name?: string;
  bytes?: Uint8Array;
}

/** The core's preview, and the id to confirm it by (only a reading of order data has one). */
export interface PasteView {
  previewId: string | null;
  preview: PastePreview;
}

type Held = Extract<PastePreview, { kind: 'paste' }>;

/** Readings kept for a confirm: a person compares at most a page or two before storing. */
const KEEP = 3;

export interface PasteSessions {
  preview(input: PasteInput): Promise<PasteView>;
  commit(store: Store, previewId: string): Promise<ImportCount>;
  discard(previewId: string): boolean;
}

export function pasteSessions(deps: { knowledge: LedgerKnowledge; now(): string }): PasteSessions {
  const held = new Map<string, Held>();
  let n = 0;
  return {
    async preview({ text, name, bytes }) {
      const input = bytes ?? new TextEncoder().encode(text ?? '');
      let preview: PastePreview;
      try {
        preview = await previewPasted(input, {
          knowledge: deps.knowledge,
          ...(name ? { name } : {}),
          at: deps.now(),
        });
      } catch {
        // The error's message could quote the paste: only the key crosses to the page.
        throw new Error('web.paste.failed');
      }
      if (preview.kind !== 'paste') return { previewId: null, preview };
      const previewId = `paste-${++n}`;
      held.set(previewId, preview);
      while (held.size > KEEP) held.delete(held.keys().next().value!);
      return { previewId, preview };
    },

    async commit(store, previewId) {
      const preview = held.get(previewId);
      if (!preview) throw new Error('web.paste.expired');
      const count = await commitPasted(store, preview);
      held.delete(previewId);
      return count;
    },

    discard(previewId) {
      return held.delete(previewId);
    },
  };
}
