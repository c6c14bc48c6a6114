// A training or fine-tuning run as the Train view shows it, folded from `job.progress` events: the state,
// the latest message, and the loss/accuracy of every epoch of the head's fit. Pure, so it is testable and
// survives switching tabs (App keeps the runs).
import type { JobProgressEvent, JobState } from '../../shared/api';

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
}

/**
 * One fit of a run: a training run fits the detection head, then the label head; a fine-tune grows and
 * fine-tunes each head in turn. Each has its own epochs (counted from 1) and its own total, read from the
 * pipeline's message ("training the detection head: epoch 3 of 150").
 */
export interface FitPhase {
  /** What is being fitted, as the pipeline says it ("training the detection head"); '' when it says nothing. */
  name: string;
  total: number | null;
  epochs: EpochPoint[];
}

export interface TrainRun {
  jobId: string;
  kind: string;
  state: JobState;
  stage: string | null;
  message: string;
  /** Overall percentage (0..100). */
  percent: number;
  epochs: EpochPoint[];
  /** Epochs of the current fit, read from the pipeline's message ("epoch 3 of 60"); null until known. */
  totalEpochs: number | null;
  /** Every fit of the run so far, in order (the last is the current one, whose points `epochs` holds). */
  phases?: FitPhase[];
  versionId: number | null;
  error: string | null;
}

export const MODEL_JOB_KINDS = ['train', 'finetune'];

export function isModelJob(e: Pick<JobProgressEvent, 'kind'>): boolean {
  return MODEL_JOB_KINDS.includes(e.kind);
}

export function isFinished(run: Pick<TrainRun, 'state'> | null): boolean {
  return run !== null && (run.state === 'done' || run.state === 'failed' || run.state === 'cancelled');
}

/** The run after one more progress event of its job (a new run for an unseen job id). */
export function applyProgress(run: TrainRun | null, e: JobProgressEvent): TrainRun {
  const base: TrainRun =
    run && run.jobId === e.jobId
      ? run
      : { jobId: e.jobId, kind: e.kind, state: 'running', stage: null, message: '', percent: 0, epochs: [], totalEpochs: null, versionId: null, error: null };
  // A finished run ignores stragglers (events may arrive after 'done' on a slow transport).
  if (isFinished(base)) return base;
  let epochs = base.epochs;
  let totalEpochs = base.totalEpochs;
  let phases = base.phases ?? [];
  if (e.stage === 'fit' && typeof e.epoch === 'number' && Number.isFinite(e.loss) && Number.isFinite(e.accuracy)) {
    // The message carries the fit's own epoch and total; e.epoch may run on across fits (one 'fit' stage
    // over both heads), so the message's numbers win when it has them.
    const m = /^(.*?):?\s*epoch (\d+) of (\d+)/.exec(e.message);
    const name = m ? m[1].trim() : '';
    const point = { epoch: m ? Number(m[2]) : e.epoch, loss: e.loss!, accuracy: e.accuracy! };
    const total = m ? Number(m[3]) : null;
    const current = phases.at(-1);
    const last = current?.epochs.at(-1);
    if (current && current.name === name && last && point.epoch > last.epoch) {
      // The same fit, one epoch on.
      phases = [...phases.slice(0, -1), { name, total: total ?? current.total, epochs: [...current.epochs, point] }];
    } else if (current && current.name === name) {
      // Epochs only grow within one fit; a smaller one under the same name starts that fit again.
      phases = [...phases.slice(0, -1), { name, total, epochs: [point] }];
    } else {
      phases = [...phases, { name, total, epochs: [point] }];
    }
    epochs = phases.at(-1)!.epochs;
    totalEpochs = phases.at(-1)!.total ?? totalEpochs;
  }
  return {
    ...base,
    state: e.state ?? base.state,
    stage: e.stage ?? base.stage,
    message: e.message || base.message,
    percent: e.total > 0 ? Math.max(base.percent, Math.round((100 * e.done) / e.total)) : base.percent,
    epochs,
    totalEpochs,
    phases,
    versionId: e.versionId ?? base.versionId,
    error: e.error ?? base.error,
  };
}

export interface CurveTheme {
  panel: string;
  line: string;
  text: string;
  muted: string;
  loss: string;
  accuracy: string;
}

export const DEFAULT_CURVE_THEME: CurveTheme = {
  panel: '#1b1e24',
  line: '#2e333d',
  text: '#e6e8eb',
  muted: '#9aa3af',
  loss: '#f0b35a',
  accuracy: '#7ee0b5',
};

/** A 2-D scatter trace (the subset of plotly's fields these curves use). */
export interface LineTrace {
  type: 'scatter';
  mode: 'lines' | 'lines+markers';
  name: string;
  x: number[];
  y: number[];
  yaxis?: 'y' | 'y2';
  line: { color: string; width: number; dash?: string };
  legendgroup?: string;
  hovertemplate: string;
}

/** Loss on the left axis, training accuracy (0-100 %) on the right, per epoch. */
export function buildCurveTraces(epochs: readonly EpochPoint[], theme: CurveTheme = DEFAULT_CURVE_THEME): LineTrace[] {
  const x = epochs.map((p) => p.epoch);
  return [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'Loss',
      x,
      y: epochs.map((p) => p.loss),
      yaxis: 'y',
      line: { color: theme.loss, width: 2 },
      hovertemplate: 'epoch %{x}<br>loss %{y:.4f}<extra></extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'Accuracy',
      x,
      y: epochs.map((p) => p.accuracy * 100),
      yaxis: 'y2',
      line: { color: theme.accuracy, width: 2 },
      hovertemplate: 'epoch %{x}<br>accuracy %{y:.1f} %<extra></extra>',
    },
  ];
}

/** "training the detection head" → "Detection head"; "fine-tuning the label head" → "Fine-tuning the label head". */
export function phaseLabel(name: string): string {
  const t = name.replace(/^training (the )?/i, '').trim();
  return t ? t[0].toUpperCase() + t.slice(1) : '';
}

/** The run's fits (a run folded before phases existed: its epochs as one unnamed fit). */
export function runPhases(run: Pick<TrainRun, 'epochs' | 'totalEpochs' | 'phases'>): FitPhase[] {
  if (run.phases?.length) return run.phases;
  return run.epochs.length ? [{ name: '', total: run.totalEpochs, epochs: run.epochs }] : [];
}

const PHASE_DASHES = ['solid', 'dash', 'dot', 'dashdot'];

/**
 * Each fit drawn on its own over its own epochs (1..its total): a loss and an accuracy trace per fit, told
 * apart by dash and named after the fit, so two heads' fits never join into one line.
 */
export function buildPhaseTraces(phases: readonly FitPhase[], theme: CurveTheme = DEFAULT_CURVE_THEME): LineTrace[] {
  if (phases.length === 1 && !phases[0].name) return buildCurveTraces(phases[0].epochs, theme);
  return phases.flatMap((ph, i) => {
    const label = phaseLabel(ph.name) || `Fit ${i + 1}`;
    const dash = PHASE_DASHES[i % PHASE_DASHES.length];
    const [loss, acc] = buildCurveTraces(ph.epochs, theme);
    return [
      { ...loss, name: `Loss · ${label}`, line: { ...loss.line, dash }, legendgroup: label, hovertemplate: `${label}<br>epoch %{x}<br>loss %{y:.4f}<extra></extra>` },
      { ...acc, name: `Accuracy · ${label}`, line: { ...acc.line, dash }, legendgroup: label, hovertemplate: `${label}<br>epoch %{x}<br>accuracy %{y:.1f} %<extra></extra>` },
    ];
  });
}

/** The x axis's end: the longest fit's total (or its last epoch while the total is unknown). */
export function phasesMaxEpoch(phases: readonly FitPhase[]): number | undefined {
  const m = Math.max(0, ...phases.map((p) => p.total ?? p.epochs.at(-1)?.epoch ?? 0));
  return m > 0 ? m : undefined;
}

/** One line per fit, saying its last epoch: what the chart draws, in words. */
export function phaseReadouts(phases: readonly FitPhase[]): string[] {
  return phases
    .filter((p) => p.epochs.length > 0)
    .map((p) => {
      const last = p.epochs.at(-1)!;
      const label = phaseLabel(p.name);
      const head = `${label ? `${label}: epoch` : 'Epoch'} ${last.epoch}${p.total ? ` of ${p.total}` : ''}`;
      return `${head} · loss ${last.loss.toFixed(4)} · training accuracy ${(last.accuracy * 100).toFixed(1)} %`;
    });
}

/** What the chart says where there is no epoch to draw. */
export function emptyChartText(state: JobState | null | undefined): string {
  if (state === 'cancelled') return 'Cancelled before the first epoch.';
  if (state === 'failed') return 'Failed before the first epoch.';
  if (state === 'done') return 'No epochs were reported for this run.';
  return 'Waiting for the first epoch…';
}

export function buildCurveLayout(theme: CurveTheme = DEFAULT_CURVE_THEME, maxEpoch?: number): Record<string, unknown> {
  const axis = { gridcolor: theme.line, zerolinecolor: theme.line, tickfont: { color: theme.muted, size: 11 }, linecolor: theme.line };
  return {
    uirevision: 'curves',
    paper_bgcolor: theme.panel,
    plot_bgcolor: theme.panel,
    font: { color: theme.text, family: 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif', size: 12 },
    margin: { l: 56, r: 60, t: 16, b: 44 },
    showlegend: true,
    legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: 1.02, yanchor: 'bottom', font: { size: 12 } },
    hovermode: 'x unified',
    hoverlabel: { bgcolor: theme.panel, bordercolor: theme.line, font: { color: theme.text } },
    xaxis: { ...axis, title: { text: 'Epoch', font: { color: theme.muted, size: 12 } }, rangemode: 'tozero', ...(maxEpoch ? { range: [0, maxEpoch], autorange: false } : {}) },
    yaxis: { ...axis, title: { text: 'Loss', font: { color: theme.loss, size: 12 } }, rangemode: 'tozero' },
    // Its own ticks (not synced to the loss axis) and a little headroom so 100 % is not drawn on the frame.
    yaxis2: { ...axis, title: { text: 'Accuracy (%)', font: { color: theme.accuracy, size: 12 } }, overlaying: 'y', side: 'right', range: [0, 104], autorange: false, tickmode: 'array', tickvals: [0, 20, 40, 60, 80, 100], showgrid: false },
  };
}
