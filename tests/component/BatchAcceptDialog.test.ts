// Batch accept's bars start where the loop simulator found the fewest decisions to a correct dataset: 0.9 for
// accepted clips, 0.6 when the annotator switches to ambiguous-accepted ones; the dry runs ask for exactly that.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_ACCEPT_DEFAULTS } from '../../shared/defaults';

const calls: { method: string; args: Record<string, unknown> }[] = [];
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    on: () => () => {},
    call: async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args });
      return { dryRun: true, versionId: 1, count: 3, sample: [] };
    },
  },
}));
const { default: BatchAcceptDialog } = await import('../../src-renderer/components/BatchAcceptDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
});

describe('BatchAcceptDialog', () => {
  it('starts at the simulator’s bar for accepted clips, and moves to the ambiguous bar with the kind', async () => {
    render(BatchAcceptDialog, { onclose: () => {}, ondone: () => {} });
    const slider = screen.getByTestId('batch-confidence') as HTMLInputElement;
    expect(Number(slider.value)).toBe(BATCH_ACCEPT_DEFAULTS.accepted);
    await waitFor(() => expect(calls.at(-1)?.args).toEqual({ minConfidence: 0.9, decision: 'accepted', dryRun: true }));
    await fireEvent.change(screen.getByLabelText('Decisions'), { target: { value: 'ambiguous-accepted' } });
    expect(Number(slider.value)).toBe(BATCH_ACCEPT_DEFAULTS['ambiguous-accepted']);
    await waitFor(() => expect(calls.at(-1)?.args).toEqual({ minConfidence: 0.6, decision: 'ambiguous-accepted', dryRun: true }));
    expect(screen.getByText(/eodn simulate/)).toBeTruthy();
  });
});
