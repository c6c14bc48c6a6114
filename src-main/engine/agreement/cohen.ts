// Two annotators: their confusion matrix and Cohen's kappa (Cohen 1960), over the units both answered.
//   p_o = Σ_c m_cc / n,  p_e = Σ_c (row_c / n)(col_c / n),  κ = (p_o − p_e) / (1 − p_e)

export interface Confusion {
  /** Row and column labels, in order. */
  labels: string[];
  /** matrix[r][c]: units the first annotator labelled labels[r] and the second labels[c]. */
  matrix: number[][];
  /** Units both annotators labelled. */
  n: number;
}

export interface CohenResult {
  kappa: number;
  observedAgreement: number;
  expectedAgreement: number;
  n: number;
}

/**
 * The confusion matrix of two label lists over the same units (null: no label; such units are skipped).
 * `labels` fixes the row/column order; labels missing from it are appended in order of appearance.
 */
export function confusionOf(a: readonly (string | null)[], b: readonly (string | null)[], labels: readonly string[] = []): Confusion {
  if (a.length !== b.length) throw new Error(`label lists differ in length (${a.length} vs ${b.length})`);
  const order = [...labels];
  const index = new Map(order.map((l, i) => [l, i]));
  const at = (l: string) => {
    let i = index.get(l);
    if (i === undefined) {
      i = order.length;
      order.push(l);
      index.set(l, i);
    }
    return i;
  };
  const pairs: [number, number][] = [];
  for (let u = 0; u < a.length; u++) {
    const x = a[u];
    const y = b[u];
    if (x === null || y === null) continue;
    pairs.push([at(x), at(y)]);
  }
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (const [r, c] of pairs) matrix[r][c]++;
  return { labels: order, matrix, n: pairs.length };
}

/** Cohen's kappa of a square confusion matrix; NaN when it is empty or chance agreement is 1. */
export function cohenFromConfusion(matrix: readonly (readonly number[])[]): CohenResult {
  const k = matrix.length;
  let n = 0;
  let diag = 0;
  const row = new Array<number>(k).fill(0);
  const col = new Array<number>(k).fill(0);
  for (let r = 0; r < k; r++) {
    if (matrix[r].length !== k) throw new Error('the confusion matrix must be square');
    for (let c = 0; c < k; c++) {
      n += matrix[r][c];
      row[r] += matrix[r][c];
      col[c] += matrix[r][c];
      if (r === c) diag += matrix[r][c];
    }
  }
  if (n === 0) return { kappa: NaN, observedAgreement: NaN, expectedAgreement: NaN, n: 0 };
  const po = diag / n;
  const pe = row.reduce((s, rv, i) => s + (rv / n) * (col[i] / n), 0);
  return { kappa: pe < 1 ? (po - pe) / (1 - pe) : NaN, observedAgreement: po, expectedAgreement: pe, n };
}

export function cohenKappa(a: readonly (string | null)[], b: readonly (string | null)[]): CohenResult {
  return cohenFromConfusion(confusionOf(a, b).matrix);
}

export interface PairwiseCohen extends CohenResult {
  a: string;
  b: string;
}

/**
 * Cohen's kappa for every pair of coders of a units × coders matrix (null where a coder gave no label),
 * each over the units that pair both labelled.
 */
export function pairwiseCohen(matrix: readonly (readonly (string | null)[])[], coders: readonly string[]): PairwiseCohen[] {
  const out: PairwiseCohen[] = [];
  const column = (j: number) => matrix.map((row) => row[j] ?? null);
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) out.push({ a: coders[i], b: coders[j], ...cohenKappa(column(i), column(j)) });
  }
  return out;
}
