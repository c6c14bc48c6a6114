// Principal axes of feature rows, for the detectors that work in (or off) a principal subspace (ViM, class
// Gaussians in a reduced space). The symmetric eigen-decomposition is the Householder tridiagonalisation and
// implicit QL iteration of EISPACK's tred2/tql2 (as ported in JAMA). With fewer rows than columns the axes
// come from the n×n Gram matrix (G v = λ v ⇒ u = Xcᵀ v / √λ), so the cost is O(n²d + n³), not O(d³).

import { makeGaussian, makeRng } from '../odn/rng';
import { columnCount, type Rows } from '../odn/rows';

/** Eigenvalues (descending) and unit eigenvectors of a symmetric n×n matrix given row-major. */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array[] } {
  if (A.length !== n * n) throw new Error(`expected ${n}×${n} values, got ${A.length}`);
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  // A is symmetric, so its rows are also its columns: the transposed working copy tred2 expects.
  const Vt = Array.from({ length: n }, (_, i) => Float64Array.from(A.subarray(i * n, (i + 1) * n)));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(Vt, d, e, n);
  tql2(Vt, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b] - d[a]);
  return { values: Float64Array.from(order, (i) => d[i]), vectors: order.map((i) => Vt[i]) };
}

export interface PrincipalAxes {
  /** The point the rows were taken about (not necessarily their mean). */
  centre: Float64Array;
  /** Unit axes, largest second moment first (those `keep` asked for; at most the positive moments). */
  axes: Float64Array[];
  /** Mean squared projection of the rows (about `centre`) on each axis with a positive moment (built or not). */
  moments: Float64Array;
  /** Mean squared distance of the rows to `centre` (the sum of all d moments). */
  total: number;
}

/**
 * Principal axes of the rows about `centre` (the mean when omitted): the eigenvectors of mean (x − c)(x − c)ᵀ.
 * `keep` (given every positive moment, largest first, and the total) says how many axes to build; `moments`
 * always lists them all. Building an axis costs n·d, so a detector that needs a few asks for a few.
 */
export function principalAxes(X: Rows, centre?: ArrayLike<number>, keep?: (moments: Float64Array, total: number) => number): PrincipalAxes {
  const d = columnCount(X);
  const n = X.length;
  const c = new Float64Array(d);
  if (centre) {
    if (centre.length !== d) throw new Error(`centre has ${centre.length} values, rows have ${d}`);
    c.set(Array.from(centre));
  } else {
    for (const x of X) for (let j = 0; j < d; j++) c[j] += x[j] / n;
  }
  const Xc = X.map((x) => Float64Array.from({ length: d }, (_, j) => x[j] - c[j]));
  let total = 0;
  for (const x of Xc) for (let j = 0; j < d; j++) total += (x[j] * x[j]) / n;
  const axes: Float64Array[] = [];
  const moments: number[] = [];
  if (n < d) {
    const G = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k <= i; k++) {
        let s = 0;
        const a = Xc[i], b = Xc[k];
        for (let j = 0; j < d; j++) s += a[j] * b[j];
        G[i * n + k] = s;
        G[k * n + i] = s;
      }
    const { values, vectors } = symmetricEigen(G, n);
    const tol = Math.max(values[0], 0) * 1e-10;
    const positive = values.filter((lam) => lam > tol);
    const build = keep ? Math.max(0, Math.min(positive.length, keep(positive.map((lam) => lam / n), total))) : positive.length;
    moments.push(...Array.from(positive, (lam) => lam / n));
    positive.forEach((lam, r) => {
      if (r >= build) return;
      const u = new Float64Array(d);
      const v = vectors[r];
      for (let i = 0; i < n; i++) {
        const vi = v[i];
        const x = Xc[i];
        for (let j = 0; j < d; j++) u[j] += vi * x[j];
      }
      const norm = Math.sqrt(lam);
      for (let j = 0; j < d; j++) u[j] /= norm;
      axes.push(u);
    });
  } else {
    const S = new Float64Array(d * d);
    for (const x of Xc)
      for (let a = 0; a < d; a++) {
        const xa = x[a];
        if (xa === 0) continue;
        for (let b = 0; b <= a; b++) S[a * d + b] += xa * x[b];
      }
    for (let a = 0; a < d; a++)
      for (let b = 0; b <= a; b++) {
        S[a * d + b] /= n;
        S[b * d + a] = S[a * d + b];
      }
    const { values, vectors } = symmetricEigen(S, d);
    const tol = Math.max(values[0], 0) * 1e-10;
    const positive = values.filter((lam) => lam > tol);
    const build = keep ? Math.max(0, Math.min(positive.length, keep(positive, total))) : positive.length;
    moments.push(...positive);
    for (let r = 0; r < build; r++) axes.push(vectors[r]);
  }
  return { centre: c, axes, moments: Float64Array.from(moments), total };
}

/**
 * The `k` leading principal axes about the mean by randomised subspace iteration (Halko, Martinsson & Tropp,
 * SIAM Review 2011, algorithm 4.4 with `iterations` power steps, 2 by default): O(n·d·(k + oversample)) per step instead of a
 * full eigen-decomposition. `moments` lists the k found (not every axis's); `total` is exact. Seeded.
 */
export function leadingAxes(X: Rows, k: number, opts: { oversample?: number; iterations?: number; seed?: number } = {}): PrincipalAxes {
  const d = columnCount(X);
  const n = X.length;
  const c = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) c[j] += x[j] / n;
  const Xc = X.map((x) => Float64Array.from({ length: d }, (_, j) => x[j] - c[j]));
  let total = 0;
  for (const x of Xc) for (let j = 0; j < d; j++) total += (x[j] * x[j]) / n;
  const l = Math.min(n, d, k + (opts.oversample ?? 10));
  const rng = makeRng(opts.seed ?? 1);
  const g = makeGaussian(rng);
  // Y = Xc Ω (n × l), columns held as rows of `cols`.
  let cols = Array.from({ length: l }, () => {
    const w = Float64Array.from({ length: d }, () => g());
    return Float64Array.from(Xc, (x) => dot(x, w));
  });
  orthonormalise(cols);
  for (let it = 0; it < (opts.iterations ?? 2); it++) {
    // Z = Xcᵀ Q (d × l), then Q = orth(Xc Z).
    const Z = cols.map((q) => {
      const z = new Float64Array(d);
      for (let i = 0; i < n; i++) if (q[i] !== 0) for (let j = 0; j < d; j++) z[j] += q[i] * Xc[i][j];
      return z;
    });
    orthonormalise(Z);
    cols = Z.map((z) => Float64Array.from(Xc, (x) => dot(x, z)));
    orthonormalise(cols);
  }
  // B = Qᵀ Xc (l × d); eigen of B Bᵀ gives the leading singular values and vectors.
  const B = cols.map((q) => {
    const b = new Float64Array(d);
    for (let i = 0; i < n; i++) if (q[i] !== 0) for (let j = 0; j < d; j++) b[j] += q[i] * Xc[i][j];
    return b;
  });
  const m = B.length;
  const BBt = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) BBt[a * m + b] = BBt[b * m + a] = dot(B[a], B[b]);
  const { values, vectors } = symmetricEigen(BBt, m);
  const tol = Math.max(values[0], 0) * 1e-10;
  const axes: Float64Array[] = [];
  const moments: number[] = [];
  for (let r = 0; r < Math.min(k, m); r++) {
    const lam = values[r];
    if (!(lam > tol)) break;
    const u = new Float64Array(d);
    for (let a = 0; a < m; a++) for (let j = 0; j < d; j++) u[j] += vectors[r][a] * B[a][j];
    const norm = Math.sqrt(lam);
    for (let j = 0; j < d; j++) u[j] /= norm;
    axes.push(u);
    moments.push(lam / n);
  }
  return { centre: c, axes, moments: Float64Array.from(moments), total };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** Modified Gram-Schmidt on the rows, in place (a row that vanishes stays zero). */
function orthonormalise(rows: Float64Array[]): void {
  rows.forEach((r, a) => {
    for (let b = 0; b < a; b++) {
      const p = dot(r, rows[b]);
      for (let j = 0; j < r.length; j++) r[j] -= p * rows[b][j];
    }
    const norm = Math.sqrt(dot(r, r));
    for (let j = 0; j < r.length; j++) r[j] = norm > 1e-300 ? r[j] / norm : 0;
  });
}

/** The smallest number of leading axes whose moments reach `fraction` of the total (at least 1). */
export function axesForFraction(p: Pick<PrincipalAxes, 'moments' | 'total'>, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error('fraction must be in (0, 1]');
  let s = 0;
  for (let r = 0; r < p.moments.length; r++) {
    s += p.moments[r];
    if (s >= fraction * p.total) return r + 1;
  }
  return Math.max(1, p.moments.length);
}

/** Coordinates of x − centre on the first `k` axes. */
export function project(p: PrincipalAxes, x: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(k);
  const c = p.centre;
  for (let r = 0; r < k; r++) {
    const u = p.axes[r];
    let s = 0;
    for (let j = 0; j < c.length; j++) s += u[j] * (x[j] - c[j]);
    out[r] = s;
  }
  return out;
}

// EISPACK tred2: Householder reduction of a symmetric matrix to tridiagonal form, accumulating the transforms.
// W holds the transform transposed (W[b][a] is JAMA's V[a][b]), so the inner loops run along rows.
function tred2(W: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = W[j][n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j][i - 1];
        W[j][i] = 0;
        W[i][j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i][j] = f;
        g = e[j] + W[j][j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += W[j][k] * d[k];
          e[k] += W[j][k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) W[j][k] -= f * e[k] + g * d[k];
        d[j] = W[j][i - 1];
        W[j][i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    W[i][n - 1] = W[i][i];
    W[i][i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[i + 1][k] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[i + 1][k] * W[j][k];
        for (let k = 0; k <= i; k++) W[j][k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[i + 1][k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j][n - 1];
    W[j][n - 1] = 0;
  }
  W[n - 1][n - 1] = 1;
  e[0] = 0;
}

// EISPACK tql2: eigenvalues and eigenvectors of the tridiagonal matrix by the implicit QL method. Vt holds
// the transforms transposed: row i is eigenvector i.
function tql2(Vt: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new Error('eigen-decomposition did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const vi = Vt[i], vi1 = Vt[i + 1];
          for (let k = 0; k < n; k++) {
            h = vi1[k];
            vi1[k] = s * vi[k] + c * h;
            vi[k] = c * vi[k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
