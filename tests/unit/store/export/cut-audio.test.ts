// Cutting an utterance out of a recording for the audiofolder export: a PCM WAV keeps its encoding, the
// segment's bytes copied as they lie (so the samples are exactly the recording's); a compressed recording is
// decoded and the segment written as float WAV, exactly the decoded samples; the frames are those every other
// cut takes (segmentFrames), and a segment outside the file is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWavHeader } from '../../../../src-main/engine/audio/codecs/wav';
import { decodeAudio } from '../../../../src-main/engine/audio/decode';
import { segmentFrames } from '../../../../src-main/engine/audio/segment';
import { SegmentCutter } from '../../../../src-main/store/export';
import { DEMO_CLIPS, REPO } from '../helpers';

describe('SegmentCutter', () => {
  it('copies a PCM WAV segment byte for byte behind the file’s own fmt chunk', async () => {
    const src = join(DEMO_CLIPS, '13a01Ac.wav');
    const bytes = readFileSync(src);
    const h = readWavHeader(bytes)!;
    const cut = await new SegmentCutter().cut(src, { startSec: 0.5, endSec: 1.25 });
    const [first, end] = segmentFrames(src, { startSec: 0.5, endSec: 1.25 }, h.frames!, h.sampleRate);
    expect(cut).toMatchObject({ frames: end - first, sampleRate: 22050 });
    const out = readWavHeader(cut.bytes)!;
    expect(out).toMatchObject({ formatTag: 1, sampleRate: 22050, channels: 1, bitsPerSample: 16, frames: end - first });
    expect(Buffer.from(cut.bytes.subarray(out.dataOffset)).equals(bytes.subarray(h.dataOffset + first * 2, h.dataOffset + end * 2))).toBe(true);
    const whole = await decodeAudio(bytes, src);
    expect((await decodeAudio(cut.bytes, 'cut.wav')).channelData[0]).toEqual(whole.channelData[0].subarray(first, end));
  });

  it('decodes a FLAC recording once and writes the segment as float WAV of the decoded samples', async () => {
    const src = join(REPO, 'tests/fixtures/audio/mono-16k-1s.flac');
    const whole = await decodeAudio(readFileSync(src), src);
    const cutter = new SegmentCutter();
    for (const seg of [{ startSec: 0, endSec: 0.4 }, { startSec: 0.4, endSec: 1 }]) {
      const cut = await cutter.cut(src, seg);
      const [first, end] = segmentFrames(src, seg, whole.channelData[0].length, whole.sampleRate);
      expect(readWavHeader(cut.bytes)).toMatchObject({ formatTag: 3, bitsPerSample: 32, sampleRate: 16000, frames: end - first });
      expect((await decodeAudio(cut.bytes, 'cut.wav')).channelData[0]).toEqual(whole.channelData[0].subarray(first, end));
    }
  });

  it('refuses a segment outside the recording', async () => {
    await expect(new SegmentCutter().cut(join(DEMO_CLIPS, '13a01Ac.wav'), { startSec: 5, endSec: 6 })).rejects.toThrow(/lies outside the file/);
  });
});
