// The "Embedding device" control (issue 15): in the Train dialog beside the encoder (CPU by default, GPU saved with
// app.setDevice when a training starts with it, nothing saved when it is left as it was), and in the status bar
// (a select saved at once; a refused save keeps the old device and says why). The status bar says "GPU asked for,
// ran on CPU: <reason>" when a job's GPU request fell back, live and from app.info.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, JobProgressEvent } from '../../shared/api';

const calls = vi.hoisted(() => [] as { method: string; args: unknown }[]);
const refuse = vi.hoisted(() => ({ setDevice: false }));
const listeners = vi.hoisted(() => new Map<string, Set<(p: unknown) => void>>());
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: { device?: string }) => {
      calls.push({ method, args });
      if (method === 'classes.list') {
        const counts: [string, number][] = [['anger', 12], ['boredom', 9], ['neutral', 8]];
        return { classes: counts.map(([name, clips]) => ({ name, pad: null, origin: 'import', createdAt: '2026-01-01T00:00:00Z', clips })) };
      }
      if (method === 'models.train') return { jobId: 'job-9' };
      if (method === 'app.setDevice') {
        if (refuse.setDevice) throw new Error('the data folder is not writable');
        return { device: args.device };
      }
      throw new Error(`unexpected ${method}`);
    }),
    on: (event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
  },
}));
const { default: TrainDialog } = await import('../../src-renderer/components/TrainDialog.svelte');
const { default: StatusBar } = await import('../../src-renderer/components/StatusBar.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
  refuse.setDevice = false;
  listeners.clear();
});

const radio = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const confirm = () => screen.getByTestId('train-confirm') as HTMLButtonElement;
const methods = () => calls.map((c) => c.method);

describe('TrainDialog: embedding device', () => {
  it('shows the saved device, CPU by default, and saves nothing when it is kept', async () => {
    const onstarted = vi.fn();
    render(TrainDialog, { props: { activeClasses: null, onstarted, onclose: vi.fn() } });
    await waitFor(() => expect(confirm().disabled).toBe(false));
    expect(radio('train-device-cpu').checked).toBe(true);
    expect(radio('train-device-gpu').checked).toBe(false);
    expect(screen.getByTestId('train-device').textContent).toContain('CUDA or WebGPU where ONNX Runtime finds one; otherwise the CPU, and the studio says why');
    await fireEvent.click(confirm());
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-9'));
    expect(methods()).toEqual(['classes.list', 'models.train']);
  });

  it('saves GPU for the data folder before the training starts, and tells the studio', async () => {
    const onstarted = vi.fn();
    const ondevice = vi.fn();
    render(TrainDialog, { props: { activeClasses: null, onstarted, onclose: vi.fn(), device: 'cpu', ondevice } });
    await waitFor(() => expect(confirm().disabled).toBe(false));
    await fireEvent.click(radio('train-device-gpu'));
    await fireEvent.click(confirm());
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-9'));
    expect(calls.filter((c) => c.method !== 'classes.list')).toEqual([
      { method: 'app.setDevice', args: { device: 'gpu' } },
      { method: 'models.train', args: { known: ['anger', 'boredom', 'neutral'] } },
    ]);
    expect(ondevice).toHaveBeenCalledWith('gpu');
  });

  it('starts from a saved GPU, and a refused save starts nothing and keeps the choice', async () => {
    refuse.setDevice = true;
    const onstarted = vi.fn();
    render(TrainDialog, { props: { activeClasses: null, onstarted, onclose: vi.fn(), device: 'gpu' } });
    await waitFor(() => expect(confirm().disabled).toBe(false));
    expect(radio('train-device-gpu').checked).toBe(true);
    await fireEvent.click(radio('train-device-cpu'));
    await fireEvent.click(confirm());
    await waitFor(() => expect(screen.getByTestId('train-error').textContent).toContain('the data folder is not writable'));
    expect(onstarted).not.toHaveBeenCalled();
    expect(methods()).not.toContain('models.train');
    expect(radio('train-device-cpu').checked).toBe(true);
  });
});

const info = (over: Partial<AppInfo> = {}): AppInfo => ({
  name: 'E-ODN Studio', version: '0.1.0', transport: 'browser', dataDir: '/tmp', executionProvider: 'cpu', device: 'cpu', lastProvider: null, annotator: null, ...over,
});
const emit = async (p: Partial<JobProgressEvent>) => {
  for (const l of listeners.get('job.progress') ?? []) l({ jobId: 'j1', kind: 'train', done: 0, total: 100, message: '', ...p });
  await tick();
};
const select = () => screen.getByTestId('status-device') as HTMLSelectElement;
const REASON = 'cuda: Failed to load shared library | webgpu: Failed to get a WebGPU adapter: No supported adapters';

describe('StatusBar: embedding device', () => {
  it('shows the saved device and saves another one at once', async () => {
    const ondevice = vi.fn();
    render(StatusBar, { props: { info: info(), project: null, ondevice } });
    expect(select().value).toBe('cpu');
    expect(screen.getByTestId('provider').textContent).toBe('CPU');
    await fireEvent.change(select(), { target: { value: 'gpu' } });
    await waitFor(() => expect(ondevice).toHaveBeenCalledWith('gpu'));
    expect(calls).toEqual([{ method: 'app.setDevice', args: { device: 'gpu' } }]);
    cleanup();
    render(StatusBar, { props: { info: info({ device: 'gpu' }), project: null } });
    expect(select().value).toBe('gpu');
    expect(screen.getByTestId('provider').textContent).toBe('GPU asked for');
  });

  it('keeps the saved device when the save is refused, and says why', async () => {
    refuse.setDevice = true;
    const ondevice = vi.fn();
    render(StatusBar, { props: { info: info(), project: null, ondevice } });
    await fireEvent.change(select(), { target: { value: 'gpu' } });
    await waitFor(() => expect(select().closest('label')!.title).toBe('the data folder is not writable'));
    expect(select().value).toBe('cpu');
    expect(ondevice).not.toHaveBeenCalled();
  });

  it('says "GPU asked for, ran on CPU" with the reason when a GPU request fell back, live and from app.info', async () => {
    render(StatusBar, { props: { info: info({ device: 'gpu' }), project: null } });
    expect(screen.queryByTestId('provider-fallback')).toBeNull();
    await emit({ state: 'running', done: 30, provider: 'cpu', clipsPerSec: 75, encoder: 'toy', requested: 'gpu', fallback: REASON });
    expect(screen.getByTestId('provider').textContent).toBe('CPU (ONNX Runtime)');
    expect(screen.getByTestId('provider-fallback').textContent).toBe(`GPU asked for, ran on CPU: ${REASON}`);
    cleanup();
    render(StatusBar, { props: { info: info({ device: 'gpu', lastProvider: { provider: 'cpu', requested: 'gpu', fallback: REASON, jobId: 'j0', kind: 'train', at: '' } }), project: null } });
    expect(screen.getByTestId('provider-fallback').title).toBe(`GPU asked for, ran on CPU: ${REASON}`);
    cleanup();
    // A GPU that ran, or a CPU run that asked for the CPU, says nothing of the kind.
    render(StatusBar, { props: { info: info({ device: 'gpu', lastProvider: { provider: 'webgpu', requested: 'gpu', jobId: 'j0', kind: 'train', at: '' } }), project: null } });
    expect(screen.queryByTestId('provider-fallback')).toBeNull();
    await emit({ state: 'running', done: 30, provider: 'cpu', requested: 'cpu' });
    expect(screen.queryByTestId('provider-fallback')).toBeNull();
  });
});
