// The status bar: running jobs with a progress bar and percentage (gone when they finish), and the execution
// provider the last job's embeddings ran on (from app.info, then live from job events).
import { cleanup, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, JobProgressEvent } from '../../shared/api';

const listeners = new Set<(p: JobProgressEvent) => void>();
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    on: (_event: string, l: (p: JobProgressEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  },
}));
const { default: StatusBar } = await import('../../src-renderer/components/StatusBar.svelte');

afterEach(() => {
  cleanup();
  listeners.clear();
});

const info = (lastProvider: AppInfo['lastProvider']): AppInfo => ({ name: 'E-ODN Studio', version: '0.1.0', transport: 'browser', dataDir: '/tmp', executionProvider: 'cpu', lastProvider });
const emit = async (p: Partial<JobProgressEvent>) => {
  for (const l of listeners) l({ jobId: 'j1', kind: 'train', done: 0, total: 100, message: '', ...p });
  await tick();
};

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
});
