import { utcMidnight } from '#core/ledger/values.ts';
import type { Classified } from './classify.ts';

/** A date as a day number (days since 1970-01-01, UTC), so gaps are subtractions. */
export const dayNumber = (date: string): number => Math.round(utcMidnight(date) / 86_400_000);

function lowerBound(a: Int32Array, x: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Charges sorted by date (stable: ties keep their order), with the ones already taken skipped in amortised
 * constant time (two path-compressed "next free" pointers, one each way). A search for the closest free charge to a
 * day is then a binary search plus a few steps, however many charges share one amount or one day: thousands of
 * same-amount charges used to make every search scan them all, which made reconciliation quadratic.
 */
export class ChargeRun {
  readonly items: Classified[];
  readonly days: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;

  constructor(
    charges: readonly Classified[],
    private readonly isTaken: (c: Classified) => boolean,
  ) {
    const withDay = charges.map((c, i) => ({ c, i, d: dayNumber(c.charge.date) }));
    withDay.sort((a, b) => a.d - b.d || a.i - b.i);
    this.items = withDay.map((x) => x.c);
    this.days = Int32Array.from(withDay, (x) => x.d);
    const n = this.items.length;
    this.next = Int32Array.from({ length: n + 1 }, (_, i) => i);
    // prev is offset by one: prev[i + 1] is the free index at or below i, 0 meaning none (index -1).
    this.prev = Int32Array.from({ length: n + 1 }, (_, i) => i);
  }

  get length(): number {
    return this.items.length;
  }

  private root(p: Int32Array, i: number): number {
    let r = i;
    while (p[r] !== r) r = p[r]!;
    while (p[i] !== r) {
      const up = p[i]!;
      p[i] = r;
      i = up;
    }
    return r;
  }

  /** The first free index at or after i (length when none). */
  freeFrom(i: number): number {
    const n = this.items.length;
    let r = this.root(this.next, Math.min(i, n));
    while (r < n && this.isTaken(this.items[r]!)) {
      this.next[r] = r + 1;
      r = this.root(this.next, r + 1);
    }
    return r;
  }

  /** The last free index at or before i (-1 when none). */
  freeUpTo(i: number): number {
    if (i < 0) return -1;
    let r = this.root(this.prev, i + 1);
    while (r > 0 && this.isTaken(this.items[r - 1]!)) {
      this.prev[r] = r - 1;
      r = this.root(this.prev, r - 1);
    }
    return r - 1;
  }

  /** The index of the first charge on or after `day`. */
  indexOfDay(day: number): number {
    return lowerBound(this.days, day);
  }

  /**
   * The free charge closest to `day` inside [day - before, day + after]; a day late beats a day early, and among
   * charges of the same day the first in the original order wins.
   */
  closest(day: number, before: number, after: number): Classified | null {
    const at = this.indexOfDay(day);
    const r = this.freeFrom(at);
    const late = r < this.items.length && this.days[r]! - day <= after ? r : -1;
    const l = this.freeUpTo(at - 1);
    let early = -1;
    if (l >= 0 && day - this.days[l]! <= before) early = this.freeFrom(this.indexOfDay(this.days[l]!));
    if (late < 0) return early < 0 ? null : this.items[early]!;
    if (early < 0) return this.items[late]!;
    return this.days[late]! - day <= day - this.days[early]! + 0.5 ? this.items[late]! : this.items[early]!;
  }

  /** Free charges dated in [from, to], in date order, at most `limit` of them. */
  freeBetween(from: number, to: number, limit: number): Classified[] {
    const out: Classified[] = [];
    for (let i = this.freeFrom(this.indexOfDay(from)); i < this.items.length && this.days[i]! <= to;) {
      out.push(this.items[i]!);
      if (out.length >= limit) break;
      i = this.freeFrom(i + 1);
    }
    return out;
  }
}
