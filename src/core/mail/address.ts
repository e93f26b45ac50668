import { addressParser } from 'postal-mime';
import type { Address } from 'postal-mime';
import { decodeHeaderWords, joinEncodedWords } from './decode.ts';
import type { Mailbox } from './types.ts';

/** Every mailbox in an address field, whatever its shape, and the primary one a mail reader would show. */
export interface AddressField {
  /** The first mailbox with an address; its name is every display name of the field (unquoted commas split it). */
  primary: Mailbox | null;
  /**
   * Every address the field holds: parsed ones first, then those only written as text (in a display name, after
   * a second `<…>`, in full-width or look-alike letters once NFKC-folded), each once. `inName` marks the latter.
   */
  all: Mailbox[];
  /** Every display name of the field, as decoded. */
  names: string[];
}

// An address as text: the local part and a dotted domain, in any script (raw UTF-8 addresses, look-alike letters).
const WRITTEN_ADDRESS = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

function flatten(list: Address[]): { name: string; address: string }[] {
  const out: { name: string; address: string }[] = [];
  for (const a of list) {
    if ('group' in a && Array.isArray(a.group)) {
      for (const g of a.group) out.push({ name: g.name ?? '', address: g.address ?? '' });
      if (a.group.length === 0) out.push({ name: a.name ?? '', address: '' });
    } else out.push({ name: a.name ?? '', address: 'address' in a ? (a.address ?? '') : '' });
  }
  return out;
}

/**
 * Reads an address field as it is written, hostile or not: unquoted commas in a display name ("Amazon, Support
 * <a@x>"), several addresses, encoded-word or raw UTF-8 addresses, an address spelled in the display name. No
 * address is dropped: a mail reader may show any of them, so the sender rules judge all.
 */
export function readAddressField(value: string | null | undefined, maxAddresses = 50): AddressField {
  if (!value || !value.trim()) return { primary: null, all: [], names: [] };
  let parsed: { name: string; address: string }[];
  try {
    parsed = flatten(addressParser(joinEncodedWords(value)));
  } catch {
    parsed = [];
  }
  const all: Mailbox[] = [];
  const seen = new Set<string>();
  const add = (address: string, name: string, inName: boolean) => {
    const a = address.trim().toLowerCase();
    if (!a.includes('@') || seen.has(a) || all.length >= maxAddresses) return;
    seen.add(a);
    all.push(inName ? { name, address: a, inName: true } : { name, address: a });
  };
  for (const p of parsed) add(p.address, p.name, false);
  const names = parsed.map((p) => p.name.trim()).filter(Boolean);
  // Addresses only written as text: in a name, or the whole decoded field (a second <…> the parser folded into the
  // name, a raw UTF-8 address it could not read).
  const decoded = decodeHeaderWords(value);
  for (const text of [...names, decoded]) {
    const folded = text.normalize('NFKC');
    for (const m of folded.matchAll(WRITTEN_ADDRESS)) add(m[0].replace(/^[.]+|[.]+$/g, ''), text, true);
  }
  // The primary mailbox's name is what stands before its address: the name parts an unquoted comma split off.
  const at = parsed.findIndex((p) => p.address.includes('@'));
  const own = (at < 0 ? parsed : parsed.slice(0, at + 1)).map((p) => p.name.trim()).filter(Boolean);
  const first = all.find((m) => !m.inName) ?? null;
  const name = own.join(', ');
  // An address without a domain ("<amazon>") is still what the field says, and shown as such.
  const bare = parsed
    .find((p) => p.address.trim() !== '')
    ?.address.trim()
    .toLowerCase();
  const primary = first
    ? { name, address: first.address }
    : bare
      ? { name, address: bare }
      : names.length || decoded.trim()
        ? { name: name || decoded.trim(), address: '' }
        : null;
  return { primary, all, names };
}
