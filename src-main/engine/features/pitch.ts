// F0 per frame with pitchy (McLeod pitch method, MIT). A frame counts as voiced when the method is
// confident (clarity), the pitch lies in the range of voices, and the frame is not near-silent.
// The track is computed on the signal decimated to 8 kHz: F0 below 500 Hz needs nothing above 4 kHz, and
// the McLeod method's FFTs halve. Measured on the 80 demo clips against 16 kHz: same voicing decision on
// 97.6 % of frames, 0.03 semitones mean difference where both are voiced, CPU 5.7 → 2.7 ms per 2-s clip.
// A 32-ms window (pitchy's FFT 1024 → 512 points) and a shorter decimation filter then took it to 2.3 ms
// against 3.8 ms for a 40-ms window (same machine): 95.1 % of frames with the same voicing decision,
// 0.15 semitones mean difference where both are voiced.
import { PitchDetector } from 'pitchy';
import { polyphaseResample } from '../audio/polyphase';

export interface PitchTrack {
  /** Hz per pitch frame; 0 where unvoiced. */
  f0: Float32Array;
  /** Seconds between pitch frames. */
  hopSec: number;
}

export interface PitchOptions {
  hopSec?: number;
  minHz?: number;
  maxHz?: number;
  minClarity?: number;
  /** Frames quieter than this RMS (dBFS) are unvoiced. */
  minDb?: number;
  /** Rate the pitch is analysed at (default 8000; inputs at or below it are used as they are). */
  analysisRate?: number;
  /** Analysis window (default 0.032 s: two periods of 62.5 Hz, and a 512-point FFT inside pitchy at 8 kHz). */
  windowSec?: number;
  /** Half-length of the decimation filter (default 4; see polyphase.ts). */
  decimationHalfTaps?: number;
}

const detectors = new Map<number, PitchDetector<Float32Array>>();

export function pitchTrack(input: Float32Array, inputRate: number, opts: PitchOptions = {}): PitchTrack {
  const analysisRate = opts.analysisRate ?? 8000;
  const decimated = inputRate > analysisRate ? polyphaseResample(input, inputRate, analysisRate, opts.decimationHalfTaps ?? 4) : null;
  const samples = decimated ?? input;
  const sampleRate = decimated ? analysisRate : inputRate;
  const hopSec = opts.hopSec ?? 0.02;
  const minHz = opts.minHz ?? 60;
  const maxHz = opts.maxHz ?? 500;
  const minClarity = opts.minClarity ?? 0.8;
  const minDb = opts.minDb ?? -50;
  const win = Math.round(sampleRate * (opts.windowSec ?? 0.032));
  const hop = Math.max(1, Math.round(sampleRate * hopSec));
  let det = detectors.get(win);
  if (!det) {
    det = PitchDetector.forFloat32Array(win);
    detectors.set(win, det);
  }
  const n = samples.length < win ? 0 : 1 + Math.floor((samples.length - win) / hop);
  const f0 = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    const frame = samples.subarray(t * hop, t * hop + win);
    let e = 0;
    for (let i = 0; i < win; i++) e += frame[i] * frame[i];
    const db = 10 * Math.log10(e / win + 1e-12);
    if (db < minDb) continue;
    const [hz, clarity] = det.findPitch(frame, sampleRate);
    if (clarity >= minClarity && hz >= minHz && hz <= maxHz) f0[t] = hz;
  }
  return { f0, hopSec };
}
