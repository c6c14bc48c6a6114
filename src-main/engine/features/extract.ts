// An eGeMAPS-like acoustic vector: frame-level descriptors (loudness, energy, ZCR, spectral shape,
// MFCC 1-20 and their deltas, F0 in semitones and its delta), each summarised by the functionals in
// functionals.ts, plus voicing and timing ratios. Fixed length whatever the input; finite on silence.
// On EmoDB alone this family of features gave 0.76 UA (leave-one-speaker-out; see NOTES-deps).
import { deltas, FUNCTIONAL_NAMES, writeFunctionals } from './functionals';
import { dctMatrix, melFilterbank, type MelFilter } from './mel';
import { pitchTrack } from './pitch';
import { frameSpec, powerSpectrogram, type FrameSpec } from './spectrogram';

const N_MELS = 40;
const N_MFCC = 20;
const EPS = 1e-10;

const SPECTRAL_LLDS = [
  'rmsDb',
  'loudness',
  'zcr',
  'spectralCentroidHz',
  'spectralFlux',
  'spectralRolloff85Hz',
  'spectralFlatness',
  'spectralSlope0_500',
  'spectralSlope500_1500',
  'alphaRatioDb',
  'hammarbergDb',
] as const;
const MFCC_LLDS = Array.from({ length: N_MFCC }, (_, i) => `mfcc${i + 1}`);
const MFCC_DELTA_LLDS = MFCC_LLDS.map((n) => `${n}_delta`);
const PITCH_LLDS = ['f0Semitones', 'f0Semitones_delta'];
const TIMING = ['voicedRatio', 'voicedSegmentsPerSec', 'meanVoicedSegmentSec', 'meanUnvoicedSegmentSec'];

const NAMES: readonly string[] = [
  ...[...SPECTRAL_LLDS, ...MFCC_LLDS, ...MFCC_DELTA_LLDS, ...PITCH_LLDS].flatMap((l) => FUNCTIONAL_NAMES.map((f) => `${l}_${f}`)),
  ...TIMING,
];

/** Names of the vector's dimensions, in order (`<descriptor>_<functional>`). */
export function featureNames(): string[] {
  return [...NAMES];
}

export const FEATURE_DIM = NAMES.length;

interface Bank {
  mel: MelFilter[];
  dct: Float32Array[];
}
const banks = new Map<string, Bank>();
function bankFor(spec: FrameSpec): Bank {
  const key = `${spec.sampleRate}:${spec.fftSize}`;
  let b = banks.get(key);
  if (!b) {
    b = { mel: melFilterbank(N_MELS, spec.fftSize, spec.sampleRate, 20, Math.min(8000, spec.sampleRate / 2)), dct: dctMatrix(N_MFCC + 1, N_MELS) };
    banks.set(key, b);
  }
  return b;
}

/** Computes the feature vector of mono audio at any sample rate (the studio feeds 16 kHz). */
export function extractFeatures(samples: Float32Array, sampleRate: number): Float32Array {
  const spec = frameSpec(sampleRate);
  const sg = powerSpectrogram(samples, spec);
  const { frames, bins, power } = sg;
  const binHz = sampleRate / spec.fftSize;
  const { mel, dct } = bankFor(spec);
  const stepSec = spec.hop / sampleRate;

  const spectral = SPECTRAL_LLDS.map(() => new Float32Array(frames));
  const mfcc = new Float32Array(frames * N_MFCC);
  const logMel = new Float32Array(N_MELS);
  const prevMag = new Float32Array(bins);
  const mag = new Float32Array(bins);
  const binRange = (lo: number, hi: number) => [Math.max(0, Math.ceil(lo / binHz)), Math.min(bins - 1, Math.floor(hi / binHz))];
  const [s0a, s0b] = binRange(0, 500);
  const [s1a, s1b] = binRange(500, 1500);
  const [lowA, lowB] = binRange(50, 1000);
  const [highA, highB] = binRange(1000, 5000);
  const [hamA, hamB] = binRange(0, 2000);
  const [ham2A, ham2B] = binRange(2000, 5000);

  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    // Time domain: RMS energy and zero crossings over the unwindowed frame.
    const start = t * spec.hop;
    const end = Math.min(samples.length, start + spec.frameLength);
    let e = 0;
    let zc = 0;
    for (let i = start; i < end; i++) {
      e += samples[i] * samples[i];
      if (i > start && samples[i] >= 0 !== samples[i - 1] >= 0) zc++;
    }
    const len = Math.max(1, end - start);
    spectral[0][t] = 10 * Math.log10(e / len + EPS);
    spectral[2][t] = zc / len;

    let total = 0;
    let weighted = 0;
    let logSum = 0;
    let magNorm = 0;
    for (let k = 0; k < bins; k++) {
      const p = power[row + k];
      total += p;
      weighted += p * k * binHz;
      logSum += Math.log(p + EPS);
      mag[k] = Math.sqrt(p);
      magNorm += p;
    }
    spectral[3][t] = total > 0 ? weighted / total : 0;
    // Flux between L2-normalised magnitude spectra, so it measures change of shape, not of level.
    magNorm = Math.sqrt(magNorm);
    let flux = 0;
    for (let k = 0; k < bins; k++) {
      const m = magNorm > 0 ? mag[k] / magNorm : 0;
      if (t > 0) flux += (m - prevMag[k]) ** 2;
      prevMag[k] = m;
    }
    spectral[4][t] = Math.sqrt(flux);
    let acc = 0;
    let roll = 0;
    for (let k = 0; k < bins; k++) {
      acc += power[row + k];
      if (acc >= 0.85 * total) {
        roll = k * binHz;
        break;
      }
    }
    spectral[5][t] = total > 0 ? roll : 0;
    const arith = total / bins;
    spectral[6][t] = arith > EPS ? Math.exp(logSum / bins) / (arith + EPS) : 0;
    spectral[7][t] = dbSlope(power, row, s0a, s0b, binHz);
    spectral[8][t] = dbSlope(power, row, s1a, s1b, binHz);
    spectral[9][t] = 10 * Math.log10((sum(power, row, lowA, lowB) + EPS) / (sum(power, row, highA, highB) + EPS));
    spectral[10][t] = 10 * Math.log10((max(power, row, hamA, hamB) + EPS) / (max(power, row, ham2A, ham2B) + EPS));

    // Mel bands: loudness as the sum of compressed band energies, MFCC from their logs.
    let loud = 0;
    for (let m = 0; m < N_MELS; m++) {
      const f = mel[m];
      let be = 0;
      for (let j = 0; j < f.weights.length; j++) be += f.weights[j] * power[row + f.firstBin + j];
      loud += Math.pow(be, 0.3);
      logMel[m] = Math.log(be + EPS);
    }
    spectral[1][t] = loud;
    for (let c = 0; c < N_MFCC; c++) {
      const d = dct[c + 1];
      let v = 0;
      for (let m = 0; m < N_MELS; m++) v += d[m] * logMel[m];
      mfcc[t * N_MFCC + c] = v;
    }
  }

  const out = new Float32Array(FEATURE_DIM);
  let o = 0;
  for (const contour of spectral) o = writeFunctionals(contour, stepSec, out, o);
  const column = new Float32Array(frames);
  for (let c = 0; c < N_MFCC; c++) {
    for (let t = 0; t < frames; t++) column[t] = mfcc[t * N_MFCC + c];
    o = writeFunctionals(column, stepSec, out, o);
  }
  for (let c = 0; c < N_MFCC; c++) o = writeFunctionals(deltas(mfcc, frames, N_MFCC, c), stepSec, out, o);

  const { f0, hopSec } = pitchTrack(samples, sampleRate);
  const voiced: number[] = [];
  for (const hz of f0) if (hz > 0) voiced.push(12 * Math.log2(hz / 27.5));
  o = writeFunctionals(voiced, hopSec, out, o);
  // F0 delta only between adjacent voiced frames, so voicing onsets do not show up as pitch jumps.
  const f0Delta: number[] = [];
  for (let t = 1; t < f0.length; t++) if (f0[t] > 0 && f0[t - 1] > 0) f0Delta.push(12 * Math.log2(f0[t] / f0[t - 1]) / hopSec);
  o = writeFunctionals(f0Delta, hopSec, out, o);

  const runs = { voiced: [] as number[], unvoiced: [] as number[] };
  let runLen = 0;
  for (let t = 0; t < f0.length; t++) {
    runLen++;
    const last = t === f0.length - 1 || f0[t + 1] > 0 !== f0[t] > 0;
    if (last) {
      (f0[t] > 0 ? runs.voiced : runs.unvoiced).push(runLen * hopSec);
      runLen = 0;
    }
  }
  const durSec = samples.length / sampleRate;
  const meanOf = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  out[o++] = f0.length ? voiced.length / f0.length : 0;
  out[o++] = durSec > 0 ? runs.voiced.length / durSec : 0;
  out[o++] = meanOf(runs.voiced);
  out[o++] = meanOf(runs.unvoiced);
  return out;
}

function sum(p: Float32Array, row: number, a: number, b: number): number {
  let s = 0;
  for (let k = a; k <= b; k++) s += p[row + k];
  return s;
}

function max(p: Float32Array, row: number, a: number, b: number): number {
  let m = 0;
  for (let k = a; k <= b; k++) if (p[row + k] > m) m = p[row + k];
  return m;
}

/** Least-squares slope of the power spectrum in dB against frequency, in dB per kHz. */
function dbSlope(p: Float32Array, row: number, a: number, b: number, binHz: number): number {
  const n = b - a + 1;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = a; k <= b; k++) {
    const x = (k * binHz) / 1000;
    const y = 10 * Math.log10(p[row + k] + EPS);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const den = n * sxx - sx * sx;
  return den > 0 ? (n * sxy - sx * sy) / den : 0;
}
