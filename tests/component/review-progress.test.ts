import { describe, expect, it } from 'vitest';
import { nextUnreviewed, progressLine } from '../../src-renderer/lib/review-progress';

const rows = (flags: string) => [...flags].map((c) => ({ reviewed: c === 'x' }));

describe('review progress', () => {
  it('finds the next unreviewed row after the current one, wrapping round', () => {
    expect(nextUnreviewed(rows('x.x.'), 0)).toBe(1);
    expect(nextUnreviewed(rows('x.x.'), 1)).toBe(3);
    expect(nextUnreviewed(rows('.xxx'), 2)).toBe(0);
    // The current row is the only one left: it is the answer.
    expect(nextUnreviewed(rows('x.xx'), 1)).toBe(1);
    expect(nextUnreviewed(rows('xxxx'), 2)).toBeNull();
    expect(nextUnreviewed([], 0)).toBeNull();
  });

  it('says how many of all clips are reviewed', () => {
    expect(progressLine(12, 80)).toBe('12 of 80 reviewed (15 %)');
    expect(progressLine(0, 0)).toBe('0 of 0 reviewed (0 %)');
  });
});
