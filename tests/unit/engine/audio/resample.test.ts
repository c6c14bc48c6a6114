import { describe, expect, it } from 'vitest';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { sine } from './wav-fixtures';

function zeroCrossings(x: Float32Array): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i] >= 0 !== x[i - 1] >= 0) n++;
  return n;
}

describe('resampleMono', () => {
  for (const [from, to] of [[44100, 16000], [8000, 16000], [22050, 16000], [96000, 16000]]) {
    it(`${from} → ${to} Hz keeps duration and pitch`, async () => {
      const x = sine(440, from, 1);
      const y = await resampleMono(x, from, to);
      expect(Math.abs(y.length - to)).toBeLessThanOrEqual(2);
      // 440 Hz for 1 s crosses zero ≈ 880 times at any rate.
      expect(Math.abs(zeroCrossings(y) - 880)).toBeLessThanOrEqual(4);
      const mid = y.subarray(1000, y.length - 1000);
      expect(Math.max(...mid)).toBeCloseTo(0.5, 1);
    });
  }

  it('returns the input when rates match, and independent copies otherwise', async () => {
    const x = sine(100, 16000, 0.1);
    expect(await resampleMono(x, 16000, 16000)).toBe(x);
    const a = await resampleMono(x, 16000, 8000);
    const b = await resampleMono(sine(200, 16000, 0.1), 16000, 8000);
    expect(a).not.toBe(b);
    expect(a[100]).not.toBeCloseTo(b[100], 3);
  });
});
