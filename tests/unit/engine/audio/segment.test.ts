import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { readSegment } from '../../../../src-main/engine/audio/segment';
import { encodeWav, sine, type WavEncoding } from './wav-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'eodn-seg-'));
const write = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('readSegment', () => {
  it.each<[WavEncoding, number, number]>([
    ['pcm16', 1, 16000],
    ['pcm24', 2, 44100],
    ['float32', 8, 48000],
    ['pcm8', 1, 8000],
  ])('reads only the segment of a %s WAV (%i channels, %i Hz): the same samples as a whole decode', async (enc, channels, rate) => {
    const chans = Array.from({ length: channels }, (_, c) => sine(200 + 50 * c, rate, 3.3, 0.4));
    const path = write(`${enc}-${channels}.wav`, encodeWav(chans, rate, enc));
    const whole = await decodeMono(encodeWav(chans, rate, enc), 'whole.wav');
    const seg = { startSec: 1.23456, endSec: 2.5 };
    const got = await readSegment(path, seg);
    expect(got.fileDurationSec).toBeCloseTo(3.3, 3);
    const first = Math.floor(seg.startSec * rate);
    const last = Math.ceil(seg.endSec * rate);
    expect(got.mono.samples.length).toBe(last - first);
    expect(got.segment.startSec).toBe(0);
    expect(Array.from(got.mono.samples)).toEqual(Array.from(whole.samples.subarray(first, last)));
    expect(got.mono.channels).toBe(channels);
  });

  it('clips a segment that runs past the end, and refuses one that starts after it', async () => {
    const path = write('short.wav', encodeWav([sine(300, 16000, 1)], 16000));
    const got = await readSegment(path, { startSec: 0.5, endSec: 9 });
    expect(got.mono.samples.length).toBe(8000);
    await expect(readSegment(path, { startSec: 2, endSec: 3 })).rejects.toThrow(/short\.wav: segment 2-3 s lies outside the file \(1\.000 s\)/);
  });

  it('decodes a compressed file whole and leaves the segment where it is', async () => {
    const flac = 'tests/fixtures/audio/mono-16k-1s.flac';
    const got = await readSegment(flac, { startSec: 0.1, endSec: 0.2 });
    expect(got.segment).toEqual({ startSec: 0.1, endSec: 0.2 });
    expect(got.fileDurationSec).toBeCloseTo(got.mono.samples.length / got.mono.sampleRate, 6);
  });

  it('reads two seconds from the middle of a 3-hour WAV without touching the rest', async () => {
    // A sparse file: a header declaring 3 h of 16 kHz 16-bit mono, and 345 MB of zeros the disk never stores.
    const rate = 16000;
    const frames = 3 * 3600 * rate;
    const header = encodeWav([new Float32Array(0)], rate, 'pcm16');
    const dv = new DataView(header.buffer, header.byteOffset, header.byteLength);
    dv.setUint32(4, header.length - 8 + frames * 2, true);
    dv.setUint32(header.length - 4, frames * 2, true);
    const path = write('three-hours.wav', header);
    truncateSync(path, header.length + frames * 2);
    const rssBefore = process.memoryUsage().rss;
    const got = await readSegment(path, { startSec: 10_000, endSec: 10_002 });
    expect(got.fileDurationSec).toBe(10_800);
    expect(got.sliced).toBe(true);
    expect(got.mono.samples.length).toBe(2 * rate);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 2 ** 20);
  });
});
