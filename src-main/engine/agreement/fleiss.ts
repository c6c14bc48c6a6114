// Fleiss' kappa (Fleiss 1971) for a units × categories count table, and per-category agreement.
//
// Crowd tables rarely give every unit the same number of ratings (CREMA-D: 4-12 per clip), so this is the
// usual generalisation to a varying n_i, which reduces to Fleiss' formulas exactly when n_i is constant:
//   P_i = Σ_j x_ij(x_ij − 1) / (n_i(n_i − 1))   (the share of agreeing rater pairs within unit i)
//   P̄ = mean of P_i,  p_j = Σ_i x_ij / Σ_i n_i  (pooled over all ratings),  P̄_e = Σ_j p_j²
//   κ = (P̄ − P̄_e) / (1 − P̄_e)
//   κ_j = 1 − Σ_i [x_ij(n_i − x_ij) / (n_i(n_i − 1))] / (N·p_j·q_j)    (Fleiss 1971, eq. 20 with n → n_i)
// Units with fewer than two ratings carry no pair and are left out (N counts the rest).
//
// Specific agreement for category j (the multi-rater positive agreement):
//   PS_j = Σ_i x_ij(x_ij − 1) / Σ_i x_ij(n_i − 1)
// the chance that, given one rater chose j, another rater of the same unit chose j too; for two raters it is
// 2a / (2a + b + c).

export interface FleissCategory {
  /** p_j: the share of all ratings that chose the category. */
  proportion: number;
  /** κ_j; NaN when no rating (or every rating) chose it. */
  kappa: number;
  /** PS_j; NaN when no unit with two or more ratings has the category. */
  specificAgreement: number;
}

export interface FleissResult {
  kappa: number;
  /** P̄ */
  observedAgreement: number;
  /** P̄_e */
  expectedAgreement: number;
  units: number;
  ratings: number;
  ratersPerUnit: { min: number; max: number; mean: number };
  perCategory: FleissCategory[];
}

export function fleissKappa(counts: readonly ArrayLike<number>[], nCategories: number): FleissResult {
  let N = 0;
  let ratings = 0;
  let sumP = 0;
  let minN = Infinity;
  let maxN = 0;
  const colSum = new Float64Array(nCategories);
  const disagree = new Float64Array(nCategories); // Σ_i x_ij(n_i − x_ij) / (n_i(n_i − 1))
  const sameNum = new Float64Array(nCategories); // Σ_i x_ij(x_ij − 1)
  const sameDen = new Float64Array(nCategories); // Σ_i x_ij(n_i − 1)
  for (const x of counts) {
    if (x.length !== nCategories) throw new Error(`a unit has ${x.length} counts, expected ${nCategories}`);
    let n = 0;
    for (let j = 0; j < nCategories; j++) {
      if (!(x[j] >= 0) || !Number.isInteger(x[j])) throw new Error(`counts must be non-negative integers, got ${x[j]}`);
      n += x[j];
    }
    if (n < 2) continue;
    N++;
    ratings += n;
    minN = Math.min(minN, n);
    maxN = Math.max(maxN, n);
    const pairs = n * (n - 1);
    let agree = 0;
    for (let j = 0; j < nCategories; j++) {
      const c = x[j];
      colSum[j] += c;
      agree += c * (c - 1);
      disagree[j] += (c * (n - c)) / pairs;
      sameNum[j] += c * (c - 1);
      sameDen[j] += c * (n - 1);
    }
    sumP += agree / pairs;
  }
  const pBar = N ? sumP / N : NaN;
  const p = Array.from(colSum, (s) => (ratings ? s / ratings : NaN));
  const pe = p.reduce((s, v) => s + v * v, 0);
  const perCategory = p.map((pj, j) => ({
    proportion: pj,
    kappa: pj > 0 && pj < 1 ? 1 - disagree[j] / (N * pj * (1 - pj)) : NaN,
    specificAgreement: sameDen[j] > 0 ? sameNum[j] / sameDen[j] : NaN,
  }));
  return {
    kappa: pe < 1 ? (pBar - pe) / (1 - pe) : NaN,
    observedAgreement: pBar,
    expectedAgreement: pe,
    units: N,
    ratings,
    ratersPerUnit: { min: N ? minN : 0, max: maxN, mean: N ? ratings / N : 0 },
    perCategory,
  };
}
