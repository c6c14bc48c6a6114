// The status bar: running jobs with a progress bar and percentage (gone when they finish), the execution
// provider the last job's embeddings ran on (from app.info, then live from job events), and the estimate of
// labels right, fetched again when answers change.
import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, JobProgressEvent, LabelsEstimate } from '../../shared/api';
import type { ProjectInfo } from '../../shared/domain';

const listeners = new Map<string, Set<(p: unknown) => void>>();
const estimates: LabelsEstimate[] = [];
const calls: string[] = [];
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    on: (event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
    call: async (method: string) => {
      calls.push(method);
      if (method !== 'labels.estimate' || !estimates.length) throw new Error('no project');
      return estimates.length > 1 ? estimates.shift() : estimates[0];
    },
  },
}));
const { default: StatusBar } = await import('../../src-renderer/components/StatusBar.svelte');

afterEach(() => {
  cleanup();
  listeners.clear();
  estimates.length = 0;
  calls.length = 0;
});

const info = (lastProvider: AppInfo['lastProvider'], annotator: string | null = null): AppInfo => ({ name: 'E-ODN Studio', version: '0.1.0', transport: 'browser', dataDir: '/tmp', executionProvider: 'cpu', device: 'cpu', lastProvider, annotator });
const emit = async (p: Partial<JobProgressEvent>) => {
  for (const l of listeners.get('job.progress') ?? []) l({ jobId: 'j1', kind: 'train', done: 0, total: 100, message: '', ...p });
  await tick();
};
const project: ProjectInfo = { path: '/tmp/demo.eodn', name: 'demo', clipCount: 80, classes: [], speakers: [], createdAt: '', readOnly: null };
const estimate = (share: number, more: Partial<LabelsEstimate> = {}): LabelsEstimate => ({
  share,
  clips: 80,
  answered: 3,
  modelLabelled: 77,
  modelUnknown: 20,
  unlabelled: 0,
  versionId: 1,
  calibrated: true,
  ece: 0.061,
  eceRaw: 0.143,
  heldOutClips: 57,
  ...more,
});

describe('StatusBar', () => {
  it('shows each running job with its percentage, and drops it when done', async () => {
    render(StatusBar, { props: { info: info(null), project: null } });
    expect(screen.getByTestId('status-jobs').textContent).toContain('No jobs running');
    await emit({ state: 'running', done: 42, message: 'training the head' });
    const job = screen.getByTestId('status-job');
    expect(within(job).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
    expect(job.textContent).toContain('42 %');
    expect(job.textContent).toContain('training the head');
    await emit({ jobId: 'j2', kind: 'finetune', state: 'running', done: 3, total: 12 });
    expect(screen.getAllByTestId('status-job').map((j) => within(j).getByRole('progressbar').getAttribute('aria-valuenow'))).toEqual(['42', '25']);
    await emit({ state: 'failed', done: 100, message: 'failed: x' });
    await emit({ jobId: 'j2', kind: 'finetune', state: 'done', done: 100 });
    expect(screen.queryAllByTestId('status-job')).toHaveLength(0);
  });

  it('names the provider the last job computed embeddings on', async () => {
    render(StatusBar, { props: { info: info(null), project: null } });
    expect(screen.getByTestId('provider').dataset.provider).toBe('cpu');
    await emit({ state: 'running', done: 10, provider: 'webgpu' });
    expect(screen.getByTestId('provider').textContent).toBe('WebGPU');
    cleanup();
    render(StatusBar, { props: { info: info({ provider: 'js', jobId: 'j0', kind: 'train', at: '' }), project: null } });
    expect(screen.getByTestId('provider').textContent).toBe('CPU (TypeScript)');
  });

  it("shows the last run's clips/s and encoder (a manifest encoder's id), live and from app.info", async () => {
    render(StatusBar, { props: { info: info(null), project: null } });
    expect(screen.queryByTestId('provider-rate')).toBeNull();
    await emit({ state: 'running', done: 50, provider: 'cpu', clipsPerSec: 42.345, encoder: 'manifest:toy-w2v' });
    expect(screen.getByTestId('provider').textContent).toBe('CPU (ONNX Runtime)');
    expect(screen.getByTestId('provider-rate').textContent).toBe('· 42.3 clips/s');
    expect(screen.getByTestId('provider-encoder').textContent).toBe('· manifest:toy-w2v');
    cleanup();
    render(StatusBar, { props: { info: info({ provider: 'cuda', clipsPerSec: 1234.5, encoder: 'wavlm-large', jobId: 'j0', kind: 'train', at: '' }), project: null } });
    expect(screen.getByTestId('provider').textContent).toBe('CUDA');
    expect(screen.getByTestId('provider-rate').textContent).toBe('· 1,235 clips/s');
    expect(screen.getByTestId('provider-encoder').textContent).toBe('· wavlm-large');
  });

  it('shows the estimate of labels right, says how it is made, and fetches it again after answers', async () => {
    estimates.push(estimate(0.634), estimate(0.671));
    render(StatusBar, { props: { info: info(null), project } });
    await waitFor(() => expect(screen.getByTestId('status-estimate').textContent).toMatch(/^≈ 63 % of labels likely right · about \d+–\d+ decisions to 95 %$/));
    const title = screen.getByTestId('status-estimate').title;
    expect(title).toContain('3 answered (answers count as right)');
    expect(title).toContain('best guess for the 20 clips it calls unknown');
    expect(title).toContain('calibrated on 57 held-out clips (expected calibration error 0.061, against 0.143 for the raw confidence)');
    for (const l of listeners.get('labels.changed') ?? []) l({ count: 1 });
    await waitFor(() => expect(screen.getByTestId('status-estimate').textContent).toMatch(/^≈ 67 % of labels likely right · about \d+–\d+ decisions to 95 %$/));
  });

  it('says when the confidence is not calibrated, and shows nothing without a project', async () => {
    estimates.push(estimate(0.8, { calibrated: false, ece: undefined, eceRaw: undefined, heldOutClips: undefined }));
    render(StatusBar, { props: { info: info(null), project } });
    await waitFor(() => expect(screen.getByTestId('status-estimate').title).toContain('no calibration'));
    cleanup();
    calls.length = 0;
    render(StatusBar, { props: { info: info(null), project: null } });
    await tick();
    expect(screen.queryByTestId('status-estimate')).toBeNull();
    expect(calls).toEqual([]);
  });

  it('shows who answers are recorded as, with a project, and opens the name dialog on click', async () => {
    const onannotator = vi.fn();
    render(StatusBar, { props: { info: info(null, 'Ada'), project, onannotator } });
    expect(screen.getByTestId('status-annotator-name').textContent).toBe('Ada');
    screen.getByTestId('status-annotator').click();
    expect(onannotator).toHaveBeenCalledTimes(1);
    cleanup();
    render(StatusBar, { props: { info: info(null), project } });
    expect(screen.getByTestId('status-annotator-name').textContent).toBe('annotator');
    cleanup();
    render(StatusBar, { props: { info: info(null, 'Ada'), project: null } });
    expect(screen.queryByTestId('status-annotator')).toBeNull();
  });
});
