// One agreement report for a vote table (crowd tables, or a project's answers), in the JSON shape that
// `eodn agreement --json` writes. When coder identities are known (a project), pairwise Cohen's kappa and
// annotator × annotator confusion matrices come with it.
import type { Pad } from '../../../shared/domain';
import { EODN_TABLE1 } from '../../../shared/pad-tables';
import { classPadsFor } from '../pad/class-pads';
import { confusionOf, pairwiseCohen } from './cohen';
import { fleissKappa } from './fleiss';
import { alphaFromCounts, intervalDistance } from './krippendorff';
import { majorityVsIntended, type MajorityShare, type VoteTable } from './votes';

export interface CoderMatrix {
  coders: string[];
  /** One row per unit of the vote table, in its order; row[j]: coders[j]'s label, or null. */
  labels: (string | null)[][];
}

const shareJson = (s: MajorityShare) => ({ clips: s.clips, share: s.share, share_ties_split: s.shareTiesSplit, ties: s.ties });

export interface ReportOptions {
  /** Coder identities (a project's annotators): adds pairwise Cohen's kappa and confusion matrices. */
  coders?: CoderMatrix;
  /** A PAD point per category (e.g. a project's own class vectors); null entries fall back to Table 1. */
  pads?: (Pad | null)[];
}

/**
 * Interval alpha on each PAD coordinate of the categories' vectors (given, else the paper's Table 1). Votes
 * for a category without a vector are left out (as missing values); such categories are named.
 */
function padAlphas(table: VoteTable, given: (Pad | null)[] = []) {
  const table1 = classPadsFor(table.categories, EODN_TABLE1);
  const pads = table.categories.map((_, j) => given[j] ?? table1[j]);
  const keep = pads.map((p, j) => (p ? j : -1)).filter((j) => j >= 0);
  const counts = table.units.map((u) => keep.map((j) => u.counts[j]));
  const axis = (d: number) => alphaFromCounts(counts, keep.length, intervalDistance(keep.map((j) => pads[j]![d]))).alpha;
  return {
    pleasure: axis(0),
    arousal: axis(1),
    dominance: axis(2),
    source: given.some((p) => p) ? 'given class vectors, else E-ODN paper Table 1' : 'E-ODN paper Table 1',
    categories_without_pad: table.categories.filter((_, j) => !pads[j]),
  };
}

function core(table: VoteTable) {
  const counts = table.units.map((u) => u.counts);
  const k = table.categories.length;
  const fleiss = fleissKappa(counts, k);
  const nominal = alphaFromCounts(counts, k);
  const mvi = majorityVsIntended(table);
  return { fleiss, nominal, mvi };
}

export function agreementReport(table: VoteTable, opts: ReportOptions = {}) {
  const { coders } = opts;
  const { fleiss, nominal, mvi } = core(table);
  const perClass: Record<string, unknown> = {};
  table.categories.forEach((c, j) => {
    const f = fleiss.perCategory[j];
    perClass[c] = {
      proportion: f.proportion,
      fleiss_kappa: f.kappa,
      specific_agreement: f.specificAgreement,
      majority_vs_intended: shareJson(mvi.perClass[c]),
    };
  });
  const groups = new Map<string, VoteTable['units']>();
  for (const u of table.units) {
    if (u.group === null) continue;
    let g = groups.get(u.group);
    if (!g) groups.set(u.group, (g = []));
    g.push(u);
  }
  const perActor: Record<string, unknown> = {};
  for (const [g, units] of [...groups].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    const r = core({ categories: table.categories, units });
    perActor[g] = {
      clips: units.length,
      krippendorff_alpha_nominal: r.nominal.alpha,
      fleiss_kappa: r.fleiss.kappa,
      majority_vs_intended: shareJson(r.mvi),
    };
  }
  const report: Record<string, unknown> = {
    categories: table.categories,
    units: table.units.length,
    pairable_units: fleiss.units,
    ratings: fleiss.ratings,
    raters_per_unit: fleiss.ratersPerUnit,
    krippendorff_alpha: { nominal: nominal.alpha, interval_pad: padAlphas(table, opts.pads) },
    fleiss_kappa: fleiss.kappa,
    fleiss_observed_agreement: fleiss.observedAgreement,
    fleiss_expected_agreement: fleiss.expectedAgreement,
    per_class: perClass,
    majority_vs_intended: { ...shareJson(mvi), per_class: Object.fromEntries(Object.entries(mvi.perClass).map(([c, s]) => [c, shareJson(s)])), confusion: mvi.confusion },
    per_actor: perActor,
  };
  if (coders) {
    if (coders.labels.length !== table.units.length) throw new Error('the coder matrix must have one row per unit');
    report.annotators = coders.coders;
    report.pairwise_cohen = pairwiseCohen(coders.labels, coders.coders).map((p) => ({
      a: p.a, b: p.b, units: p.n, kappa: p.kappa, observed_agreement: p.observedAgreement, expected_agreement: p.expectedAgreement,
    }));
    const column = (j: number) => coders.labels.map((row) => row[j] ?? null);
    const confusion = [];
    for (let i = 0; i < coders.coders.length; i++) {
      for (let j = i + 1; j < coders.coders.length; j++) {
        const c = confusionOf(column(i), column(j), table.categories);
        confusion.push({ a: coders.coders[i], b: coders.coders[j], labels: c.labels, matrix: c.matrix, units: c.n });
      }
    }
    report.annotator_confusion = confusion;
  }
  return report;
}

export type AgreementReport = ReturnType<typeof agreementReport>;
