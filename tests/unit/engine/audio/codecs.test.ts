import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, decodeMono, probeAudio } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';

const FIX = join(__dirname, '../../../fixtures/audio');
const read = (f: string) => new Uint8Array(readFileSync(join(FIX, f)));
/** The second of the demo clip the fixtures were made from (see tests/fixtures/audio/README.md). */
const source = async () => (await decodeMono(new Uint8Array(readFileSync(join(__dirname, '../../../../resources/demo/clips/13a01Ac.wav'))), 'src.wav')).samples.subarray(11025, 11025 + 22050);

/** Normalised cross-correlation at the best lag in [-maxLag, maxLag]. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { lag: number; r: number } {
  let best = { lag: 0, r: -1 };
  const n = Math.min(a.length, b.length) - maxLag;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0, aa = 0, bb = 0;
    for (let i = maxLag; i < n; i++) {
      const x = a[i + lag], y = b[i];
      ab += x * y; aa += x * x; bb += y * y;
    }
    const r = ab / Math.sqrt(aa * bb);
    if (r > best.r) best = { lag, r };
  }
  return best;
}

const CASES = [
  { file: 'mono-16k-1s.flac', format: 'flac', rate: 16000, channels: 1, frames: 16000, minR: 0.98 },
  { file: 'mono-1s.mp3', format: 'mp3', rate: 22050, channels: 1, frames: 22050, minR: 0.9 },
  { file: 'mono-1s.ogg', format: 'ogg', rate: 22050, channels: 1, frames: 22050, minR: 0.9 },
  { file: 'stereo-1s.ogg', format: 'ogg', rate: 22050, channels: 2, frames: 22050, minR: 0.9 },
  { file: 'mono-1s.opus', format: 'opus', rate: 48000, channels: 1, frames: 48000, minR: 0.9 },
] as const;

describe('compressed codecs', () => {
  for (const c of CASES) {
    it(`${c.file}: decodes to the source's duration, rate and waveform; the header probe agrees`, async () => {
      const bytes = read(c.file);
      const out = await decodeAudio(bytes, c.file);
      expect(out.sampleRate).toBe(c.rate);
      expect(out.channelData).toHaveLength(c.channels);
      expect(out.channelData[0]).toHaveLength(c.frames);
      expect(probeAudio(bytes, c.file)).toEqual({ format: c.format, sampleRate: c.rate, channels: c.channels, durationSec: c.frames / c.rate });
      const mono = await decodeMono(bytes, c.file);
      expect(mono.format).toBe(c.format);
      const at22k = await resampleMono(mono.samples, mono.sampleRate, 22050);
      const { lag, r } = bestCorrelation(at22k, await source(), 40);
      expect(Math.abs(lag)).toBeLessThanOrEqual(2);
      expect(r).toBeGreaterThan(c.minR);
    });
  }

  it('MP3 without a LAME tag: stereo kept, length from the frames (delay not reported, so not trimmed)', async () => {
    const bytes = read('stereo-1s.mp3');
    const out = await decodeAudio(bytes, 'stereo-1s.mp3');
    expect(out.sampleRate).toBe(22050);
    expect(out.channelData).toHaveLength(2);
    expect(out.channelData[0].length).toBeGreaterThan(22050);
    expect(out.channelData[0].length % 576).toBe(0);
    expect(probeAudio(bytes, 'stereo-1s.mp3')).toMatchObject({ format: 'mp3', sampleRate: 22050, channels: 2, durationSec: null });
    // The lead-in is the encoder's 576 + decoder's 529 samples: the waveform sits 1105 samples late.
    const { lag, r } = bestCorrelation((await decodeMono(bytes, 'x.mp3')).samples.subarray(1105), await source(), 40);
    expect(Math.abs(lag)).toBeLessThanOrEqual(2);
    expect(r).toBeGreaterThan(0.9);
  });

  it('a truncated file decodes what it holds or fails with an AudioDecodeError, never hangs or crashes', async () => {
    for (const c of CASES) {
      const bytes = read(c.file);
      for (const cut of [40, Math.floor(bytes.length / 2)]) {
        const r = await decodeAudio(bytes.subarray(0, cut), c.file).then(
          (o) => ({ ok: true as const, frames: o.channelData[0].length }),
          (e: Error) => ({ ok: false as const, msg: e.message }),
        );
        if (r.ok) expect(r.frames).toBeLessThanOrEqual(c.frames);
        else expect(r.msg).toContain(c.file);
      }
    }
  });
});
