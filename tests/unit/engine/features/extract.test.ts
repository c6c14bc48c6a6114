import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { extractFeatures, FEATURE_DIM, featureNames } from '../../../../src-main/engine/features/extract';

const at = (v: Float32Array, name: string) => v[featureNames().indexOf(name)];

function harmonicTone(f0: number, sr: number, sec: number): Float32Array {
  return Float32Array.from({ length: sr * sec }, (_, i) => {
    let s = 0;
    for (let h = 1; h <= 5; h++) s += Math.sin((2 * Math.PI * f0 * h * i) / sr) / h;
    return 0.3 * s;
  });
}

describe('extractFeatures', () => {
  it('has unique documented names matching its length', () => {
    const names = featureNames();
    expect(names).toHaveLength(FEATURE_DIM);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('mfcc20_delta_slope');
    expect(names).toContain('f0Semitones_p50');
    expect(names).toContain('voicedRatio');
  });

  it('is finite and fixed-length on demo clips, and differs between clips', async () => {
    const files = readdirSync('resources/demo/clips').slice(0, 12);
    const vectors: Float32Array[] = [];
    for (const f of files) {
      const m = await decodeMono(readFileSync(`resources/demo/clips/${f}`), f);
      const v = extractFeatures(await resampleMono(m.samples, m.sampleRate, 16000), 16000);
      expect(v).toHaveLength(FEATURE_DIM);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(at(v, 'voicedRatio')).toBeGreaterThan(0.05);
      vectors.push(v);
    }
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('is finite on silence, a single sample, and clipped noise', () => {
    for (const x of [new Float32Array(16000), new Float32Array(1), Float32Array.from({ length: 8000 }, (_, i) => (i % 7 < 3 ? 1 : -1))]) {
      const v = extractFeatures(x, 16000);
      expect(v).toHaveLength(FEATURE_DIM);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    expect(at(extractFeatures(new Float32Array(16000), 16000), 'voicedRatio')).toBe(0);
  });

  it('measures the F0 of a harmonic tone in semitones above 27.5 Hz', () => {
    const v = extractFeatures(harmonicTone(200, 16000, 1), 16000);
    expect(at(v, 'f0Semitones_p50')).toBeCloseTo(12 * Math.log2(200 / 27.5), 0);
    expect(at(v, 'voicedRatio')).toBeGreaterThan(0.9);
    const louder = extractFeatures(harmonicTone(200, 16000, 1).map((x) => x * 2), 16000);
    expect(at(louder, 'rmsDb_p50') - at(v, 'rmsDb_p50')).toBeCloseTo(20 * Math.log10(2), 1);
  });

  it('works at other sample rates', () => {
    const v = extractFeatures(harmonicTone(150, 8000, 1), 8000);
    expect(v.every(Number.isFinite)).toBe(true);
    expect(at(v, 'f0Semitones_p50')).toBeCloseTo(12 * Math.log2(150 / 27.5), 0);
  });
});
