// `agreement.report`: the agreement statistics of engine/agreement over the open project's annotators (each
// one's standing answer per clip, store/annotator-votes.ts), in the API's typed shape. Undefined figures
// (NaN: too few answers, every answer the same) become null, which every transport carries as it is.
import type { AgreementResult } from '../../shared/api';
import { agreementReport } from '../engine/agreement';
import { annotatorVotes } from '../store/annotator-votes';
import type { ProjectStore } from '../store/project-store';

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

interface ReportShape {
  units: number;
  pairable_units: number;
  krippendorff_alpha: { nominal: number };
  fleiss_kappa: number;
  fleiss_observed_agreement: number;
  fleiss_expected_agreement: number;
  per_class: Record<string, { proportion: number; fleiss_kappa: number; specific_agreement: number }>;
  pairwise_cohen: { a: string; b: string; units: number; kappa: number; observed_agreement: number }[];
}

export function projectAgreement(store: ProjectStore): AgreementResult {
  const votes = annotatorVotes(store);
  const { coders, labels } = votes.coders;
  const report = agreementReport(votes.table, { coders: votes.coders, pads: votes.pads }) as unknown as ReportShape;
  const categories = votes.table.categories;
  return {
    annotators: coders.map((name, j) => ({ name, clips: labels.reduce((n, row) => n + (row[j] !== null ? 1 : 0), 0) })),
    clips: report.units,
    pairableClips: report.pairable_units,
    categories,
    krippendorffAlpha: num(report.krippendorff_alpha.nominal),
    fleissKappa: num(report.fleiss_kappa),
    observedAgreement: num(report.fleiss_observed_agreement),
    expectedAgreement: num(report.fleiss_expected_agreement),
    pairs: report.pairwise_cohen.map((p) => ({ a: p.a, b: p.b, clips: p.units, kappa: num(p.kappa), agreement: num(p.observed_agreement) })),
    perClass: categories.map((name) => {
      const c = report.per_class[name];
      return { name, share: num(c.proportion), kappa: num(c.fleiss_kappa), specificAgreement: num(c.specific_agreement) };
    }),
  };
}
