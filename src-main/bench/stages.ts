// Where the time goes, per clip, in one thread: read+decode, resample to 16 kHz, the functionals
// (pitch separately), and the ONNX speech embedding (batched as the worker batches). Measured as CPU
// time of this process (ONNX on one thread), so that other load on the machine does not inflate it.
import { readFile } from 'node:fs/promises';
import { decodeMono } from '../engine/audio/decode';
import { resampleMono } from '../engine/audio/resample';
import { createSpeechEmbeddingEncoder } from '../engine/encoders/speech-embedding';
import { extractFeatures } from '../engine/features/extract';
import { pitchTrack } from '../engine/features/pitch';

export interface StageProfile {
  clips: number;
  audioSec: number;
  /** Milliseconds per clip. */
  msPerClip: { decode: number; resample: number; functionals: number; pitch: number; speechEmbedding: number; total: number };
}

export async function profileStages(files: readonly string[], batchSize = 16): Promise<StageProfile> {
  const enc = await createSpeechEmbeddingEncoder({ threads: 1 });
  let decode = 0, resample = 0, functionals = 0, pitch = 0, onnx = 0, audioSec = 0;
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  const at16k: Float32Array[] = [];
  try {
    // One untimed pass over a few clips first, so that start-up (JIT, first ONNX runs) is not billed to them.
    for (const f of files.slice(0, 8)) {
      const m = await decodeMono(await readFile(f), f);
      const x = await resampleMono(m.samples, m.sampleRate, 16000);
      extractFeatures(x, 16000);
      pitchTrack(x, 16000);
      await enc.embed([x]);
    }
    for (const f of files) {
      let t = process.cpuUsage();
      const mono = await decodeMono(await readFile(f), f);
      decode += cpuMs(t);
      audioSec += mono.samples.length / mono.sampleRate;
      t = process.cpuUsage();
      at16k.push(await resampleMono(mono.samples, mono.sampleRate, 16000));
      resample += cpuMs(t);
    }
    for (const x of at16k) {
      let t = process.cpuUsage();
      extractFeatures(x, 16000);
      functionals += cpuMs(t);
      t = process.cpuUsage();
      pitchTrack(x, 16000);
      pitch += cpuMs(t);
    }
    for (let i = 0; i < at16k.length; i += batchSize) {
      const t = process.cpuUsage();
      await enc.embed(at16k.slice(i, i + batchSize));
      onnx += cpuMs(t);
    }
  } finally {
    await enc.dispose();
  }
  const n = Math.max(1, files.length);
  const per = (ms: number) => ms / n;
  return {
    clips: files.length,
    audioSec,
    msPerClip: { decode: per(decode), resample: per(resample), functionals: per(functionals), pitch: per(pitch), speechEmbedding: per(onnx), total: per(decode + resample + functionals + onnx) },
  };
}
