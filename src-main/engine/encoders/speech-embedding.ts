// Google's speech_embedding model as shipped in openWakeWord (two ONNX graphs): 16 kHz audio at int16
// scale → 32-band log-mel frames (10 ms hop) → 96-d embeddings of 76-frame windows (stride 8 frames,
// i.e. one per 80 ms, each seeing 775 ms). Pooled per clip as mean and standard deviation: 192 dims.
import { EMBED_DIM, MEL_BANDS, sequenceEmbeddingGraph, windowCount, WINDOW_FRAMES, WINDOW_STRIDE } from './embedding-graph';
import { speechEmbeddingModels } from './model-paths';
import { createOnnxSession, ort, type OnnxSession } from './onnx-session';
import { EncoderError, type AudioEncoder, type EncoderOptions, type ExecutionInfo } from './types';

const SAMPLE_RATE = 16000;
/** The melspectrogram graph needs at least this many samples to emit one frame (its 512-sample window; measured). */
const MIN_SAMPLES = 512;

/** How the embedding graph is fed, by execution provider. On the CPU a clip's whole mel sequence goes in
 * at once (embedding-graph.ts: each frame computed once, not once per window it falls in; a 2-s clip
 * 13.3 → 2.8 ms), in pieces of at most `SEQUENCE_WINDOWS` windows so that hour-long inputs stay small.
 * WebGPU keeps separate windows batched across clips: same-shaped runs of 512 windows (26-36 µs per window
 * on an H100), where clip-length sequences would hand it a new input shape on nearly every run. */
export function feedMode(provider: string): 'sequence' | 'windows' {
  return provider === 'webgpu' ? 'windows' : 'sequence';
}
const SEQUENCE_WINDOWS = 128;

/** Windows per embedding_model run in window mode, by execution provider. CPU, 1 thread: 0.74 ms per
 * window in runs of 8-32, 1.5 ms in runs of 256 and 2.3 ms in runs of 512 (cache effects).
 * WebGPU on an H100: 97-114 µs per window in runs of 32, 26-36 µs in runs of 256-512 (launch overhead). */
export function windowsPerRun(provider: string): number {
  return provider === 'webgpu' ? 512 : 32;
}

/** Rows fed to one run. WebGPU pads a short last run to a power of two (≥ 32) so that only a handful of
 * input shapes ever reach it; the embedding graph treats windows independently, so padding rows change
 * nothing in the others and are dropped. */
export function paddedRows(n: number, provider: string): number {
  if (provider !== 'webgpu') return n;
  let p = 32;
  while (p < n) p *= 2;
  return p;
}

export async function createSpeechEmbeddingEncoder(opts: EncoderOptions = {}): Promise<AudioEncoder> {
  const mel = await createMelFrontEnd(opts);
  const emb = await createWindowEmbedder(opts);
  return new SpeechEmbeddingEncoder(mel, emb);
}

/** Stage 1 (cheap, per clip; runs where the audio is prepared): 16 kHz audio → scaled, padded log-mel frames. */
export interface MelFrontEnd {
  readonly execution: ExecutionInfo;
  /** Frames × 32 log-mel values (x/10 + 2), at least 76 frames. Throws an EncoderError on an empty clip. */
  frames(clip: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Stage 2 (the heavy graph; batched across clips): mel frames per clip → pooled 192-d vector per clip. */
export interface WindowEmbedder {
  readonly execution: ExecutionInfo;
  readonly windowsPerRun: number;
  embedFrames(mels: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export async function createMelFrontEnd(opts: EncoderOptions = {}): Promise<MelFrontEnd> {
  const mel = await createOnnxSession(speechEmbeddingModels().melspectrogram, opts);
  return {
    execution: mel.execution,
    // One clip per run: the graph floors its log-mel output at (max − 80 dB) over the whole input
    // tensor, so batching clips would let the loudest clip change the others' features (measured:
    // up to 4.5 units of difference in a quiet clip's frames).
    async frames(clip) {
      if (clip.length === 0) throw new EncoderError('clip is empty');
      const len = Math.max(clip.length, MIN_SAMPLES);
      const input = new Float32Array(len);
      for (let j = 0; j < clip.length; j++) input[j] = clip[j] * 32767;
      const feeds = { [mel.session.inputNames[0]]: new ort.Tensor('float32', input, [1, len]) };
      const res = (await mel.session.run(feeds))[mel.session.outputNames[0]];
      return padFrames((res.data as Float32Array).map((x) => x / 10 + 2));
    },
    dispose: () => mel.session.release(),
  };
}

export async function createWindowEmbedder(opts: EncoderOptions = {}): Promise<WindowEmbedder> {
  const emb = await createOnnxSession(sequenceEmbeddingGraph(speechEmbeddingModels().embedding), opts);
  return new OnnxWindowEmbedder(emb);
}

class OnnxWindowEmbedder implements WindowEmbedder {
  readonly execution: ExecutionInfo;
  readonly windowsPerRun: number;

  constructor(private readonly emb: OnnxSession) {
    this.execution = emb.execution;
    this.windowsPerRun = windowsPerRun(emb.execution.provider);
  }

  async embedFrames(mels: readonly Float32Array[]): Promise<Float32Array[]> {
    const perClip = feedMode(this.execution.provider) === 'sequence' ? await this.runSequences(mels) : await this.runWindows(mels);
    return perClip.map((rows) => meanStd(rows, rows.length / EMBED_DIM, EMBED_DIM));
  }

  private async run(data: Float32Array, dims: number[]): Promise<Float32Array> {
    const feeds = { [this.emb.session.inputNames[0]]: new ort.Tensor('float32', data, dims) };
    return (await this.emb.session.run(feeds))[this.emb.session.outputNames[0]].data as Float32Array;
  }

  /** Each clip's frames in one run (or a few, for long clips); pieces start on a window boundary and
   * overlap by the frames their neighbouring windows share. */
  private async runSequences(mels: readonly Float32Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const m of mels) {
      const total = windowCount(m.length / MEL_BANDS);
      const rows = new Float32Array(total * EMBED_DIM);
      for (let first = 0; first < total; first += SEQUENCE_WINDOWS) {
        const n = Math.min(SEQUENCE_WINDOWS, total - first);
        const frames = WINDOW_FRAMES + (n - 1) * WINDOW_STRIDE;
        const start = first * WINDOW_STRIDE;
        const emb = await this.run(m.subarray(start * MEL_BANDS, (start + frames) * MEL_BANDS), [1, frames, MEL_BANDS, 1]);
        rows.set(emb.subarray(0, n * EMBED_DIM), first * EMBED_DIM);
      }
      out.push(rows);
    }
    return out;
  }

  /** All windows of all clips cut out and run together, in runs of `windowsPerRun`. */
  private async runWindows(mels: readonly Float32Array[]): Promise<Float32Array[]> {
    const windowsPerClip = mels.map((m) => windowCount(m.length / MEL_BANDS));
    const total = windowsPerClip.reduce((a, b) => a + b, 0);
    const win = WINDOW_FRAMES * MEL_BANDS;
    const provider = this.execution.provider;
    const input = new Float32Array(total * win);
    let w = 0;
    for (const [c, m] of mels.entries()) {
      for (let k = 0; k < windowsPerClip[c]; k++, w++) {
        const start = k * WINDOW_STRIDE;
        input.set(m.subarray(start * MEL_BANDS, (start + WINDOW_FRAMES) * MEL_BANDS), w * win);
      }
    }
    const embeddings = new Float32Array(total * EMBED_DIM);
    for (let first = 0; first < total; first += this.windowsPerRun) {
      const n = Math.min(this.windowsPerRun, total - first);
      const rows = paddedRows(n, provider);
      let slice = input.subarray(first * win, (first + rows) * win);
      if (slice.length < rows * win) {
        const padded = new Float32Array(rows * win);
        padded.set(slice);
        slice = padded;
      }
      const emb = await this.run(slice, [rows, WINDOW_FRAMES, MEL_BANDS, 1]);
      embeddings.set(emb.subarray(0, n * EMBED_DIM), first * EMBED_DIM);
    }
    const result: Float32Array[] = [];
    let offset = 0;
    for (const n of windowsPerClip) {
      result.push(embeddings.subarray(offset * EMBED_DIM, (offset + n) * EMBED_DIM));
      offset += n;
    }
    return result;
  }

  async dispose(): Promise<void> {
    await this.emb.session.release();
  }
}

class SpeechEmbeddingEncoder implements AudioEncoder {
  readonly id = 'speech-embedding-192';
  readonly sampleRate = SAMPLE_RATE;
  readonly dim = 2 * EMBED_DIM;
  readonly execution;

  constructor(
    private readonly mel: MelFrontEnd,
    private readonly emb: WindowEmbedder,
  ) {
    // Report the embedding graph's provider (it holds nearly all the compute); both share the request.
    this.execution = { ...emb.execution, fallbacks: [...new Set([...mel.execution.fallbacks, ...emb.execution.fallbacks])] };
  }

  async embed(batch: readonly Float32Array[]): Promise<Float32Array[]> {
    const mels: Float32Array[] = [];
    for (const [i, clip] of batch.entries()) {
      if (clip.length === 0) throw new EncoderError(`clip ${i} is empty`);
      mels.push(await this.mel.frames(clip));
    }
    return this.emb.embedFrames(mels);
  }

  async dispose(): Promise<void> {
    await this.mel.dispose();
    await this.emb.dispose();
  }
}

/** Clips shorter than one window (0.775 s) repeat their frames until one window is full. */
function padFrames(frames: Float32Array): Float32Array {
  const n = frames.length / MEL_BANDS;
  if (n >= WINDOW_FRAMES) return frames;
  const out = new Float32Array(WINDOW_FRAMES * MEL_BANDS);
  for (let t = 0; t < WINDOW_FRAMES; t++) out.set(frames.subarray((t % n) * MEL_BANDS, ((t % n) + 1) * MEL_BANDS), t * MEL_BANDS);
  return out;
}

export function meanStd(rows: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(2 * dim);
  for (let r = 0; r < n; r++) for (let d = 0; d < dim; d++) out[d] += rows[r * dim + d] / n;
  for (let r = 0; r < n; r++)
    for (let d = 0; d < dim; d++) {
      const x = rows[r * dim + d] - out[d];
      out[dim + d] += (x * x) / n;
    }
  for (let d = 0; d < dim; d++) out[dim + d] = Math.sqrt(out[dim + d]);
  return out;
}
