// What the Agreement view shows of `agreement.report`, as plain functions: the sentence when fewer than two
// annotators answered, the figures in words, and the plotly traces of the annotator × annotator heat map and the
// per-class bars (plotly is loaded on demand; these only build its data).
import type { AgreementResult } from '../../shared/api';

export interface AgreementTheme {
  panel: string;
  line: string;
  text: string;
  muted: string;
  accent: string;
  accent2: string;
}

export const DEFAULT_AGREEMENT_THEME: AgreementTheme = {
  panel: '#1b1e24',
  line: '#2e333d',
  text: '#e6e8eb',
  muted: '#9aa3af',
  accent: '#5aa9ff',
  accent2: '#7ee0b5',
};

/** Null when the report can be shown; else why not, naming who has answered. */
export function tooFewAnnotators(r: Pick<AgreementResult, 'annotators'>): string | null {
  if (r.annotators.length >= 2) return null;
  const who = r.annotators.length ? r.annotators.map((a) => `${a.name} (${a.clips} ${a.clips === 1 ? 'clip' : 'clips'})`).join(', ') : 'no one yet';
  return `Agreement needs answers from at least two annotators; this project has answers from: ${who}.`;
}

/** A statistic to three decimals, or "n/a" when it is undefined. */
export const fixed3 = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
export const percent = (x: number | null): string => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);

/** Landis & Koch's words for a kappa or alpha (a rough guide, said as such in the view). */
export function strengthWord(x: number | null): string {
  if (x === null) return '';
  if (x < 0) return 'worse than chance';
  if (x <= 0.2) return 'slight';
  if (x <= 0.4) return 'fair';
  if (x <= 0.6) return 'moderate';
  if (x <= 0.8) return 'substantial';
  return 'almost perfect';
}

export interface AgreementMatrix {
  names: string[];
  /** z[i][j]: the share of clips both answered on which i and j agree (1 on the diagonal; null: none in common). */
  z: (number | null)[][];
  /** Hover text per cell: agreement, Cohen's kappa and the clips behind them. */
  text: string[][];
}

/** The annotator × annotator agreement matrix of the report's pairs (symmetric). */
export function agreementMatrix(r: Pick<AgreementResult, 'annotators' | 'pairs'>): AgreementMatrix {
  const names = r.annotators.map((a) => a.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const z: (number | null)[][] = names.map((_, i) => names.map((_, j) => (i === j ? 1 : null)));
  const text: string[][] = names.map((a, i) => names.map((b, j) => (i === j ? `${a}: ${r.annotators[i].clips} clips answered` : `${a} × ${b}: no clip in common`)));
  for (const p of r.pairs) {
    const i = index.get(p.a);
    const j = index.get(p.b);
    if (i === undefined || j === undefined || p.clips === 0) continue;
    const line = `${p.a} × ${p.b}: agree on ${percent(p.agreement)} of ${p.clips} ${p.clips === 1 ? 'clip' : 'clips'} · Cohen's κ ${fixed3(p.kappa)}`;
    z[i][j] = z[j][i] = p.agreement;
    text[i][j] = text[j][i] = line;
  }
  return { names, z, text };
}

const LAYOUT_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif';

function baseLayout(theme: AgreementTheme): Record<string, unknown> {
  return {
    paper_bgcolor: theme.panel,
    plot_bgcolor: theme.panel,
    font: { color: theme.text, family: LAYOUT_FONT, size: 12 },
    hoverlabel: { bgcolor: theme.panel, bordercolor: theme.line, font: { color: theme.text } },
  };
}

/** The heat map: one cell per pair of annotators, coloured by how often they agree (0 to 1). */
export function heatmapPlot(m: AgreementMatrix, theme: AgreementTheme = DEFAULT_AGREEMENT_THEME): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const axis = { tickfont: { color: theme.text, size: 12 }, linecolor: theme.line, showgrid: false, automargin: true };
  return {
    data: [
      {
        type: 'heatmap',
        x: m.names,
        y: m.names,
        z: m.z,
        text: m.text,
        hoverinfo: 'text',
        zmin: 0,
        zmax: 1,
        colorscale: [
          [0, theme.panel],
          [1, theme.accent],
        ],
        colorbar: { title: { text: 'agree', font: { color: theme.muted } }, tickformat: '.0%', tickfont: { color: theme.muted }, outlinecolor: theme.line },
        xgap: 2,
        ygap: 2,
      },
    ],
    layout: { ...baseLayout(theme), margin: { l: 16, r: 16, t: 12, b: 16 }, xaxis: { ...axis, side: 'bottom' }, yaxis: { ...axis, autorange: 'reversed' } },
  };
}

/** Per-class bars: specific agreement and Fleiss' κ_j of each class someone chose. */
export function classBarsPlot(r: Pick<AgreementResult, 'perClass'>, theme: AgreementTheme = DEFAULT_AGREEMENT_THEME): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const rows = r.perClass.filter((c) => (c.share ?? 0) > 0);
  const names = rows.map((c) => c.name);
  const axis = { gridcolor: theme.line, zerolinecolor: theme.line, tickfont: { color: theme.muted, size: 11 }, linecolor: theme.line };
  return {
    data: [
      {
        type: 'bar',
        name: 'specific agreement',
        x: names,
        y: rows.map((c) => c.specificAgreement),
        marker: { color: theme.accent },
        hovertemplate: '%{x}: specific agreement %{y:.3f}<extra></extra>',
      },
      {
        type: 'bar',
        name: "Fleiss' κ of the class",
        x: names,
        y: rows.map((c) => c.kappa),
        marker: { color: theme.accent2 },
        hovertemplate: "%{x}: Fleiss' κ %{y:.3f}<extra></extra>",
      },
    ],
    layout: {
      ...baseLayout(theme),
      barmode: 'group',
      margin: { l: 48, r: 16, t: 28, b: 40 },
      showlegend: true,
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: 1.02, yanchor: 'bottom' },
      xaxis: { ...axis, tickfont: { color: theme.text, size: 12 } },
      yaxis: { ...axis, range: [Math.min(0, ...rows.map((c) => c.kappa ?? 0)), 1], autorange: false },
    },
  };
}
