// Google's speech_embedding model as shipped in openWakeWord (two ONNX graphs): 16 kHz audio at int16
// scale → 32-band log-mel frames (10 ms hop) → 96-d embeddings of 76-frame windows (stride 8 frames,
// i.e. one per 80 ms, each seeing 775 ms). Pooled per clip as mean and standard deviation: 192 dims.
import { speechEmbeddingModels } from './model-paths';
import { createOnnxSession, ort, type OnnxSession } from './onnx-session';
import { EncoderError, type AudioEncoder, type EncoderOptions } from './types';

const SAMPLE_RATE = 16000;
const MEL_BANDS = 32;
const WINDOW_FRAMES = 76;
const WINDOW_STRIDE = 8;
const EMBED_DIM = 96;
/** The melspectrogram graph needs at least this many samples to emit one frame (its 512-sample window; measured). */
const MIN_SAMPLES = 512;
/** Windows per embedding_model run. Measured on 1 thread: 0.74 ms per window in runs of 8-32, 1.5 ms in
 * runs of 256 and 2.3 ms in runs of 512 (cache effects): small runs are twice as fast. */
const MAX_WINDOWS_PER_RUN = 32;

export async function createSpeechEmbeddingEncoder(opts: EncoderOptions = {}): Promise<AudioEncoder> {
  const paths = speechEmbeddingModels();
  const mel = await createOnnxSession(paths.melspectrogram, opts);
  const emb = await createOnnxSession(paths.embedding, opts);
  return new SpeechEmbeddingEncoder(mel, emb);
}

class SpeechEmbeddingEncoder implements AudioEncoder {
  readonly id = 'speech-embedding-192';
  readonly sampleRate = SAMPLE_RATE;
  readonly dim = 2 * EMBED_DIM;
  readonly execution;

  constructor(
    private readonly mel: OnnxSession,
    private readonly emb: OnnxSession,
  ) {
    // Report the embedding graph's provider (it holds nearly all the compute); both share the request.
    this.execution = { ...emb.execution, fallbacks: [...new Set([...mel.execution.fallbacks, ...emb.execution.fallbacks])] };
  }

  async embed(batch: readonly Float32Array[]): Promise<Float32Array[]> {
    const mels = await this.melFrames(batch);
    // All windows of all clips go through the embedding graph together.
    const windowsPerClip = mels.map((m) => windowStarts(m.length / MEL_BANDS).length);
    const total = windowsPerClip.reduce((a, b) => a + b, 0);
    const input = new Float32Array(total * WINDOW_FRAMES * MEL_BANDS);
    let w = 0;
    for (const m of mels) {
      for (const start of windowStarts(m.length / MEL_BANDS)) {
        input.set(m.subarray(start * MEL_BANDS, (start + WINDOW_FRAMES) * MEL_BANDS), w * WINDOW_FRAMES * MEL_BANDS);
        w++;
      }
    }
    const embeddings = new Float32Array(total * EMBED_DIM);
    for (let first = 0; first < total; first += MAX_WINDOWS_PER_RUN) {
      const n = Math.min(MAX_WINDOWS_PER_RUN, total - first);
      const slice = input.subarray(first * WINDOW_FRAMES * MEL_BANDS, (first + n) * WINDOW_FRAMES * MEL_BANDS);
      const feeds = { [this.emb.session.inputNames[0]]: new ort.Tensor('float32', slice, [n, WINDOW_FRAMES, MEL_BANDS, 1]) };
      const out = await this.emb.session.run(feeds);
      embeddings.set(out[this.emb.session.outputNames[0]].data as Float32Array, first * EMBED_DIM);
    }
    const result: Float32Array[] = [];
    let offset = 0;
    for (const n of windowsPerClip) {
      result.push(meanStd(embeddings.subarray(offset * EMBED_DIM, (offset + n) * EMBED_DIM), n, EMBED_DIM));
      offset += n;
    }
    return result;
  }

  /** Log-mel frames per clip, already scaled as the embedding graph expects (x/10 + 2), padded to ≥ 76 frames. */
  private async melFrames(batch: readonly Float32Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    // One clip per run: the graph floors its log-mel output at (max − 80 dB) over the whole input
    // tensor, so batching clips would let the loudest clip change the others' features (measured:
    // up to 4.5 units of difference in a quiet clip's frames).
    for (const [i, clip] of batch.entries()) {
      if (clip.length === 0) throw new EncoderError(`clip ${i} is empty`);
      const len = Math.max(clip.length, MIN_SAMPLES);
      const input = new Float32Array(len);
      for (let j = 0; j < clip.length; j++) input[j] = clip[j] * 32767;
      const feeds = { [this.mel.session.inputNames[0]]: new ort.Tensor('float32', input, [1, len]) };
      const res = (await this.mel.session.run(feeds))[this.mel.session.outputNames[0]];
      out.push(padFrames((res.data as Float32Array).map((x) => x / 10 + 2)));
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.mel.session.release();
    await this.emb.session.release();
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
