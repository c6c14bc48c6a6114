// The Train dialog's encoder and label-rule choices (issue 15, issue 14's leftover): the bundled encoder and
// the majority / adjudicated label by default (models.train gets neither field), a manifest encoder by a typed
// absolute path, and the vote distribution. A manifest main refuses comes back as the dialog's error with
// everything still as chosen, so the curator can fix the path and train again.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as { method: string; args: unknown }[]);
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: { encoder?: { manifest?: string } }) => {
      calls.push({ method, args });
      if (method === 'classes.list') {
        const counts: [string, number][] = [['anger', 12], ['boredom', 9], ['neutral', 8]];
        return { classes: counts.map(([name, clips]) => ({ name, pad: null, origin: 'import', createdAt: '2026-01-01T00:00:00Z', clips })) };
      }
      if (method === 'models.train') {
        if (args.encoder?.manifest === '/models/bad/manifest.json')
          throw new Error('encoder manifest refused: /models/bad/manifest.json: input "input_values" is not in the model (it has x)');
        return { jobId: 'job-9' };
      }
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  },
}));
const { default: TrainDialog } = await import('../../src-renderer/components/TrainDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
});

function open() {
  const onstarted = vi.fn();
  const onclose = vi.fn();
  render(TrainDialog, { props: { activeClasses: null, onstarted, onclose } });
  return { onstarted, onclose };
}
const radio = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const confirm = () => screen.getByTestId('train-confirm') as HTMLButtonElement;
const trainCalls = () => calls.filter((c) => c.method === 'models.train').map((c) => c.args);

describe('TrainDialog: encoder and label rule', () => {
  it('defaults to the bundled encoder and the majority / adjudicated label, and sends neither', async () => {
    const { onstarted } = open();
    await waitFor(() => expect(confirm().disabled).toBe(false));
    expect(radio('train-encoder-bundled').checked).toBe(true);
    expect(radio('train-labels-majority').checked).toBe(true);
    expect(screen.queryByTestId('train-manifest-path')).toBeNull();
    await fireEvent.click(confirm());
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-9'));
    expect(trainCalls()).toEqual([{ known: ['anger', 'boredom', 'neutral'] }]);
  });

  it('trains with a manifest encoder by its path and on the vote distribution', async () => {
    const { onstarted } = open();
    await waitFor(() => expect(confirm().disabled).toBe(false));
    await fireEvent.click(radio('train-encoder-manifest'));
    // A manifest encoder needs its path before anything can start.
    expect(confirm().disabled).toBe(true);
    const path = screen.getByTestId('train-manifest-path') as HTMLInputElement;
    expect(path.placeholder).toBe('/absolute/path/to/manifest.json');
    await fireEvent.input(path, { target: { value: '  /models/wavlm/manifest.json ' } });
    expect(confirm().disabled).toBe(false);
    await fireEvent.click(radio('train-labels-distribution'));
    await fireEvent.click(confirm());
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-9'));
    expect(trainCalls()).toEqual([{ known: ['anger', 'boredom', 'neutral'], encoder: { manifest: '/models/wavlm/manifest.json' }, labels: 'distribution' }]);
  });

  it("shows main's refusal of a bad manifest and keeps every choice, so a corrected path trains", async () => {
    const { onstarted } = open();
    await waitFor(() => expect(confirm().disabled).toBe(false));
    await fireEvent.click(radio('train-encoder-manifest'));
    const path = screen.getByTestId('train-manifest-path') as HTMLInputElement;
    await fireEvent.input(path, { target: { value: '/models/bad/manifest.json' } });
    await fireEvent.click(radio('train-labels-distribution'));
    await fireEvent.click(confirm());
    await waitFor(() => expect(screen.getByTestId('train-error').textContent).toContain('input "input_values" is not in the model'));
    expect(onstarted).not.toHaveBeenCalled();
    // Nothing lost: the dialog is still open with the same choices.
    expect(radio('train-encoder-manifest').checked).toBe(true);
    expect((screen.getByTestId('train-manifest-path') as HTMLInputElement).value).toBe('/models/bad/manifest.json');
    expect(radio('train-labels-distribution').checked).toBe(true);
    expect(confirm().disabled).toBe(false);
    await fireEvent.input(path, { target: { value: '/models/good/manifest.json' } });
    await fireEvent.click(confirm());
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-9'));
    expect(screen.queryByTestId('train-error')).toBeNull();
    expect(trainCalls().at(-1)).toEqual({ known: ['anger', 'boredom', 'neutral'], encoder: { manifest: '/models/good/manifest.json' }, labels: 'distribution' });
  });
});
