import { describe, expect, it } from 'vitest';
import { daysBetween, stableKey } from '#core/ledger/values.ts';

describe('natural keys', () => {
  // Keys already stored (SQLite, exported transfers) must come out the same from every version: these were
  // computed by the first implementation (the parts joined by U+001F, then FNV-1a).
  it('stableKey gives the keys it always gave', () => {
    expect(stableKey('retail-gen2', '249-1234567-1234567', null, 'item 1', '2024-01-02', 1200, null)).toBe(
      '7d5ed7e497cfa',
    );
    expect(stableKey('rakuten', '2024-01-02', 'AMAZON.CO.JP', 500, '本人')).toBe('d689fc1135727');
    expect(stableKey('abc', 2)).toBe('a8b9d8ca63fe0');
    expect(stableKey()).toBe('811c9dc500193');
  });

  it('days between dates, NaN for what is not one (each date parsed once, the same answer each time)', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2024-03-01', 'never')).toBeNaN();
    expect(daysBetween('2024-03-01', 'never')).toBeNaN();
  });
});
