// Short-time power spectra on fft.js: Hann-windowed frames, power |X|² of bins 0..N/2.
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

const fftCache = new Map<number, { fft: FFT; out: number[]; input: Float64Array; window: Float64Array }>();

function fftFor(spec: FrameSpec) {
  const key = spec.fftSize * 100000 + spec.frameLength;
  let f = fftCache.get(key);
  if (!f) {
    const window = new Float64Array(spec.frameLength);
    for (let i = 0; i < spec.frameLength; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (spec.frameLength - 1));
    const fft = new FFT(spec.fftSize);
    f = { fft, out: fft.createComplexArray(), input: new Float64Array(spec.fftSize), window };
    fftCache.set(key, f);
  }
  return f;
}

export function powerSpectrogram(samples: Float32Array, spec: FrameSpec): Spectrogram {
  const frames = frameCount(samples.length, spec);
  const bins = spec.fftSize / 2 + 1;
  const power = new Float32Array(frames * bins);
  const { fft, out, input, window } = fftFor(spec);
  for (let t = 0; t < frames; t++) {
    const start = t * spec.hop;
    input.fill(0);
    const len = Math.min(spec.frameLength, samples.length - start);
    for (let i = 0; i < len; i++) input[i] = samples[start + i] * window[i];
    fft.realTransform(out, input);
    const row = t * bins;
    for (let k = 0; k < bins; k++) {
      const re = out[2 * k];
      const im = out[2 * k + 1];
      power[row + k] = re * re + im * im;
    }
  }
  return { spec, frames, bins, power };
}
