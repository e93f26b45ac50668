/** A seeded PRNG and byte mutators: the same seed gives the same inputs, so a crasher is reproduced by its seed. */
export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let s = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]! };
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Fragments that have cost parsers dearly: structure, encodings, nesting. */
const TOKENS = [
  '\r\n',
  '\n\n',
  '\r\n\r\n',
  '--b\r\n',
  '--a--\r\n',
  'Content-Type: multipart/mixed; boundary="a"\r\n',
  'Content-Type: message/rfc822\r\n',
  'Content-Transfer-Encoding: base64\r\n',
  'Content-Transfer-Encoding: quoted-printable\r\n',
  '=?utf-8?B?44GC?=',
  '=?iso-2022-jp?B?GyRCJCIbKEI=?=',
  '=\r\n',
  '=3D',
  'A=\r\n',
  '<div>',
  '<a href="https://x.example/">',
  '</a>',
  '<form action="https://x.example/">',
  '<!--',
  '<script>',
  '<style>',
  '\u001b[2J',
  '\u0000',
  '\u202e',
  'From ',
  'Subject: ',
  'From: "Amazon" <a@amazon.co.jp>\r\n',
  'Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp\r\n',
  ' ',
  '\t',
  '\u00ff',
].map(enc);

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * One mutation of `input` (or of `other`, spliced in). `maxBytes` bounds the result; amplification (a piece
 * repeated thousands of times) is what finds the quadratic paths.
 */
export function mutate(r: Rng, input: Uint8Array, other: Uint8Array, maxBytes: number): Uint8Array {
  const at = () => r.int(input.length + 1);
  let out: Uint8Array;
  switch (r.int(8)) {
    case 0: {
      out = input.slice();
      for (let k = 1 + r.int(8); k > 0 && out.length; k--) out[r.int(out.length)] = r.int(256);
      break;
    }
    case 1: {
      const a = at();
      out = concat([input.subarray(0, a), r.pick(TOKENS), input.subarray(a)]);
      break;
    }
    case 2: {
      const a = at();
      const b = Math.min(input.length, a + r.int(64));
      out = concat([input.subarray(0, a), input.subarray(b)]);
      break;
    }
    case 3: {
      // Amplify a piece of the input or a token.
      const piece = r.next() < 0.5 ? r.pick(TOKENS) : input.subarray(at()).subarray(0, 1 + r.int(80));
      const times = 1 + r.int(r.next() < 0.2 ? 200_000 : 2000);
      const a = at();
      const reps = Math.min(times, Math.floor(maxBytes / Math.max(1, piece.length)));
      const rep = new Uint8Array(piece.length * reps);
      for (let i = 0; i < reps; i++) rep.set(piece, i * piece.length);
      out = concat([input.subarray(0, a), rep, input.subarray(a)]);
      break;
    }
    case 4: {
      const a = r.int(other.length + 1);
      const b = Math.min(other.length, a + r.int(4096));
      const c = at();
      out = concat([input.subarray(0, c), other.subarray(a, b), input.subarray(c)]);
      break;
    }
    case 5: {
      out = input.subarray(0, at());
      break;
    }
    case 6: {
      // Lines endings swapped: LF ↔ CRLF ↔ CR.
      const s = new TextDecoder('latin1').decode(input);
      const to = r.pick(['\n', '\r\n', '\r']);
      out = Uint8Array.from(s.replace(/\r?\n/g, to), (c) => c.charCodeAt(0) & 0xff);
      break;
    }
    default: {
      out = input.slice();
      const a = r.int(out.length + 1);
      const b = Math.min(out.length, a + 4);
      for (let i = a; i < b; i++) out[i] = r.pick([0x00, 0xff, 0x7f, 0x80, 0xfe, 0x3d, 0x2d]);
    }
  }
  return out.length > maxBytes ? out.subarray(0, maxBytes) : out;
}
