// Krippendorff's alpha in its general coincidence-matrix form (Krippendorff 2011, "Computing Krippendorff's
// Alpha-Reliability"): any number of coders, any number of values per unit, missing values. A unit with fewer
// than two values is not pairable and drops out, as the method prescribes.
//
//   o_ck = Σ_u x_uc·x_uk / (m_u − 1)   (c ≠ k),   o_cc = Σ_u x_uc·(x_uc − 1) / (m_u − 1)
//   n_c = Σ_k o_ck,  n = Σ_c n_c,  D_o = Σ o_ck·δ²_ck / n,  D_e = Σ n_c·n_k·δ²_ck / (n(n − 1)),  α = 1 − D_o / D_e
//
// where x_uc counts the coders who gave value c to unit u and m_u = Σ_c x_uc. A crowd vote table (votes per
// category per clip) *is* the x_uc table, so alpha needs no coder identities.

/** Squared difference δ²(c, k) between two value indices. */
export type Distance = (c: number, k: number) => number;

export const nominalDistance: Distance = (c, k) => (c === k ? 0 : 1);

/** δ² = (v_c − v_k)² for values on an interval scale (e.g. one PAD coordinate per category). */
export function intervalDistance(values: readonly number[]): Distance {
  return (c, k) => (values[c] - values[k]) ** 2;
}

export interface AlphaResult {
  /** NaN when undefined: no pairable values, or every pairable value the same (D_e = 0). */
  alpha: number;
  observedDisagreement: number;
  expectedDisagreement: number;
  /** n: the pairable values (the sum of the coincidence matrix). */
  pairable: number;
  /** Units with two or more values. */
  units: number;
}

/** The coincidence matrix o (V × V) of a units × values count table. */
export function coincidenceMatrix(counts: readonly ArrayLike<number>[], nValues: number): Float64Array[] {
  const o = Array.from({ length: nValues }, () => new Float64Array(nValues));
  for (const x of counts) {
    if (x.length !== nValues) throw new Error(`a unit has ${x.length} counts, expected ${nValues}`);
    let m = 0;
    for (let c = 0; c < nValues; c++) {
      if (!(x[c] >= 0) || !Number.isInteger(x[c])) throw new Error(`counts must be non-negative integers, got ${x[c]}`);
      m += x[c];
    }
    if (m < 2) continue;
    for (let c = 0; c < nValues; c++) {
      if (x[c] === 0) continue;
      for (let k = 0; k < nValues; k++) o[c][k] += (x[c] * (c === k ? x[k] - 1 : x[k])) / (m - 1);
    }
  }
  return o;
}

/** Alpha from a units × values count table (row u: how many coders gave each value to unit u). */
export function alphaFromCounts(counts: readonly ArrayLike<number>[], nValues: number, distance: Distance = nominalDistance): AlphaResult {
  const o = coincidenceMatrix(counts, nValues);
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  let units = 0;
  for (const x of counts) {
    let m = 0;
    for (let c = 0; c < nValues; c++) m += x[c];
    if (m >= 2) units++;
  }
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < nValues; c++) {
    for (let k = 0; k < nValues; k++) {
      const d = distance(c, k);
      if (d === 0) continue;
      observed += o[c][k] * d;
      expected += nc[c] * nc[k] * d;
    }
  }
  const Do = n > 0 ? observed / n : NaN;
  const De = n > 1 ? expected / (n * (n - 1)) : NaN;
  return { alpha: De > 0 ? 1 - Do / De : NaN, observedDisagreement: Do, expectedDisagreement: De, pairable: n, units };
}

export type Level = 'nominal' | 'interval';
/** A coder's value for a unit; null or undefined where the coder gave none. */
export type Cell = string | number | null | undefined;

/**
 * Alpha from the canonical reliability matrix, one row per unit and one column per coder. Nominal values may
 * be strings or numbers; interval values must be finite numbers.
 */
export function alphaFromMatrix(matrix: readonly (readonly Cell[])[], level: Level = 'nominal'): AlphaResult {
  const index = new Map<string | number, number>();
  const values: (string | number)[] = [];
  for (const row of matrix) {
    for (const v of row) {
      if (v === null || v === undefined) continue;
      if (level === 'interval' && (typeof v !== 'number' || !Number.isFinite(v))) throw new Error(`interval alpha needs numbers, got ${String(v)}`);
      if (!index.has(v)) {
        index.set(v, values.length);
        values.push(v);
      }
    }
  }
  const counts = matrix.map((row) => {
    const x = new Array<number>(values.length).fill(0);
    for (const v of row) if (v !== null && v !== undefined) x[index.get(v)!]++;
    return x;
  });
  const distance = level === 'interval' ? intervalDistance(values as number[]) : nominalDistance;
  return alphaFromCounts(counts, values.length, distance);
}
