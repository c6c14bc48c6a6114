// A segment of a long recording without decoding all of it. For PCM-like WAV (a fixed number of bytes per
// frame) only the segment's bytes are read, given a copy of the file's header, and decoded as a small WAV
// of their own: the samples are the very ones a whole-file decode gives (same decoder, same frames). An hour
// at 48 kHz is 690 MB of float samples per worker when decoded whole; a segment is a few hundred kB.
// Compressed formats (and exotic WAVs) cannot be entered mid-stream, so they are decoded whole, once per
// worker for all their segments.
import { openRegularFile, readRegularFile } from '../regular-file';
import { AudioDecodeError, decodeAudio, decodeMono, sniffFormat, type DecodedAudio, type MonoAudio } from './decode';
import { downmixToMono } from './downmix';
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

/** The frames [first, last) a segment covers in audio of `frames` frames; throws when it lies outside. Every
 * path that cuts a segment (a whole decode, or a WAV read in part) uses it, so they cut the same samples. */
export function segmentFrames(file: string, segment: Segment, frames: number, sampleRate: number): [number, number] {
  const { startSec, endSec } = segment;
  const durationSec = frames / sampleRate;
  if (!(startSec >= 0) || !(endSec > startSec) || startSec >= durationSec)
    throw new AudioDecodeError(file, `segment ${startSec}-${endSec} s lies outside the file (${durationSec.toFixed(3)} s)`);
  return [Math.floor(startSec * sampleRate), Math.min(frames, Math.ceil(endSec * sampleRate))];
}

export async function readSegment(path: string, segment: Segment): Promise<SegmentAudio> {
  const sliced = await readWavSegment(path, segment);
  if (sliced) return sliced;
  const mono = await decodedWhole(path);
  return { mono, segment, fileDurationSec: mono.samples.length / mono.sampleRate, sliced: false };
}

/** Where the frames of a PCM-like WAV lie in the file (null for any other file). */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  frames: number;
  /** The header bytes up to the first audio byte, copied in front of every range read. */
  header: Uint8Array;
  blockAlign: number;
}

export async function wavLayout(path: string): Promise<WavLayout | null> {
  const fh = await openRegularFile(path); // a FIFO or a device is refused, not waited on
  try {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    if (sniffFormat(head) !== 'wav') return null;
    const h = readWavHeader(head, size);
    if (!h || !isFrameAddressable(h) || h.blockAlign < 1 || h.sampleRate < 1) return null;
    return { sampleRate: h.sampleRate, channels: h.channels, frames: Math.floor(h.dataBytes / h.blockAlign), header: head.slice(0, h.dataOffset), blockAlign: h.blockAlign };
  } finally {
    await fh.close();
  }
}

/** Frames [first, end) of a PCM-like WAV, every channel: only their bytes are read, behind a copy of the
 * header, and decoded as a small WAV of their own (the same samples a whole-file decode gives). */
export async function readWavFrames(path: string, layout: WavLayout, first: number, end: number): Promise<DecodedAudio> {
  const bytes = Math.max(0, Math.min(end, layout.frames) - first) * layout.blockAlign;
  const offset = layout.header.length;
  const wav = new Uint8Array(offset + bytes);
  wav.set(layout.header);
  const dv = new DataView(wav.buffer);
  dv.setUint32(4, wav.length - 8, true);
  dv.setUint32(offset - 4, bytes, true);
  const fh = await openRegularFile(path);
  try {
    const { bytesRead } = await fh.read(wav, offset, bytes, offset + first * layout.blockAlign);
    if (bytesRead !== bytes) throw new AudioDecodeError(path, 'the file changed while it was read');
  } finally {
    await fh.close();
  }
  return decodeAudio(wav, path);
}

async function readWavSegment(path: string, segment: Segment): Promise<SegmentAudio | null> {
  const layout = await wavLayout(path);
  if (!layout) return null;
  const [first, last] = segmentFrames(path, segment, layout.frames, layout.sampleRate);
  const audio = await readWavFrames(path, layout, first, last);
  const samples = downmixToMono(audio.channelData);
  const mono: MonoAudio = { samples, sampleRate: audio.sampleRate, channels: audio.channelData.length, format: 'wav' };
  return { mono, segment: { startSec: 0, endSec: (last - first) / layout.sampleRate }, fileDurationSec: layout.frames / layout.sampleRate, sliced: true };
}

/** The last file decoded whole: a worker usually gets many segments of one long recording in a row. */
let lastDecoded: { path: string; mono: Promise<MonoAudio> } | null = null;

function decodedWhole(path: string): Promise<MonoAudio> {
  if (lastDecoded?.path !== path) {
    const mono = readRegularFile(path).then((b) => decodeMono(b, path));
    lastDecoded = { path, mono };
    mono.catch(() => {
      if (lastDecoded?.mono === mono) lastDecoded = null;
    });
  }
  return lastDecoded.mono;
}
