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

describe('polyphaseResample', () => {
  const gainDb = (y: Float32Array) => {
    let e = 0;
    for (let i = 1000; i < y.length - 1000; i++) e += y[i] * y[i];
    return 10 * Math.log10(e / (y.length - 2000) / 0.125); // sine() has amplitude 0.5
  };
  it('passes speech frequencies and rejects what would alias, for the usual rates to 16 kHz', async () => {
    const { polyphaseResample } = await import('../../../../src-main/engine/audio/polyphase');
    for (const from of [22050, 44100, 48000, 32000]) {
      expect(Math.abs(gainDb(polyphaseResample(sine(1000, from, 1), from, 16000)!))).toBeLessThan(0.1);
      expect(gainDb(polyphaseResample(sine(5000, from, 1), from, 16000)!)).toBeGreaterThan(-0.5);
      expect(gainDb(polyphaseResample(sine(10500, from, 1), from, 16000)!)).toBeLessThan(-60);
    }
  });
  it('gives null for ratios with too many phases (libsamplerate takes them)', async () => {
    const { polyphaseResample } = await import('../../../../src-main/engine/audio/polyphase');
    expect(polyphaseResample(new Float32Array(100), 44101, 16000)).toBeNull();
    const y = await resampleMono(sine(440, 44101, 1), 44101, 16000);
    expect(Math.abs(y.length - 16000)).toBeLessThanOrEqual(2);
  });
});
