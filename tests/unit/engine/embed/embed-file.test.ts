import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../../../src-main/engine/audio/decode';
import { embedBatch, embedFile } from '../../../../src-main/engine/embed/embed-file';
import { createEncoder } from '../../../../src-main/engine/encoders/create';
import type { AudioEncoder } from '../../../../src-main/engine/encoders/types';
import { encodeWav, sine } from '../audio/wav-fixtures';

const clip = 'resources/demo/clips/13a01Ac.wav';
let enc: AudioEncoder;
beforeAll(async () => {
  enc = await createEncoder({ kind: 'speech-embedding' }, { threads: 1 });
});
afterAll(() => enc?.dispose());

describe('embedFile', () => {
  it('embeds a file by path and the same bytes identically', async () => {
    const a = await embedFile(clip, enc);
    expect(a.vector).toHaveLength(enc.dim);
    expect(a.durationSec).toBe(2);
    expect(a.source).toEqual({ format: 'wav', sampleRate: 22050, channels: 1, durationSec: 2 });
    const b = await embedFile({ bytes: readFileSync(clip), name: 'x.wav' }, enc);
    expect(Array.from(b.vector)).toEqual(Array.from(a.vector));
  });

  it('embeds a segment of a stereo 44.1 kHz file', async () => {
    const x = sine(180, 44100, 3);
    const bytes = encodeWav([x, x], 44100, 'pcm24');
    const r = await embedFile({ bytes, name: 'st.wav' }, enc, { segment: { startSec: 0.5, endSec: 1.5 } });
    expect(r.durationSec).toBeCloseTo(1, 3);
    expect(r.source.channels).toBe(2);
    await expect(embedFile({ bytes, name: 'st.wav' }, enc, { segment: { startSec: 4, endSec: 5 } })).rejects.toThrow(AudioDecodeError);
  });

  it('raises AudioDecodeError for corrupt input', async () => {
    await expect(embedFile({ bytes: new Uint8Array(10), name: 'bad.wav' }, enc)).rejects.toThrow(AudioDecodeError);
  });
});

describe('embedBatch', () => {
  it('collects per-file errors and still embeds the rest, as the single path would', async () => {
    const out = await embedBatch([clip, { bytes: new Uint8Array([1, 2, 3]), name: 'junk.wav' }, 'does/not/exist.wav'], enc);
    expect(out[0].ok).toBe(true);
    expect(out[1]).toMatchObject({ ok: false, file: 'junk.wav' });
    expect(out[2]).toMatchObject({ ok: false, file: 'does/not/exist.wav' });
    if (out[0].ok) {
      const single = await embedFile(clip, enc);
      for (let i = 0; i < single.vector.length; i++) expect(out[0].result.vector[i]).toBeCloseTo(single.vector[i], 4);
    }
  });
});

describe('embedItems', () => {
  it('embeds whole files and segments (one decode per file) exactly as embedFile does, with per-item errors', async () => {
    const { embedItems } = await import('../../../../src-main/engine/embed/embed-file');
    const segA = { startSec: 0.2, endSec: 1.1 };
    const segB = { startSec: 1.0, endSec: 2.0 };
    const out = await embedItems([{ path: clip, segment: segA }, { path: clip }, { path: clip, segment: segB }, { path: 'does/not/exist.wav', segment: segA }, { path: clip, segment: { startSec: 5, endSec: 6 } }], enc);
    expect(out.map((o) => o.ok)).toEqual([true, true, true, false, false]);
    const vec = (i: number) => (out[i].ok ? (out[i] as { ok: true; result: { vector: Float32Array } }).result.vector : null);
    const close = (a: Float32Array, b: Float32Array) => a.every((x, i) => Math.abs(x - b[i]) <= 1e-4 * (1 + Math.abs(b[i])));
    expect(close(vec(0)!, (await embedFile(clip, enc, { segment: segA })).vector)).toBe(true);
    expect(close(vec(1)!, (await embedFile(clip, enc)).vector)).toBe(true);
    expect(close(vec(2)!, (await embedFile(clip, enc, { segment: segB })).vector)).toBe(true);
    expect(out[0].ok && out[0].result.durationSec).toBeCloseTo(0.9, 3);
  });
});
