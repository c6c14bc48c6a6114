// The simulator's curves as an SVG (Vega-Lite, rendered in Node without a browser): UA of the pool's labels
// against the decisions spent, one line per way of labelling, clean and noisy annotators side by side.
import type { CurvePoint } from './curves';
import { POLICIES, type PolicyCurves, type SimulationReport } from './run';

const POLICY_NAMES: Record<(typeof POLICIES)[number], string> = {
  hand: 'by hand, file order',
  closed_set_review: 'closed-set pre-labels, least confident first',
  automatic: 'automatic E-ODN (no decisions)',
  studio: 'the studio’s loop',
};

export async function curvesSvg(report: SimulationReport): Promise<string> {
  const sections: [string, PolicyCurves][] = [['annotator always right', report]];
  for (const [k, v] of Object.entries(report)) if (k.startsWith('noisy_')) sections.push([`annotator wrong ${Math.round(Number(k.slice(6)) * 100)} % of the time`, v as PolicyCurves]);
  const values = sections.flatMap(([annotator, s]) =>
    POLICIES.flatMap((p) => s.curves[p].map((pt: CurvePoint) => ({ annotator, policy: POLICY_NAMES[p], share: pt.decisions / report.pool_clips, ua: pt.ua }))),
  );
  const { compile } = await import('vega-lite');
  const vega = await import('vega');
  const spec = compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Pool labels right (UA) per decision — ${report.folds} leave-one-speaker-out folds, ${report.pool_clips} clips, unknown: ${report.unknown.join(', ')}` },
    data: { values },
    facet: { column: { field: 'annotator', type: 'nominal', title: null, sort: sections.map(([a]) => a) } },
    spec: {
      width: 320,
      height: 260,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'share', type: 'quantitative', title: 'decisions, as a share of the clips', axis: { format: '%' } },
        y: { field: 'ua', type: 'quantitative', title: 'UA of the labels', scale: { domain: [0, 1] }, axis: { format: '%' } },
        color: { field: 'policy', type: 'nominal', title: null, sort: POLICIES.map((p) => POLICY_NAMES[p]), legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
      },
    },
  }).spec;
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}
