// Decoding audio files to float PCM. Libraries do the codec work (one adapter module per codec under
// codecs/); this module picks one by content (magic bytes), not by extension, and turns every failure
// into an AudioDecodeError naming the file and the cause.
import { aiffAdapter } from './codecs/aiff';
import { flacAdapter } from './codecs/flac';
import { mp3Adapter } from './codecs/mp3';
import { opusAdapter } from './codecs/opus';
import { sniffFormat, type AudioFormat } from './codecs/sniff';
import { CodecUnavailableError, type CodecAdapter, type DecodeOptions } from './codecs/types';
import { oggVorbisAdapter } from './codecs/vorbis';
import { wavAdapter } from './codecs/wav';
import { downmixToMono } from './downmix';

export { sniffFormat, type AudioFormat } from './codecs/sniff';

export interface DecodedAudio {
  /** One Float32Array per channel, samples in [-1, 1]. */
  channelData: Float32Array[];
  sampleRate: number;
}

export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
  /** Channel count of the source before downmixing. */
  channels: number;
  format: AudioFormat;
}

export interface AudioProbe {
  format: AudioFormat;
  sampleRate: number;
  channels: number;
  /** Null when the header alone cannot tell (compressed formats without a frame count). */
  durationSec: number | null;
}

export class AudioDecodeError extends Error {
  constructor(
    readonly file: string,
    readonly cause_: string,
  ) {
    super(`${file}: ${cause_}`);
    this.name = 'AudioDecodeError';
  }
}

const ADAPTERS: Record<Exclude<AudioFormat, 'unknown'>, CodecAdapter> = {
  wav: wavAdapter,
  aiff: aiffAdapter,
  flac: flacAdapter,
  mp3: mp3Adapter,
  ogg: oggVorbisAdapter,
  opus: opusAdapter,
};

function adapterFor(bytes: Uint8Array, file: string): [Exclude<AudioFormat, 'unknown'>, CodecAdapter] {
  if (bytes.length === 0) throw new AudioDecodeError(file, 'empty file (0 bytes)');
  const format = sniffFormat(bytes);
  if (format === 'unknown') {
    const looksRiff = bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF';
    throw new AudioDecodeError(file, looksRiff ? 'truncated or malformed WAV header' : 'not an audio file this studio can read (unrecognised content)');
  }
  return [format, ADAPTERS[format]];
}

function reason(e: unknown): string {
  if (e instanceof CodecUnavailableError) return `unsupported codec: ${e.message}`;
  const msg = e instanceof Error ? e.message : String(e);
  // Out-of-range allocations from hostile headers surface as RangeError; say what they mean.
  return e instanceof RangeError ? `corrupt header (${msg})` : msg;
}

/** Decodes a whole file held in memory. `file` is only used in error messages. `opts.prefix`: `bytes` is only
 * the file's start, decoded to check that it decodes (no complaint that it is shorter than its header says). */
export async function decodeAudio(bytes: Uint8Array, file: string, opts?: DecodeOptions): Promise<DecodedAudio> {
  const [format, adapter] = adapterFor(bytes, file);
  let out: DecodedAudio;
  try {
    out = await adapter.decode(bytes, opts);
  } catch (e) {
    throw new AudioDecodeError(file, `unreadable ${format.toUpperCase()}: ${reason(e)}`);
  }
  if (!out.channelData?.length || !(out.sampleRate > 0)) throw new AudioDecodeError(file, `${format.toUpperCase()} has no audio data`);
  return out;
}

/** Decodes and averages all channels into one; non-finite samples become 0. */
export async function decodeMono(bytes: Uint8Array, file: string): Promise<MonoAudio> {
  const format = sniffFormat(bytes);
  const d = await decodeAudio(bytes, file);
  const samples = downmixToMono(d.channelData);
  if (samples.length === 0) throw new AudioDecodeError(file, 'no audio samples');
  return { samples, sampleRate: d.sampleRate, channels: d.channelData.length, format };
}

/** Reads format, rate, channels and duration from the header without decoding the audio. */
export function probeAudio(bytes: Uint8Array, file: string, totalBytes?: number): AudioProbe {
  const [format, adapter] = adapterFor(bytes, file);
  let p;
  try {
    p = adapter.probe(bytes, totalBytes);
  } catch (e) {
    throw new AudioDecodeError(file, `unreadable ${format.toUpperCase()} header: ${reason(e)}`);
  }
  if (!p) {
    if (format === 'wav') throw new AudioDecodeError(file, 'truncated or malformed WAV header');
    throw new AudioDecodeError(file, `truncated or malformed ${format.toUpperCase()} header`);
  }
  if (!(p.sampleRate > 0) || !(p.channels > 0)) throw new AudioDecodeError(file, `implausible header (rate ${p.sampleRate}, channels ${p.channels})`);
  return { format, sampleRate: p.sampleRate, channels: p.channels, durationSec: p.frames === null ? null : p.frames / p.sampleRate };
}
