// Short-time power spectra on fft.js: Hann-windowed frames, power |X|² of bins 0..N/2. The engine's one STFT:
// `FramePower` is the step both the features' frames (powerSpectrogram) and the clip view's spectrogram
// (engine/display/spectrogram.ts) take per frame.
import FFT from 'fft.js';

export interface FrameSpec {
  sampleRate: number;
  /** Samples per analysis frame (25 ms by default). */
  frameLength: number;
  /** Samples between frame starts (10 ms by default). */
  hop: number;
  fftSize: number;
}

export function frameSpec(sampleRate: number, frameMs = 25, hopMs = 10): FrameSpec {
  const frameLength = Math.round((sampleRate * frameMs) / 1000);
  let fftSize = 1;
  while (fftSize < frameLength) fftSize *= 2;
  return { sampleRate, frameLength, hop: Math.round((sampleRate * hopMs) / 1000), fftSize };
}

/** Number of frames: at least one, the last one zero-padded. */
export function frameCount(n: number, spec: FrameSpec): number {
  return n <= spec.frameLength ? 1 : 1 + Math.ceil((n - spec.frameLength) / spec.hop);
}

export interface Spectrogram {
  spec: FrameSpec;
  frames: number;
  bins: number;
  /** frames × bins power values, row-major. */
  power: Float32Array;
}

/**
 * The power spectrum of one Hann-windowed frame of `frameLength` samples, zero-padded to `fftSize`: |X_k|² for
 * k = 0..fftSize/2. Buffers are reused, so the array a call returns is overwritten by the next call on the
 * same instance (read it before anything else runs).
 */
export class FramePower {
  readonly bins: number;
  private readonly fft: FFT;
  private readonly out: number[];
  private readonly input: Float64Array;
  private readonly window: Float64Array;
  private readonly power: Float64Array;

  constructor(
    readonly frameLength: number,
    readonly fftSize: number,
  ) {
    this.window = new Float64Array(frameLength);
    for (let i = 0; i < frameLength; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (frameLength - 1));
    this.fft = new FFT(fftSize);
    this.out = this.fft.createComplexArray() as number[];
    this.input = new Float64Array(fftSize);
    this.bins = fftSize / 2 + 1;
    this.power = new Float64Array(this.bins);
  }

  /**
   * The frame starting at sample `start`, where `samples[j - offset]` holds sample j; only samples j in [lo, hi)
   * are read, the rest of the frame counts as silence (so a frame may hang over either end).
   */
  of(samples: Float32Array, start: number, lo = 0, hi = samples.length, offset = 0): Float64Array {
    const { input, window, out, power } = this;
    const a = Math.max(0, lo - start);
    const b = Math.min(this.frameLength, hi - start);
    input.fill(0);
    for (let i = a; i < b; i++) input[i] = samples[start + i - offset] * window[i];
    this.fft.realTransform(out, input);
    for (let k = 0; k < this.bins; k++) power[k] = out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1];
    return power;
  }
}

const framePowers = new Map<string, FramePower>();

/** A shared FramePower for these sizes (its buffers are reused across calls; see FramePower). */
export function framePower(frameLength: number, fftSize: number): FramePower {
  const key = `${frameLength}/${fftSize}`;
  let f = framePowers.get(key);
  if (!f) framePowers.set(key, (f = new FramePower(frameLength, fftSize)));
  return f;
}

export function powerSpectrogram(samples: Float32Array, spec: FrameSpec): Spectrogram {
  const frames = frameCount(samples.length, spec);
  const stft = framePower(spec.frameLength, spec.fftSize);
  const bins = stft.bins;
  const power = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) power.set(stft.of(samples, t * spec.hop), t * bins);
  return { spec, frames, bins, power };
}
