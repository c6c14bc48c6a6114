// Two-parameter Weibull: maximum-likelihood fit by Newton's method on the shape, and its CDF (for OpenMax).
// The shape k solves  Σ x^k ln x / Σ x^k − 1/k − mean(ln x) = 0;  then scale λ = (mean x^k)^(1/k).

export interface Weibull {
  shape: number;
  scale: number;
}

export function fitWeibull(samples: ArrayLike<number>, maxIter = 100, tol = 1e-10): Weibull {
  const x = Array.from(samples).filter((v) => v > 0 && Number.isFinite(v));
  if (x.length < 2) throw new Error('a Weibull fit needs at least 2 positive samples');
  // Work on x / max so that x^k cannot overflow; the scale is multiplied back at the end.
  const m = Math.max(...x);
  const lx = x.map((v) => Math.log(v / m));
  const n = lx.length;
  const meanL = lx.reduce((a, b) => a + b, 0) / n;
  const sdL = Math.sqrt(lx.reduce((a, b) => a + (b - meanL) ** 2, 0) / n);
  if (sdL === 0) throw new Error('a Weibull fit needs samples that are not all equal');
  const g = (k: number): [number, number] => {
    let s0 = 0, s1 = 0, s2 = 0;
    for (const l of lx) {
      const e = Math.exp(k * l);
      s0 += e;
      s1 += e * l;
      s2 += e * l * l;
    }
    const val = s1 / s0 - 1 / k - meanL;
    const der = (s2 * s0 - s1 * s1) / (s0 * s0) + 1 / (k * k);
    return [val, der];
  };
  let k = 1.2 / sdL; // moment-based starting point (Menon's estimator)
  for (let it = 0; it < maxIter; it++) {
    const [val, der] = g(k);
    let next = k - val / der;
    if (!(next > 0)) next = k / 2; // g is increasing in k; stay in k > 0
    if (Math.abs(next - k) < tol * k) {
      k = next;
      break;
    }
    k = next;
  }
  let s0 = 0;
  for (const l of lx) s0 += Math.exp(k * l);
  const scale = m * Math.pow(s0 / n, 1 / k);
  return { shape: k, scale };
}

export function weibullCdf(x: number, w: Weibull): number {
  if (x <= 0) return 0;
  return 1 - Math.exp(-Math.pow(x / w.scale, w.shape));
}
