// Google's speech_embedding model as shipped in openWakeWord (two ONNX graphs): 16 kHz audio at int16
// scale → 32-band log-mel frames (10 ms hop) → 96-d embeddings of 76-frame windows (stride 8 frames,
// i.e. one per 80 ms, each seeing 775 ms). Pooled per clip as mean and standard deviation: 192 dims.
import { speechEmbeddingModels } from './model-paths';
import { createOnnxSession, ort, type OnnxSession } from './onnx-session';
import { EncoderError, type AudioEncoder, type EncoderOptions, type ExecutionInfo } from './types';

const SAMPLE_RATE = 16000;
const MEL_BANDS = 32;
const WINDOW_FRAMES = 76;
const WINDOW_STRIDE = 8;
const EMBED_DIM = 96;
/** The melspectrogram graph needs at least this many samples to emit one frame (its 512-sample window; measured). */
const MIN_SAMPLES = 512;

/** Windows per embedding_model run, by execution provider. CPU, 1 thread: 0.74 ms per window in runs of
 * 8-32, 1.5 ms in runs of 256 and 2.3 ms in runs of 512 (cache effects): small runs are twice as fast.
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
  const emb = await createOnnxSession(speechEmbeddingModels().embedding, opts);
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
    // All windows of all clips go through the embedding graph together.
    const windowsPerClip = mels.map((m) => windowStarts(m.length / MEL_BANDS).length);
    const total = windowsPerClip.reduce((a, b) => a + b, 0);
    const win = WINDOW_FRAMES * MEL_BANDS;
    const provider = this.execution.provider;
    const input = new Float32Array(total * win);
    let w = 0;
    for (const m of mels) {
      for (const start of windowStarts(m.length / MEL_BANDS)) {
        input.set(m.subarray(start * MEL_BANDS, (start + WINDOW_FRAMES) * MEL_BANDS), w * win);
        w++;
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
      const feeds = { [this.emb.session.inputNames[0]]: new ort.Tensor('float32', slice, [rows, WINDOW_FRAMES, MEL_BANDS, 1]) };
      const out = await this.emb.session.run(feeds);
      embeddings.set((out[this.emb.session.outputNames[0]].data as Float32Array).subarray(0, n * EMBED_DIM), first * EMBED_DIM);
    }
    const result: Float32Array[] = [];
    let offset = 0;
    for (const n of windowsPerClip) {
      result.push(meanStd(embeddings.subarray(offset * EMBED_DIM, (offset + n) * EMBED_DIM), n, EMBED_DIM));
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

function windowStarts(frames: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + WINDOW_FRAMES <= frames; s += WINDOW_STRIDE) starts.push(s);
  return starts;
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
