// F0 per frame with pitchy (McLeod pitch method, MIT). A frame counts as voiced when the method is
// confident (clarity), the pitch lies in the range of voices, and the frame is not near-silent.
import { PitchDetector } from 'pitchy';

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
}

const detectors = new Map<number, PitchDetector<Float32Array>>();

export function pitchTrack(samples: Float32Array, sampleRate: number, opts: PitchOptions = {}): PitchTrack {
  const hopSec = opts.hopSec ?? 0.02;
  const minHz = opts.minHz ?? 60;
  const maxHz = opts.maxHz ?? 500;
  const minClarity = opts.minClarity ?? 0.8;
  const minDb = opts.minDb ?? -50;
  // Two periods of the lowest pitch fit in the window (40 ms covers 50 Hz).
  const win = Math.round(sampleRate * 0.04);
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
