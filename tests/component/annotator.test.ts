// The annotator's name (issue 14): every decision call goes out signed with it (Review, Discover, batch
// accept, fine-tuning alike), other calls are left as they are, and the studio asks for it only when a project
// is open and the data folder has none; the dialog saves it through app.setAnnotator, or skips to "annotator".
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as [string, unknown][]);
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: { name: string }) => {
      calls.push([method, args]);
      return { annotator: args.name.trim() };
    }),
    on: () => () => {},
  },
}));
const { annotatorName, setAnnotatorName, shouldAskName, signDecision } = await import('../../src-renderer/lib/annotator');
const { default: AnnotatorDialog } = await import('../../src-renderer/components/AnnotatorDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
  setAnnotatorName(null);
});

describe('signing decisions', () => {
  it('adds the chosen name to decision calls that name no one, and nothing else', () => {
    expect(signDecision('annotations.add', { clipId: 1, action: 'accept' })).toEqual({ clipId: 1, action: 'accept', annotator: 'annotator' });
    setAnnotatorName('  Ada ');
    expect(annotatorName()).toBe('Ada');
    expect(signDecision('annotations.add', { clipId: 1, action: 'accept' })).toMatchObject({ annotator: 'Ada' });
    expect(signDecision('annotations.addMany', { clipIds: [1], action: 'relabel', label: 'x' })).toMatchObject({ annotator: 'Ada' });
    expect(signDecision('annotations.batchAccept', { minConfidence: 0.9, dryRun: false })).toMatchObject({ annotator: 'Ada' });
    expect(signDecision('models.finetune', { name: 'fear', clipIds: [1] })).toMatchObject({ annotator: 'Ada' });
    // A call that names someone keeps it; other methods are untouched.
    expect(signDecision('annotations.add', { clipId: 1, action: 'accept', annotator: 'Bo' })).toMatchObject({ annotator: 'Bo' });
    expect(signDecision('clips.get', { id: 1 })).toEqual({ id: 1 });
    setAnnotatorName('   ');
    expect(annotatorName()).toBe('annotator');
  });

  it('asks only with a project open, no name chosen and not yet asked', () => {
    expect(shouldAskName(null, true, false)).toBe(true);
    expect(shouldAskName('Ada', true, false)).toBe(false);
    expect(shouldAskName(null, false, false)).toBe(false);
    expect(shouldAskName(null, true, true)).toBe(false);
    expect(shouldAskName(undefined, true, false)).toBe(false); // app.info not read yet
  });
});

describe('AnnotatorDialog', () => {
  it('saves the typed name with Enter', async () => {
    const onsaved = vi.fn();
    render(AnnotatorDialog, { props: { current: null, onsaved, onclose: () => {} } });
    const input = screen.getByTestId('annotator-name') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: ' Ada ' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith('Ada'));
    expect(calls).toEqual([['app.setAnnotator', { name: 'Ada' }]]);
  });

  it('skips to "annotator" the first time; later it offers Cancel instead', async () => {
    const onsaved = vi.fn();
    render(AnnotatorDialog, { props: { current: null, onsaved, onclose: () => {} } });
    expect((screen.getByTestId('annotator-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('annotator-skip'));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith('annotator'));
    cleanup();
    const onclose = vi.fn();
    render(AnnotatorDialog, { props: { current: 'Ada', onsaved, onclose } });
    expect((screen.getByTestId('annotator-name') as HTMLInputElement).value).toBe('Ada');
    expect(screen.queryByTestId('annotator-skip')).toBeNull();
    await fireEvent.click(screen.getByText('Cancel'));
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});
