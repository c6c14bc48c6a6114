// Batch accept's bars start where the loop simulator found the fewest decisions to a correct dataset: 0.9 for
// accepted clips, 0.6 for ambiguous-accepted ones, both ticked, so the dry run (and the confirm) ask for both
// kinds in one call. Unticking one asks for the other alone, at its own bar; unticking both asks for nothing.
// The batch is listed whole (up to 300 clips) to be heard and corrected in place: a correction is saved as an
// answer at once and the clip leaves the batch (the dry run is asked again).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_ACCEPT_DEFAULTS } from '../../shared/defaults';

const calls: { method: string; args: Record<string, unknown> }[] = [];
/** The batch the fake studio lists: clips corrected (answered) leave it. */
const batch = [
  { clipId: 7, name: 'a.wav', label: 'anger', confidence: 0.62 },
  { clipId: 8, name: 'b.wav', label: 'sadness', confidence: 0.93 },
  { clipId: 9, name: 'c.wav', label: 'anger', confidence: 0.99 },
];
const answered = new Set<number>();
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    on: () => () => {},
    audioUrl: (id: number) => `audio://${id}`,
    call: async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args });
      if (method === 'classes.list') return { classes: ['anger', 'sadness', 'fear'].map((name) => ({ name, clips: 1 })) };
      if (method === 'annotations.add') {
        answered.add(args.clipId as number);
        return { annotation: {}, currentLabel: args.label, reviewed: true };
      }
      const left = batch.filter((b) => !answered.has(b.clipId));
      return { dryRun: args.dryRun, versionId: 1, count: left.length, sample: left };
    },
  },
}));
const { default: BatchAcceptDialog } = await import('../../src-renderer/components/BatchAcceptDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
  answered.clear();
});

const el = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const lastDry = () => {
  const a = calls.filter((c) => c.args.dryRun === true).at(-1)?.args;
  if (!a) return a;
  expect(a.sampleSize).toBe(300); // the whole batch is listed (up to 300)
  const { sampleSize: _n, ...rest } = a;
  return rest;
};
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
    expect(screen.getAllByTestId('batch-item')).toHaveLength(3);
    expect(screen.getByText(/eodn simulate/)).toBeTruthy();
    expect(screen.getByText(/both kinds at once is one decision/)).toBeTruthy();
    await fireEvent.click(el('batch-confirm'));
    await waitFor(() => expect(ondone).toHaveBeenCalledWith(3, 0));
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

  it('a label corrected in the list is saved as an answer and leaves the batch; the rest are accepted', async () => {
    const ondone = vi.fn();
    render(BatchAcceptDialog, { onclose: () => {}, ondone });
    await countFor('0.90|0.60');
    await waitFor(() => expect(screen.getAllByTestId('batch-correct')[0].querySelectorAll('option')).toHaveLength(3)); // correct… + 2 other classes
    const dryRuns = calls.filter((c) => c.args.dryRun === true).length;
    await fireEvent.change(screen.getAllByTestId('batch-correct')[0], { target: { value: 'fear' } });
    await waitFor(() => expect(calls.some((c) => c.method === 'annotations.add')).toBe(true));
    expect(calls.find((c) => c.method === 'annotations.add')!.args).toEqual({ clipId: 7, action: 'relabel', label: 'fear' });
    // Counted and listed again without it.
    await waitFor(() => expect(calls.filter((c) => c.args.dryRun === true).length).toBeGreaterThan(dryRuns));
    await waitFor(() => expect(el('batch-count').textContent).toMatch(/2 clips would be accepted/));
    expect(screen.getAllByTestId('batch-item')).toHaveLength(2);
    expect(screen.getByTestId('batch-corrected').textContent).toMatch(/a\.wav anger → fear/);
    await fireEvent.click(el('batch-confirm'));
    await waitFor(() => expect(ondone).toHaveBeenCalledWith(2, 1));
  });

  it('plays a listed clip from the studio\'s audio, and stops it', async () => {
    render(BatchAcceptDialog, { onclose: () => {}, ondone: () => {} });
    await countFor('0.90|0.60');
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const pause = vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
    await fireEvent.click(screen.getByRole('button', { name: 'play b.wav' }));
    expect(play).toHaveBeenCalledTimes(1);
    expect((document.querySelector('audio') as HTMLAudioElement).src).toBe('audio://8');
    await fireEvent.click(screen.getByRole('button', { name: 'stop b.wav' }));
    expect(pause).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'play b.wav' })).toBeTruthy();
    play.mockRestore();
    pause.mockRestore();
  });

  it('closing after corrections reports them (their answers are already saved)', async () => {
    const onclose = vi.fn();
    render(BatchAcceptDialog, { onclose, ondone: () => {} });
    await countFor('0.90|0.60');
    await waitFor(() => expect(screen.getAllByTestId('batch-correct')[1].querySelectorAll('option')).toHaveLength(3));
    await fireEvent.change(screen.getAllByTestId('batch-correct')[1], { target: { value: 'anger' } });
    await waitFor(() => expect(screen.getByTestId('batch-corrected')).toBeTruthy());
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onclose).toHaveBeenCalledWith(1);
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
