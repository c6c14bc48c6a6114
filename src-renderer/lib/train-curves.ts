// A training or fine-tuning run as the Train view shows it, folded from `job.progress` events: the state,
// the latest message, and the loss/accuracy of every epoch of the head's fit. Pure, so it is testable and
// survives switching tabs (App keeps the runs).
import type { JobProgressEvent, JobState } from '../../shared/api';

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
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
  if (e.stage === 'fit' && typeof e.epoch === 'number' && Number.isFinite(e.loss) && Number.isFinite(e.accuracy)) {
    const point = { epoch: e.epoch, loss: e.loss!, accuracy: e.accuracy! };
    const last = epochs.at(-1);
    // Epochs only grow within one fit; a smaller one starts a new fit of the same job.
    epochs = last && e.epoch <= last.epoch ? [point] : [...epochs, point];
    const m = /epoch \d+ of (\d+)/.exec(e.message);
    if (m) totalEpochs = Number(m[1]);
  }
  return {
    ...base,
    state: e.state ?? base.state,
    stage: e.stage ?? base.stage,
    message: e.message || base.message,
    percent: e.total > 0 ? Math.max(base.percent, Math.round((100 * e.done) / e.total)) : base.percent,
    epochs,
    totalEpochs,
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
  line: { color: string; width: number };
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
