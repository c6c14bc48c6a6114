// Rational-ratio resampling by a polyphase windowed-sinc FIR (Kaiser window), in plain TypeScript.
// For the common speech conversions to 16 kHz (22.05, 44.1, 48, 32, 8 kHz) it replaces libsamplerate:
// measured (CPU time) on a 2-s clip 22.05 → 16 kHz, 1.0 ms against 4.3-4.7 ms for libsamplerate's
// SINC_FASTEST. 16 taps at the lower rate: −0.6 dB at 6 kHz, −4.5 dB at 7 kHz (to 16 kHz), aliases of
// 9 kHz at −44 dB and of 10 kHz and above at −73 dB or less, which speech (little energy there) tolerates.

const HALF_TAPS = 8; // default taps on each side of the centre, at the lower of the two rates
const KAISER_BETA = 7;
const MAX_PHASES = 1024;

interface Bank {
  up: number;
  down: number;
  taps: number;
  /** up phases × taps coefficients. */
  coef: Float32Array;
}

const banks = new Map<string, Bank>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/** The filter bank for from → to, or null when the reduced ratio needs too many phases. */
function bankFor(from: number, to: number, halfTaps: number): Bank | null {
  const key = `${from}:${to}:${halfTaps}`;
  const cached = banks.get(key);
  if (cached) return cached;
  const g = gcd(from, to);
  const up = to / g;
  const down = from / g;
  if (up > MAX_PHASES) return null;
  // Cutoff relative to the input rate: the lower Nyquist, slightly inside it.
  const cutoff = 0.9 * Math.min(1, up / down) * 0.5;
  const halfWidth = Math.ceil(halfTaps / Math.min(1, up / down));
  const taps = 2 * halfWidth;
  const coef = new Float32Array(up * taps);
  const i0b = besselI0(KAISER_BETA);
  for (let p = 0; p < up; p++) {
    // Row p serves outputs whose input position is a whole sample plus p/up.
    const frac = p / up;
    let norm = 0;
    for (let k = 0; k < taps; k++) {
      const t = k - halfWidth + 1 - frac; // distance in input samples from the output instant
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / halfWidth;
      const w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0b;
      const c = 2 * cutoff * sinc * w;
      coef[p * taps + k] = c;
      norm += c;
    }
    // Unit gain at DC for every phase (no ripple from phase-dependent gain).
    for (let k = 0; k < taps; k++) coef[p * taps + k] /= norm;
  }
  const bank = { up, down, taps, coef };
  banks.set(key, bank);
  return bank;
}

/** Resamples mono audio from → to; null when the ratio is not one this resampler handles. `halfTaps`
 * trades the filter's steepness for speed (the pitch tracker, which needs nothing above 500 Hz, uses 4). */
export function polyphaseResample(x: Float32Array, from: number, to: number, halfTaps = HALF_TAPS): Float32Array | null {
  const bank = bankFor(from, to, halfTaps);
  if (!bank) return null;
  const { up, down, taps, coef } = bank;
  const half = taps / 2;
  const n = Math.floor((x.length * up) / down);
  const y = new Float32Array(n);
  const last = x.length - 1;
  // Walk the input position incrementally: whole samples in `ip`, phase (numerator over `up`) in `ph`.
  const stepWhole = Math.floor(down / up);
  const stepFrac = down % up;
  let ip = 0;
  let ph = 0;
  for (let j = 0; j < n; j++) {
    const base = ip - half + 1;
    const c0 = ph * taps;
    let acc = 0;
    if (base >= 0 && base + taps - 1 <= last) {
      for (let k = 0; k < taps; k++) acc += coef[c0 + k] * x[base + k];
    } else {
      for (let k = 0; k < taps; k++) {
        const i = base + k;
        if (i >= 0 && i <= last) acc += coef[c0 + k] * x[i];
      }
    }
    y[j] = acc;
    ip += stepWhole;
    ph += stepFrac;
    if (ph >= up) {
      ph -= up;
      ip++;
    }
  }
  return y;
}
