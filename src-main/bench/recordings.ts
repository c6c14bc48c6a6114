// Long session recordings for the benches and the tests of the VAD path: demo utterances with 0.3-2 s of faint
// noise between them (from a fixed seed), written as 16-bit mono WAVs — the benches' one WAV writer. Each file
// is streamed out a piece at a time, so writing hours of audio needs memory for one utterance, not for the file.
// The VAD then has to find the utterances again, as it would in a real session recording.
import decodeWav from '@audio/decode-wav';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMono } from '../engine/audio/decode';
import { resampleMono } from '../engine/audio/resample';
import { makeRng } from '../engine/odn/rng';

export const RECORDING_RATE = 16000;

export interface WrittenRecording {
  file: string;
  sampleRate: number;
  durationSec: number;
  utterances: number;
  bytes: number;
}

function wavHeader(samples: number, rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + samples * 2, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(samples * 2, 40);
  return h;
}

/** The clips decoded and resampled to 16 kHz, once for all recordings. */
export async function loadUtterances(clips: readonly string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const c of clips) {
    const mono = await decodeMono(readFileSync(c), c);
    out.push(await resampleMono(mono.samples, mono.sampleRate, RECORDING_RATE));
  }
  return out;
}

export interface RecordingOptions {
  /** The utterances' sample rate (default RECORDING_RATE). */
  sampleRate?: number;
  /** The first utterance (default: one drawn from the seed); the others follow in order, round and round. */
  first?: number;
}

/** One recording of exactly `seconds` (the tail is silence when the next utterance would not fit). */
export function writeRecording(utterances: readonly Float32Array[], file: string, seconds: number, seed: number, opts: RecordingOptions = {}): WrittenRecording {
  if (!utterances.length) throw new Error('no utterances to build a recording from');
  const rate = opts.sampleRate ?? RECORDING_RATE;
  const rand = makeRng(seed);
  const total = Math.round(seconds * rate);
  const fd = openSync(file, 'w');
  let pos = 0;
  let count = 0;
  let k = opts.first ?? Math.floor(rand() * utterances.length);
  const put = (pcm: Int16Array) => {
    writeSync(fd, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    pos += pcm.length;
  };
  try {
    writeSync(fd, wavHeader(total, rate));
    while (pos < total) {
      const gap = new Int16Array(Math.min(total - pos, Math.round((0.3 + 1.7 * rand()) * rate)));
      for (let i = 0; i < gap.length; i++) gap[i] = Math.round((rand() - 0.5) * 20);
      put(gap);
      const u = utterances[k++ % utterances.length];
      if (pos + u.length > total) {
        put(new Int16Array(total - pos));
        break;
      }
      const pcm = new Int16Array(u.length);
      for (let i = 0; i < u.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(u[i] * 32767)));
      put(pcm);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return { file, sampleRate: rate, durationSec: total / rate, utterances: count, bytes: 44 + total * 2 };
}

/** A recording of `targetSec` from these WAV clips at their own rate (those at the first clip's rate), starting
 * with the first clip: synchronous, for the bench and the tests of the VAD path. */
export function writeSyntheticRecording(clips: readonly string[], file: string, targetSec = 600, seed = 7): WrittenRecording {
  const decoded = clips.map((c) => decodeWav(readFileSync(c)) as { channelData: Float32Array[]; sampleRate: number });
  const sampleRate = decoded[0].sampleRate;
  const same = decoded.filter((d) => d.sampleRate === sampleRate).map((d) => d.channelData[0]);
  return writeRecording(same, file, targetSec, seed, { sampleRate, first: 0 });
}

/** `hours` of audio as files of at most `fileSec` each (default one hour), named session-01.wav, … */
export function writeRecordings(utterances: readonly Float32Array[], dir: string, hours: number, fileSec = 3600): WrittenRecording[] {
  const out: WrittenRecording[] = [];
  let left = Math.round(hours * 3600);
  for (let i = 1; left > 0; i++) {
    const sec = Math.min(fileSec, left);
    out.push(writeRecording(utterances, join(dir, `session-${String(i).padStart(2, '0')}.wav`), sec, 100 + i));
    left -= sec;
  }
  return out;
}
