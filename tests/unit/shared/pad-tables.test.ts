import { describe, expect, it } from 'vitest';
import { EODN_TABLE1, RUSSELL_MEHRABIAN_151, findPadTerm, padTable } from '../../../shared/pad-tables';
import { padTermNameFor } from '../../../shared/pad-names';

describe('PAD tables', () => {
  it('holds the paper Table 1 (12 terms) plus Neutral at the origin', () => {
    expect(EODN_TABLE1).toHaveLength(13);
    expect(findPadTerm(EODN_TABLE1, 'happy')?.pad).toEqual([2.77, 1.21, 1.42]);
    expect(findPadTerm(EODN_TABLE1, 'Anger')?.pad).toEqual([-1.98, 1.1, 0.6]);
    expect(findPadTerm(EODN_TABLE1, 'Neutral')?.pad).toEqual([0, 0, 0]);
    expect(EODN_TABLE1.filter((t) => t.source === 'E-ODN paper Table 1')).toHaveLength(12);
  });

  it('holds the 151 Russell & Mehrabian terms scaled by 4', () => {
    expect(RUSSELL_MEHRABIAN_151).toHaveLength(151);
    // Bold: 0.44, 0.61, 0.66 on -1..+1
    expect(findPadTerm(RUSSELL_MEHRABIAN_151, 'Bold')?.pad).toEqual([1.76, 2.44, 2.64]);
    for (const t of RUSSELL_MEHRABIAN_151) for (const v of t.pad) expect(Math.abs(v)).toBeLessThanOrEqual(4);
    expect(new Set(RUSSELL_MEHRABIAN_151.map((t) => t.name)).size).toBe(151);
  });

  it('combines both without duplicate names, Table 1 first', () => {
    const all = padTable('combined');
    const names = all.map((t) => t.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(all.slice(0, 13)).toEqual(EODN_TABLE1);
    expect(all.length).toBeGreaterThan(151);
  });
});

describe('class names → table terms', () => {
  it('maps common names case-insensitively', () => {
    expect(padTermNameFor('ANGRY')).toBe('Anger');
    expect(padTermNameFor(' boredom ')).toBe('Boring');
    expect(padTermNameFor('fear')).toBe('Fearful');
    expect(padTermNameFor('disgust')).toBe('Disgusted');
    expect(padTermNameFor('Happiness')).toBe('Happy');
    expect(padTermNameFor('sad')).toBe('Sad');
    expect(padTermNameFor('surprised')).toBe('Surprise');
    expect(padTermNameFor('calm')).toBe('Relaxed');
    expect(padTermNameFor('neutral')).toBe('Neutral');
    expect(padTermNameFor('frustrated')).toBeNull();
  });

  it('maps only to names that exist in Table 1', () => {
    for (const n of ['anger', 'fear', 'boredom', 'disgust', 'happy', 'sad', 'surprise', 'calm', 'neutral'])
      expect(findPadTerm(EODN_TABLE1, padTermNameFor(n)!)).not.toBeNull();
  });
});
