import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../../../src-main/bench/recordings';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { findUtterances } from '../../../../src-main/engine/audio/utterances';
import { createVad, VAD_SAMPLE_RATE, type Vad } from '../../../../src-main/engine/audio/vad';
import { tempDir } from '../../store/helpers';

const demo = join(process.cwd(), 'resources', 'demo', 'clips');
let vad: Vad;
beforeAll(async () => {
  vad = await createVad();
});
afterAll(() => vad.dispose());

describe('findUtterances', () => {
  it('reads a WAV a piece at a time and finds the segments a whole-file pass finds', async () => {
    const clips = readdirSync(demo).filter((f) => f.endsWith('.wav')).sort().map((f) => join(demo, f));
    const rec = writeSyntheticRecording(clips, join(tempDir('eodn-utt-'), 'rec.wav'), 45);
    const mono = await decodeMono(readFileSync(rec.file), rec.file);
    const whole = await vad.segments(await resampleMono(mono.samples, mono.sampleRate, VAD_SAMPLE_RATE));
    // Pieces of 7 s: several seams, none on a window boundary.
    const found = await findUtterances(rec.file, vad, { pieceSec: 7 });
    expect(found.fileDurationSec).toBeCloseTo(rec.durationSec, 3);
    expect(found.segments).toHaveLength(whole.length);
    // Resampling piece by piece differs from one pass only at the seams: boundaries agree to a window or two.
    found.segments.forEach((s, i) => {
      expect(Math.abs(s.startSec - whole[i].startSec)).toBeLessThan(0.07);
      expect(Math.abs(s.endSec - whole[i].endSec)).toBeLessThan(0.07);
    });
  });

  it('decodes a compressed recording whole', async () => {
    const found = await findUtterances('tests/fixtures/audio/mono-16k-1s.flac', vad);
    expect(found.fileDurationSec).toBeCloseTo(1, 1);
    expect(Array.isArray(found.segments)).toBe(true);
  });
});
