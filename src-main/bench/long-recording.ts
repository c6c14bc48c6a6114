// A long synthetic recording for the bench: demo utterances with silences between them (0.3-2 s of faint
// noise, from a fixed seed), written as one 16-bit WAV at the clips' rate. The VAD then has to find the
// utterances again, as it would in a real session recording.
import decodeWav from '@audio/decode-wav';
import { readFileSync, writeFileSync } from 'node:fs';

export interface SyntheticRecording {
  file: string;
  sampleRate: number;
  durationSec: number;
  utterances: number;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeSyntheticRecording(clips: readonly string[], file: string, targetSec = 600, seed = 7): SyntheticRecording {
  const decoded = clips.map((c) => decodeWav(readFileSync(c)) as { channelData: Float32Array[]; sampleRate: number });
  const rate = decoded[0].sampleRate;
  const same = decoded.filter((d) => d.sampleRate === rate).map((d) => d.channelData[0]);
  const rand = rng(seed);
  const total = Math.round(targetSec * rate);
  const pcm = new Int16Array(total);
  let pos = 0;
  let utterances = 0;
  let k = 0;
  while (pos < total) {
    const gap = Math.round((0.3 + 1.7 * rand()) * rate);
    for (let i = 0; i < gap && pos < total; i++, pos++) pcm[pos] = Math.round((rand() - 0.5) * 20);
    const clip = same[k++ % same.length];
    if (pos + clip.length > total) break;
    for (let i = 0; i < clip.length; i++, pos++) pcm[pos] = Math.max(-32768, Math.min(32767, Math.round(clip[i] * 32767)));
    utterances++;
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + total * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(total * 2, 40);
  writeFileSync(file, Buffer.concat([header, Buffer.from(pcm.buffer)]));
  return { file, sampleRate: rate, durationSec: total / rate, utterances };
}
