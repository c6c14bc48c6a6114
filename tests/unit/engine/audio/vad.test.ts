import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { createVad, segmentsFromProbabilities, VAD_SAMPLE_RATE, type Vad } from '../../../../src-main/engine/audio/vad';

describe('segmentsFromProbabilities', () => {
  it('applies hysteresis, minimum silence, minimum speech and padding', () => {
    const p = new Float32Array(100);
    p.fill(0.9, 10, 30); // speech windows 10..29
    p.fill(0.4, 30, 32); // between neg threshold (0.35) and threshold: still speech
    p.fill(0.9, 32, 40);
    p.fill(0.9, 60, 62); // 2 windows = 64 ms: shorter than 250 ms, dropped
    const segs = segmentsFromProbabilities(p, 100 * 512, { speechPadMs: 0 });
    expect(segs).toHaveLength(1);
    expect(segs[0].startSec).toBeCloseTo((10 * 512) / 16000, 6);
    expect(segs[0].endSec).toBeCloseTo((40 * 512) / 16000, 6);
  });
  it('returns nothing for silence and splits at maxSpeechSec', () => {
    expect(segmentsFromProbabilities(new Float32Array(50), 50 * 512)).toEqual([]);
    const long = new Float32Array(32 * 40).fill(0.9); // 40 s of speech
    const segs = segmentsFromProbabilities(long, long.length * 512, { maxSpeechSec: 15 });
    expect(segs.length).toBe(3);
    for (const s of segs) expect(s.endSec - s.startSec).toBeLessThanOrEqual(15.1);
  });
});

describe('Silero VAD on a synthetic long recording', () => {
  let vad: Vad;
  beforeAll(async () => {
    vad = await createVad();
  });
  afterAll(() => vad?.dispose());

  it('finds the utterances between stretches of silence', async () => {
    const files = ['13a01Ac.wav', '13a02Nc.wav', '13a05Wa.wav'];
    const gapSec = 2;
    const parts: Float32Array[] = [];
    const spans: [number, number][] = [];
    let t = gapSec;
    parts.push(new Float32Array(gapSec * VAD_SAMPLE_RATE));
    for (const f of files) {
      const m = await decodeMono(readFileSync(`resources/demo/clips/${f}`), f);
      const x = await resampleMono(m.samples, m.sampleRate, VAD_SAMPLE_RATE);
      parts.push(x, new Float32Array(gapSec * VAD_SAMPLE_RATE));
      spans.push([t, t + x.length / VAD_SAMPLE_RATE]);
      t += x.length / VAD_SAMPLE_RATE + gapSec;
    }
    const long = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      long.set(p, o);
      o += p.length;
    }
    const segs = await vad.segments(long);
    // Every clip holds speech that some segment covers; no segment starts or ends inside a silent gap
    // by more than the padding; segments are ordered and disjoint.
    for (const [a, b] of spans) expect(segs.some((s) => s.startSec < b && s.endSec > a)).toBe(true);
    for (const s of segs) expect(spans.some(([a, b]) => s.startSec >= a - 0.1 && s.endSec <= b + 0.1)).toBe(true);
    for (let i = 1; i < segs.length; i++) expect(segs[i].startSec).toBeGreaterThanOrEqual(segs[i - 1].endSec);
    expect(segs.length).toBeGreaterThanOrEqual(files.length);

    // Fed in uneven pieces (none a multiple of the 512-sample window), the stream finds the same segments.
    const stream = vad.stream();
    for (let at = 0, k = 0; at < long.length; k++) {
      const n = [1000, 7, 33333, 512, 100000][k % 5];
      await stream.push(long.subarray(at, at + n));
      at += n;
    }
    expect(stream.fedSec).toBeCloseTo(long.length / VAD_SAMPLE_RATE, 6);
    expect(await stream.finish()).toEqual(segs);
  });
});
