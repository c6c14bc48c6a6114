// A segment of a long recording without decoding all of it. For PCM-like WAV (a fixed number of bytes per
// frame) only the segment's bytes are read, given a copy of the file's header, and decoded as a small WAV
// of their own: the samples are the very ones a whole-file decode gives (same decoder, same frames). An hour
// at 48 kHz is 690 MB of float samples per worker when decoded whole; a segment is a few hundred kB.
// Compressed formats (and exotic WAVs) cannot be entered mid-stream, so they are decoded whole, once per
// worker for all their segments.
import { open, readFile } from 'node:fs/promises';
import { AudioDecodeError, decodeMono, sniffFormat, type MonoAudio } from './decode';
import { isFrameAddressable, readWavHeader } from './codecs/wav';

export interface Segment {
  startSec: number;
  endSec: number;
}

export interface SegmentAudio {
  /** The decoded audio that holds the segment: the segment alone, or the whole file. */
  mono: MonoAudio;
  /** Where the segment lies in `mono` (shifted to 0 when `mono` is the segment alone). */
  segment: Segment;
  /** The whole file's duration. */
  fileDurationSec: number;
  /** True when `mono` is the segment alone (a PCM WAV), false when it is the whole file. */
  sliced: boolean;
}

/** Header bytes read to find a WAV's data chunk; a header larger than this (huge metadata) is decoded whole. */
const HEAD_BYTES = 64 * 1024;

export async function readSegment(path: string, segment: Segment): Promise<SegmentAudio> {
  const sliced = await readWavSegment(path, segment);
  if (sliced) return sliced;
  const mono = await decodedWhole(path);
  return { mono, segment, fileDurationSec: mono.samples.length / mono.sampleRate, sliced: false };
}

async function readWavSegment(path: string, segment: Segment): Promise<SegmentAudio | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    if (sniffFormat(head) !== 'wav') return null;
    const h = readWavHeader(head, size);
    if (!h || !isFrameAddressable(h) || h.blockAlign < 1 || h.sampleRate < 1) return null;
    const frames = Math.floor(h.dataBytes / h.blockAlign);
    const fileDurationSec = frames / h.sampleRate;
    const { startSec, endSec } = segment;
    if (!(startSec >= 0) || !(endSec > startSec) || startSec >= fileDurationSec)
      throw new AudioDecodeError(path, `segment ${startSec}-${endSec} s lies outside the file (${fileDurationSec.toFixed(3)} s)`);
    // The same frame range prepareMono cuts out of a whole decode.
    const first = Math.floor(startSec * h.sampleRate);
    const last = Math.min(frames, Math.ceil(endSec * h.sampleRate));
    const bytes = (last - first) * h.blockAlign;
    const wav = new Uint8Array(h.dataOffset + bytes);
    wav.set(head.subarray(0, h.dataOffset));
    const dv = new DataView(wav.buffer);
    dv.setUint32(4, wav.length - 8, true);
    dv.setUint32(h.dataOffset - 4, bytes, true);
    const { bytesRead } = await fh.read(wav, h.dataOffset, bytes, h.dataOffset + first * h.blockAlign);
    if (bytesRead !== bytes) throw new AudioDecodeError(path, 'the file changed while it was read');
    const mono = await decodeMono(wav, path);
    return { mono, segment: { startSec: 0, endSec: (last - first) / h.sampleRate }, fileDurationSec, sliced: true };
  } finally {
    await fh.close();
  }
}

/** The last file decoded whole: a worker usually gets many segments of one long recording in a row. */
let lastDecoded: { path: string; mono: Promise<MonoAudio> } | null = null;

function decodedWhole(path: string): Promise<MonoAudio> {
  if (lastDecoded?.path !== path) {
    const mono = readFile(path).then((b) => decodeMono(b, path));
    lastDecoded = { path, mono };
    mono.catch(() => {
      if (lastDecoded?.mono === mono) lastDecoded = null;
    });
  }
  return lastDecoded.mono;
}
