// Classes can be renamed and merged (issue 18, item 4): the Library's Classes dialog says how many clips change
// before the one confirmation, refuses a rename onto an existing name (merge instead), and calls
// classes.rename / classes.merge. The shortcuts help lists only the relabel keys the project has classes for.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classEditPlan, historyLine } from '../../src-renderer/lib/class-edit';
import { DEFAULT_SHORTCUTS, shortcutRows } from '../../src-renderer/lib/shortcuts';

const calls = vi.hoisted(() => [] as { method: string; args: unknown }[]);
const SEVEN: [string, number][] = [['anger', 12], ['boredom', 9], ['disgust', 4], ['fear', 7], ['happiness', 10], ['neutral', 8], ['sadness', 0]];
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args });
      if (method === 'classes.list') return { classes: SEVEN.map(([name, clips]) => ({ name, pad: null, origin: 'import', createdAt: '2026-01-01T00:00:00Z', clips })) };
      if (method === 'classes.rename') return { from: args.name, to: args.to, clips: 12, annotated: 3, keptOldClass: false };
      if (method === 'classes.merge') return { from: args.name, to: args.into, clips: 4, annotated: 0, keptOldClass: false };
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  },
}));
const { default: ClassesDialog } = await import('../../src-renderer/components/ClassesDialog.svelte');
const { default: ShortcutEditor } = await import('../../src-renderer/components/ShortcutEditor.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
});

const row = (name: string) => screen.getAllByTestId('class-row').find((r) => r.dataset.class === name)!;
const within = (el: HTMLElement, testid: string) => el.querySelector(`[data-testid="${testid}"]`) as HTMLElement;

describe('ClassesDialog', () => {
  it('renames after one confirmation that says how many clips change', async () => {
    const onchanged = vi.fn();
    render(ClassesDialog, { props: { onclose: vi.fn(), onchanged } });
    await waitFor(() => expect(screen.getAllByTestId('class-row')).toHaveLength(7));
    // Only the empty class can be deleted.
    expect(screen.getAllByTestId('class-delete')).toHaveLength(1);
    await fireEvent.click(within(row('anger'), 'class-rename'));
    const input = screen.getByTestId('class-new-name') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'fear' } });
    expect(screen.getByTestId('class-edit-plan').textContent).toContain('“fear” already exists: merge “anger” into it instead');
    expect((screen.getByTestId('class-edit-confirm') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(input, { target: { value: 'rage' } });
    expect(screen.getByTestId('class-edit-plan').textContent).toContain('12 clips change their label from “anger” to “rage”');
    expect(screen.getByTestId('class-edit-confirm').textContent).toContain('Rename and relabel 12 clips');
    expect(calls.filter((c) => c.method === 'classes.rename')).toEqual([]);
    await fireEvent.click(screen.getByTestId('class-edit-confirm'));
    await waitFor(() => expect(screen.getByTestId('classes-message').textContent).toContain('Renamed “anger” to “rage”: 12 clips relabelled'));
    expect(calls.filter((c) => c.method === 'classes.rename').map((c) => c.args)).toEqual([{ name: 'anger', to: 'rage' }]);
    expect(onchanged).toHaveBeenCalledOnce();
  });

  it('merges one class into another, choosing from the others', async () => {
    render(ClassesDialog, { props: { onclose: vi.fn(), onchanged: vi.fn() } });
    await waitFor(() => expect(screen.getAllByTestId('class-row')).toHaveLength(7));
    await fireEvent.click(within(row('disgust'), 'class-merge'));
    const select = screen.getByTestId('class-merge-into') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).not.toContain('disgust');
    await fireEvent.change(select, { target: { value: 'anger' } });
    expect(screen.getByTestId('class-edit-plan').textContent).toContain('Merge “disgust” into “anger” (12 clips): 4 clips change their label');
    await fireEvent.click(screen.getByTestId('class-edit-confirm'));
    await waitFor(() => expect(calls.some((c) => c.method === 'classes.merge')).toBe(true));
    expect(calls.find((c) => c.method === 'classes.merge')!.args).toEqual({ name: 'disgust', into: 'anger' });
  });
});

describe('class edit wording', () => {
  const classes = [{ name: 'anger', clips: 1 }, { name: 'joy', clips: 0 }];
  it('refuses empty, same and unknown names', () => {
    expect(classEditPlan('rename', classes[0], ' ', classes).ok).toBe(false);
    expect(classEditPlan('rename', classes[0], 'anger', classes).message).toContain('already called');
    expect(classEditPlan('merge', classes[0], 'nope', classes).message).toContain('no class “nope”');
    expect(classEditPlan('rename', classes[1], 'glee', classes).message).toContain('No clip changes its label');
    expect(classEditPlan('rename', classes[0], 'rage', classes).message).toContain('1 clip change');
  });

  it('writes a history line', () => {
    expect(historyLine({ action: 'relabel', label: 'rage', annotator: 'lead', createdAt: '2026-12-04T17:05:09.123Z', adjudicated: true })).toBe(
      '2026-12-04 17:05 · lead relabelled as rage (adjudicated)',
    );
    expect(historyLine({ action: 'undo', label: null, annotator: 'ann', createdAt: '2026-12-04T17:06:00Z' })).toBe('2026-12-04 17:06 · ann undid the previous answer');
  });
});

describe('shortcuts help', () => {
  it('lists relabel keys only for the classes the project has (7 classes: no 8, no 9)', async () => {
    expect(shortcutRows(null).map((r) => r.action)).toContain('relabel9');
    expect(shortcutRows(['a', 'b']).filter((r) => r.action.startsWith('relabel')).map((r) => r.label)).toEqual(['Relabel as a (class 1)', 'Relabel as b (class 2)']);
    render(ShortcutEditor, { props: { shortcuts: { ...DEFAULT_SHORTCUTS }, onclose: vi.fn() } });
    await waitFor(() => expect(screen.getAllByTestId('shortcut-row').filter((r) => r.dataset.action?.startsWith('relabel'))).toHaveLength(7));
    const actions = screen.getAllByTestId('shortcut-row').map((r) => r.dataset.action);
    expect(actions).toContain('relabel7');
    expect(actions).not.toContain('relabel8');
    expect(actions).not.toContain('relabel9');
    expect(screen.getAllByTestId('shortcut-row').find((r) => r.dataset.action === 'relabel1')!.textContent).toContain('Relabel as anger');
  });
});
