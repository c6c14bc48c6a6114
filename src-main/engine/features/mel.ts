// Mel filterbank (HTK mel scale, triangular filters) and the DCT-II that turns log mel energies
// into cepstral coefficients. Filters are stored sparsely: each covers a few bins only.

export interface MelFilter {
  firstBin: number;
  weights: Float32Array;
}

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

export function melFilterbank(nFilters: number, fftSize: number, sampleRate: number, fMin = 20, fMax = sampleRate / 2): MelFilter[] {
  const bins = fftSize / 2 + 1;
  const binHz = sampleRate / fftSize;
  const lo = hzToMel(fMin);
  const hi = hzToMel(Math.min(fMax, sampleRate / 2));
  const edges = Array.from({ length: nFilters + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (nFilters + 1)));
  const filters: MelFilter[] = [];
  for (let m = 0; m < nFilters; m++) {
    const [a, b, c] = [edges[m], edges[m + 1], edges[m + 2]];
    const first = Math.max(0, Math.ceil(a / binHz));
    const last = Math.min(bins - 1, Math.floor(c / binHz));
    const w = new Float32Array(Math.max(0, last - first + 1));
    for (let k = first; k <= last; k++) {
      const f = k * binHz;
      w[k - first] = f <= b ? (f - a) / (b - a) : (c - f) / (c - b);
    }
    filters.push({ firstBin: first, weights: w });
  }
  return filters;
}

/** Orthonormal DCT-II rows 0..nCoeffs-1 over nInputs values. */
export function dctMatrix(nCoeffs: number, nInputs: number): Float32Array[] {
  return Array.from({ length: nCoeffs }, (_, k) => {
    const row = new Float32Array(nInputs);
    const scale = Math.sqrt((k === 0 ? 1 : 2) / nInputs);
    for (let n = 0; n < nInputs; n++) row[n] = scale * Math.cos((Math.PI * k * (n + 0.5)) / nInputs);
    return row;
  });
}
