// Batch accept's bars start where the loop simulator found the fewest decisions to a correct dataset: 0.9 for
// accepted clips, 0.6 for ambiguous-accepted ones, both ticked, so the dry run (and the confirm) ask for both
// kinds in one call. Unticking one asks for the other alone, at its own bar; unticking both asks for nothing.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_ACCEPT_DEFAULTS } from '../../shared/defaults';

const calls: { method: string; args: Record<string, unknown> }[] = [];
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    on: () => () => {},
    call: async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args });
      return { dryRun: args.dryRun, versionId: 1, count: 3, sample: [] };
    },
  },
}));
const { default: BatchAcceptDialog } = await import('../../src-renderer/components/BatchAcceptDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
});

const el = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const lastDry = () => calls.filter((c) => c.args.dryRun === true).at(-1)?.args;
/** The count shown is for these bars, and the confirm button is live. */
async function countFor(bars: string) {
  await waitFor(() => expect(el('batch-count').getAttribute('data-for')).toBe(bars));
  await waitFor(() => expect((el('batch-confirm') as unknown as HTMLButtonElement).disabled).toBe(false));
}

describe('BatchAcceptDialog', () => {
  it('starts with both kinds ticked at the simulator’s bars, and one call carries both', async () => {
    const ondone = vi.fn();
    render(BatchAcceptDialog, { onclose: () => {}, ondone });
    expect(Number(el('batch-confidence').value)).toBe(BATCH_ACCEPT_DEFAULTS.accepted);
    expect(Number(el('batch-ambiguous-confidence').value)).toBe(BATCH_ACCEPT_DEFAULTS['ambiguous-accepted']);
    expect(el('batch-accepted-on').checked).toBe(true);
    expect(el('batch-ambiguous-on').checked).toBe(true);
    await waitFor(() => expect(lastDry()).toEqual({ decision: 'accepted', minConfidence: 0.9, ambiguousMinConfidence: 0.6, dryRun: true }));
    await countFor('0.90|0.60');
    expect(el('batch-count').textContent).toMatch(/3 clips would be accepted/);
    expect(screen.getByText(/eodn simulate/)).toBeTruthy();
    expect(screen.getByText(/both kinds at once is one decision/)).toBeTruthy();
    await fireEvent.click(el('batch-confirm'));
    await waitFor(() => expect(ondone).toHaveBeenCalledWith(3));
    expect(calls.filter((c) => c.args.dryRun === false)).toEqual([
      { method: 'annotations.batchAccept', args: { decision: 'accepted', minConfidence: 0.9, ambiguousMinConfidence: 0.6, dryRun: false } },
    ]);
  });

  it('unticking ambiguous sends accepted alone, at the accepted bar', async () => {
    const ondone = vi.fn();
    render(BatchAcceptDialog, { onclose: () => {}, ondone });
    await fireEvent.click(el('batch-ambiguous-on'));
    expect(el('batch-ambiguous-confidence').disabled).toBe(true);
    await fireEvent.input(el('batch-confidence'), { target: { value: '0.95' } });
    await waitFor(() => expect(lastDry()).toEqual({ minConfidence: 0.95, decision: 'accepted', dryRun: true }));
    await countFor('0.95|off');
    await fireEvent.click(el('batch-confirm'));
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(calls.at(-1)?.args).toEqual({ minConfidence: 0.95, decision: 'accepted', dryRun: false });
  });

  it('unticking accepted sends ambiguous-accepted alone, with its own bar', async () => {
    const ondone = vi.fn();
    render(BatchAcceptDialog, { onclose: () => {}, ondone });
    await fireEvent.click(el('batch-accepted-on'));
    expect(el('batch-confidence').disabled).toBe(true);
    await waitFor(() => expect(lastDry()).toEqual({ minConfidence: 0.6, decision: 'ambiguous-accepted', dryRun: true }));
    await fireEvent.input(el('batch-ambiguous-confidence'), { target: { value: '0.7' } });
    await waitFor(() => expect(lastDry()).toEqual({ minConfidence: 0.7, decision: 'ambiguous-accepted', dryRun: true }));
    await countFor('off|0.70');
    await fireEvent.click(el('batch-confirm'));
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(calls.at(-1)?.args).toEqual({ minConfidence: 0.7, decision: 'ambiguous-accepted', dryRun: false });
    expect(calls.some((c) => 'ambiguousMinConfidence' in c.args && c.args.decision === 'ambiguous-accepted')).toBe(false);
  });

  it('with nothing ticked, asks for nothing and cannot confirm', async () => {
    render(BatchAcceptDialog, { onclose: () => {}, ondone: () => {} });
    await countFor('0.90|0.60');
    await fireEvent.click(el('batch-accepted-on'));
    await fireEvent.click(el('batch-ambiguous-on'));
    const before = calls.length;
    await waitFor(() => expect(el('batch-count').textContent).toMatch(/Tick at least one kind of decision/));
    expect((el('batch-confirm') as unknown as HTMLButtonElement).disabled).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // past the dry run's debounce
    expect(calls.length).toBe(before);
    expect((el('batch-confirm') as unknown as HTMLButtonElement).disabled).toBe(true);
  });
});
