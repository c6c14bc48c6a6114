// The PAD plot's data, built as plain objects so it can be tested without WebGL: plotly only draws them.
// Axes: x = Pleasure, y = Arousal, z = Dominance, on the paper's -4..+4 scale, each ranged to the data shown
// (f, its nearest words, the known classes, the unknowns) with a margin; table terms outside are left out.
// Labels (issue 18: they overlapped): only the nearest words and the known classes are named, and a label whose
// anchor sits too close to one already placed is left to the hover; the legend has its own margin.
import type { Pad, PadTerm } from '../../shared/domain';
import { labelColor } from './label-colors';
import type { PlotlyConfig, PlotlyLayout, Scatter3dTrace } from './plotly-types';

export interface PadPlotData {
  table: readonly PadTerm[];
  knownClasses: readonly { name: string; pad: Pad }[];
  point?: Pad | null;
  nearest?: readonly { name: string; distance: number }[];
  /** Points of other clips; `highlight` ones (the selected cluster's) are drawn apart, brighter. */
  cloud?: readonly { pad: Pad; label?: string; highlight?: boolean }[];
  /** What the point f stands for in the legend and hover: a clip by default, or e.g. a cluster's mean. */
  pointName?: string;
  /** Legend name of the highlighted cloud points. */
  highlightName?: string;
}

export const DEFAULT_POINT_NAME = 'This clip f';

/** Colours of the plot; the defaults are styles.css's variables (plotly cannot read CSS variables). */
export interface PadTheme {
  bg: string;
  panel: string;
  panel2: string;
  line: string;
  text: string;
  muted: string;
  accent: string;
  accent2: string;
  warn: string;
}

export const DEFAULT_PAD_THEME: PadTheme = {
  bg: '#14161a',
  panel: '#1b1e24',
  panel2: '#22262e',
  line: '#2e333d',
  text: '#e6e8eb',
  muted: '#9aa3af',
  accent: '#5aa9ff',
  accent2: '#7ee0b5',
  warn: '#f0b35a',
};

export const PAD_AXES = ['Pleasure', 'Arousal', 'Dominance'] as const;
/** The scale's full range: the axes when nothing is shown. */
export const PAD_RANGE: [number, number] = [-4, 4];

/** One [min, max] per axis (P, A, D). */
export type PadRanges = [[number, number], [number, number], [number, number]];

/**
 * Margin around the data shown: this share of each axis's span, at least MIN_MARGIN. Generous, because plotly
 * clips a label where it leaves the axes' box.
 */
const RANGE_MARGIN = 0.22;
const MIN_MARGIN = 0.4;

/**
 * Each axis ranged to what the plot is about — f, its nearest words, the known classes and the unknowns (the
 * table alone when none of these is there) — with a margin, within the scale's -4..4 plus that margin.
 */
export function padRanges(data: PadPlotData): PadRanges {
  const focus: Pad[] = [...data.knownClasses.map((c) => c.pad), ...(data.cloud ?? []).map((c) => c.pad)];
  if (data.point) focus.push(data.point, ...resolveNearest(data).map((n) => n.to));
  const points = (focus.length ? focus : data.table.map((t) => t.pad)).filter((p) => p.every((v) => Number.isFinite(v)));
  return [0, 1, 2].map((axis) => {
    if (!points.length) return [...PAD_RANGE];
    let lo = Math.min(...points.map((p) => p[axis]));
    let hi = Math.max(...points.map((p) => p[axis]));
    const margin = Math.max(MIN_MARGIN, (hi - lo) * RANGE_MARGIN);
    lo = Math.max(PAD_RANGE[0] - MIN_MARGIN, lo - margin);
    hi = Math.min(PAD_RANGE[1] + MIN_MARGIN, hi + margin);
    return [round2(lo), round2(hi)];
  }) as PadRanges;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const inRanges = (p: Pad, r: PadRanges) => p.every((v, i) => v >= r[i][0] && v <= r[i][1]);

/** Labels closer than this (in shares of each axis's span) to one already placed are left to the hover. */
export const LABEL_MIN_SEPARATION = 0.12;

/** Longest word the legend and the scene show whole; longer ones are cut with "…" (the caption has them whole). */
export const LEGEND_NAME_CHARS = 16;
const shorten = (s: string) => (s.length > LEGEND_NAME_CHARS ? `${s.slice(0, LEGEND_NAME_CHARS - 1).trimEnd()}…` : s);

/**
 * Which labels to draw: in the order given (most important first), a label is kept when its anchor is at least
 * LABEL_MIN_SEPARATION (axes scaled to their ranges) from every label kept before it and from f.
 */
export function placeLabels(anchors: readonly { key: string; pad: Pad }[], ranges: PadRanges, avoid: readonly Pad[] = []): Set<string> {
  const norm = (p: Pad) => p.map((v, i) => v / (ranges[i][1] - ranges[i][0] || 1));
  const kept: number[][] = avoid.map(norm);
  const out = new Set<string>();
  for (const a of anchors) {
    const q = norm(a.pad);
    if (kept.some((k) => Math.hypot(k[0] - q[0], k[1] - q[1], k[2] - q[2]) < LABEL_MIN_SEPARATION)) continue;
    kept.push(q);
    out.add(a.key);
  }
  return out;
}

const XYZ = '<br>P %{x:.2f} · A %{y:.2f} · D %{z:.2f}';

/** A resolved nearest-word line: where it ends and what the legend calls it. */
export interface NearestLine {
  name: string;
  distance: number;
  to: Pad;
}

/**
 * Finds each nearest word's vector: in the table first (case-insensitive), else among the known classes.
 * When a name occurs more than once (two tables merged) the vector whose distance to f matches best wins.
 * Words that cannot be found are left out rather than drawn at a guessed place.
 */
export function resolveNearest(data: PadPlotData): NearestLine[] {
  const f = data.point;
  if (!f || !data.nearest) return [];
  const out: NearestLine[] = [];
  for (const n of data.nearest) {
    const key = n.name.trim().toLowerCase();
    let candidates: Pad[] = data.table.filter((t) => t.name.toLowerCase() === key).map((t) => t.pad);
    if (candidates.length === 0) candidates = data.knownClasses.filter((c) => c.name.toLowerCase() === key).map((c) => c.pad);
    if (candidates.length === 0) continue;
    let best = candidates[0];
    for (const c of candidates) if (Math.abs(dist(f, c) - n.distance) < Math.abs(dist(f, best) - n.distance)) best = c;
    out.push({ name: n.name, distance: n.distance, to: best });
  }
  return out;
}

/**
 * The traces, in drawing order: table terms, known classes, the unknowns' cloud (if any; its highlighted part
 * as a trace of its own), one line per nearest
 * word (f → word, distance in the legend and hover), and the clip's point f last so it is drawn on top.
 */
export function buildPadTraces(data: PadPlotData, theme: PadTheme = DEFAULT_PAD_THEME, ranges: PadRanges = padRanges(data)): Scatter3dTrace[] {
  const traces: Scatter3dTrace[] = [];
  // Terms are dots named on hover: their names would sit on each other and on the points that matter.
  const terms = data.table.filter((t) => inRanges(t.pad, ranges));
  traces.push({
    type: 'scatter3d',
    name: terms.length === data.table.length ? `PAD terms (${data.table.length})` : `PAD terms (${terms.length} of ${data.table.length})`,
    meta: 'table',
    mode: 'markers',
    ...columns(terms.map((t) => t.pad)),
    text: terms.map((t) => escapeHtml(t.name)),
    hovertemplate: `<b>%{text}</b>${XYZ}<extra>PAD term</extra>`,
    marker: { size: 3, color: theme.muted, opacity: 0.55 },
  });
  const f0 = data.point ?? null;
  const lines = f0 ? resolveNearest(data) : [];
  // Named on the scene: the nearest word, then the known classes, each only where no label sits already; the
  // other nearest words carry their rank only (the legend and the caption name them).
  const shown = placeLabels(
    [...lines.slice(0, 1).map((n) => ({ key: 'n0', pad: n.to })), ...data.knownClasses.map((c, i) => ({ key: `k${i}`, pad: c.pad }))],
    ranges,
    f0 ? [f0] : [],
  );
  traces.push({
    type: 'scatter3d',
    name: 'Known classes',
    meta: 'known',
    mode: 'markers+text',
    ...columns(data.knownClasses.map((c) => c.pad)),
    text: data.knownClasses.map((c, i) => (shown.has(`k${i}`) ? escapeHtml(c.name) : '')),
    hovertext: data.knownClasses.map((c) => escapeHtml(c.name)),
    // Each label on the side away from f (by dominance), so it does not sit on the point and its lines.
    textposition: data.knownClasses.map((c) => (data.point && c.pad[2] < data.point[2] ? 'bottom center' : 'top center')),
    textfont: { color: data.knownClasses.map((c) => labelColor(c.name)), size: 12 },
    hovertemplate: `<b>%{hovertext}</b> (known class)${XYZ}<extra></extra>`,
    marker: {
      size: 7,
      symbol: 'diamond',
      color: data.knownClasses.map((c) => labelColor(c.name)),
      line: { color: theme.bg, width: 1 },
    },
  });
  const cloud = data.cloud ?? [];
  const lit = cloud.filter((c) => c.highlight);
  const rest = lit.length > 0 ? cloud.filter((c) => !c.highlight) : cloud;
  if (rest.length > 0) {
    traces.push({
      type: 'scatter3d',
      name: lit.length > 0 ? `Other unknowns (${rest.length})` : `Unknowns (${rest.length})`,
      meta: 'cloud',
      mode: 'markers',
      ...columns(rest.map((c) => c.pad)),
      text: rest.map((c) => escapeHtml(c.label ?? 'unknown')),
      hovertemplate: `%{text}${XYZ}<extra>unknown</extra>`,
      // Fainter when a subset is highlighted, so the subset stands out; same hue, so they still read as unknowns
      // (grey would mix them up with the table's terms).
      marker: { size: 2.5, color: theme.accent2, opacity: lit.length > 0 ? 0.25 : 0.6 },
    });
  }
  if (lit.length > 0) {
    traces.push({
      type: 'scatter3d',
      name: `${escapeHtml(data.highlightName ?? 'Selected')} (${lit.length})`,
      meta: 'highlight',
      mode: 'markers',
      ...columns(lit.map((c) => c.pad)),
      text: lit.map((c) => escapeHtml(c.label ?? 'unknown')),
      hovertemplate: `%{text}${XYZ}<extra>unknown</extra>`,
      marker: { size: 4.5, color: theme.accent2, opacity: 0.95, line: { color: theme.bg, width: 1 } },
    });
  }
  const f = data.point ?? null;
  if (f) {
    for (const [i, n] of lines.entries()) {
      const name = escapeHtml(n.name);
      traces.push({
        type: 'scatter3d',
        // Two short lines, so the legend fits its margin: the word (cut at LEGEND_NAME_CHARS), its distance.
        name: `${i + 1}. ${escapeHtml(shorten(n.name))}<br>d = ${n.distance.toFixed(2)}`,
        meta: 'nearest',
        mode: 'lines+markers+text',
        x: [f[0], n.to[0]],
        y: [f[1], n.to[1]],
        z: [f[2], n.to[2]],
        // The rank and word where it does not collide with a label already placed; else the rank only (the
        // legend and the hover give the word and its distance).
        text: ['', shown.has(`n${i}`) ? `${i + 1} ${escapeHtml(shorten(n.name))}` : String(i + 1)],
        textposition: shown.has(`n${i}`) ? 'top center' : 'middle right',
        textfont: { color: theme.warn, size: 12 },
        hovertemplate: `<b>${name}</b><br>distance to f ${n.distance.toFixed(2)}<extra></extra>`,
        line: { color: theme.warn, width: i === 0 ? 6 : 4, dash: i === 0 ? 'solid' : 'dash' },
        marker: { size: [0, 4], color: theme.warn },
        legendgroup: 'nearest',
      });
    }
    const pointName = escapeHtml(data.pointName ?? DEFAULT_POINT_NAME);
    traces.push({
      type: 'scatter3d',
      name: `${pointName}<br>(${f.map((v) => v.toFixed(2)).join(', ')})`,
      meta: 'point',
      mode: 'markers',
      x: [f[0]],
      y: [f[1]],
      z: [f[2]],
      text: ['f'],
      hovertemplate: `<b>${pointName}</b>${XYZ}<extra></extra>`,
      marker: { size: 8, color: theme.text, symbol: 'circle', line: { color: theme.warn, width: 3 } },
    });
  }
  return traces;
}

/** Below this plot width (px) the legend goes under the scene: beside it, it would cover the scene. */
export const NARROW_PLOT_WIDTH = 600;
/** Share of the height under the scene kept for the legend when it is below. */
const LEGEND_BAND = 0.25;

/** Width (px) of the right margin that holds the legend beside the scene: the legend never covers it. */
export const LEGEND_MARGIN = 200;

export interface PadLayoutOptions {
  /** Legend under the scene instead of in a margin at its right (narrow containers). */
  legendBelow?: boolean;
  /** Each axis's range (padRanges of the data drawn); the whole scale by default. */
  ranges?: PadRanges;
}

export function buildPadLayout(theme: PadTheme = DEFAULT_PAD_THEME, opts: PadLayoutOptions = {}): PlotlyLayout {
  const below = opts.legendBelow ?? false;
  const ranges = opts.ranges ?? ([[...PAD_RANGE], [...PAD_RANGE], [...PAD_RANGE]] as PadRanges);
  const axis = (title: string, range: [number, number]) => ({
    title: { text: title, font: { color: theme.text, size: 12 } },
    range,
    autorange: false,
    nticks: 5,
    tickfont: { color: theme.muted, size: 10 },
    gridcolor: theme.line,
    zerolinecolor: theme.muted,
    showbackground: true,
    backgroundcolor: theme.bg,
    showspikes: false,
  });
  return {
    // Keeps the user's camera when the clip changes (plotly.react with the same uirevision).
    uirevision: 'pad',
    paper_bgcolor: theme.panel,
    font: { color: theme.text, family: 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif', size: 12 },
    // The legend sits in a margin of its own at the right (or, when narrow, a band below): outside the scene.
    margin: { l: 0, r: below ? 0 : LEGEND_MARGIN, t: 0, b: 0 },
    showlegend: true,
    legend: {
      ...(below
        ? // 'normal' order: a legend group would stack as one tall column and push the row off the right edge.
          { orientation: 'h' as const, traceorder: 'normal' as const, x: 0.01, xanchor: 'left' as const, y: LEGEND_BAND, yanchor: 'top' as const }
        : { x: 1.01, xanchor: 'left' as const, y: 0.98, yanchor: 'top' as const }),
      itemsizing: 'constant',
      bgcolor: 'rgba(20,22,26,0.75)',
      bordercolor: theme.line,
      borderwidth: 1,
      font: { size: 11, color: theme.text },
    },
    hoverlabel: { bgcolor: theme.panel2, bordercolor: theme.line, font: { color: theme.text } },
    scene: {
      xaxis: axis(PAD_AXES[0], ranges[0]),
      yaxis: axis(PAD_AXES[1], ranges[1]),
      zaxis: axis(PAD_AXES[2], ranges[2]),
      domain: below ? { x: [0, 1], y: [LEGEND_BAND, 1] } : { x: [0, 1], y: [0, 1] },
      aspectmode: 'cube',
      // Far enough that the axis titles stay inside the scene's box.
      camera: { eye: { x: 1.45, y: -1.6, z: 0.78 }, center: { x: 0, y: 0, z: -0.06 } },
    },
  };
}

export const PAD_PLOT_CONFIG: PlotlyConfig = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['resetCameraLastSave3d', 'hoverClosest3d'],
  toImageButtonOptions: { filename: 'pad-plot', format: 'png' },
};

function columns(points: readonly Pad[]): { x: number[]; y: number[]; z: number[] } {
  return { x: points.map((p) => p[0]), y: points.map((p) => p[1]), z: points.map((p) => p[2]) };
}

function dist(a: Pad, b: Pad): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Plotly renders a subset of HTML in text and names; class names are user input. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
