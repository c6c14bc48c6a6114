// Rebinding a key another action has never unbinds that action silently (issue 18, item 9): the shortcut editor
// names the action that would lose the key and asks; "Keep it there" changes nothing, "Move the key" moves it
// and says which action has no key now. A free key is taken at once.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SHORTCUTS, keyOwner, loadShortcuts, type Shortcuts } from '../../src-renderer/lib/shortcuts';

vi.mock('../../src-renderer/lib/api-client', () => ({ api: { call: vi.fn(async () => ({ classes: [] })), on: () => () => {} } }));
const { default: ShortcutEditor } = await import('../../src-renderer/components/ShortcutEditor.svelte');

beforeEach(() => localStorage.clear());
afterEach(() => cleanup());

const keyButton = (action: string) => screen.getAllByTestId('shortcut-row').find((r) => r.dataset.action === action)!.querySelector('button')!;

async function open() {
  const props = { shortcuts: { ...DEFAULT_SHORTCUTS } as Shortcuts, onclose: vi.fn(), classNames: ['anger', 'boredom', 'happiness'] };
  render(ShortcutEditor, { props });
  return props;
}

describe('shortcut editor', () => {
  it('knows which other action has a key', () => {
    expect(keyOwner(DEFAULT_SHORTCUTS, 'accept', 'R')).toBe('reject');
    expect(keyOwner(DEFAULT_SHORTCUTS, 'reject', 'r')).toBeNull();
    expect(keyOwner(DEFAULT_SHORTCUTS, 'accept', 'y')).toBeNull();
  });

  it('asks before taking a key from another action, and keeps both when told to', async () => {
    await open();
    await fireEvent.click(keyButton('accept'));
    await fireEvent.keyDown(window, { key: 'r' });
    const conflict = screen.getByTestId('shortcut-conflict');
    expect(conflict.textContent).toContain('R is already the key of Reject the suggested label');
    expect(conflict.textContent).toContain('Move it to Accept the suggested label?');
    // Nothing changed yet: both keys as they were, nothing saved.
    expect(keyButton('accept').textContent).toBe('A');
    expect(keyButton('reject').textContent).toBe('R');
    expect(localStorage.getItem('eodn.shortcuts.v1')).toBeNull();
    await fireEvent.click(screen.getByTestId('shortcut-conflict-keep'));
    expect(screen.queryByTestId('shortcut-conflict')).toBeNull();
    expect(keyButton('accept').textContent).toBe('A');
    expect(keyButton('reject').textContent).toBe('R');
  });

  it('moves the key when told to and says which action has no key now', async () => {
    await open();
    await fireEvent.click(keyButton('relabel1'));
    await fireEvent.keyDown(window, { key: '2' });
    expect(screen.getByTestId('shortcut-conflict').textContent).toContain('is already the key of Relabel as boredom (class 2)');
    await fireEvent.click(screen.getByTestId('shortcut-conflict-move'));
    expect(keyButton('relabel1').textContent).toBe('2');
    expect(keyButton('relabel2').textContent).toBe('—');
    expect(screen.getByTestId('shortcut-moved').textContent).toContain('Relabel as boredom (class 2) has no key now');
    expect(loadShortcuts()).toMatchObject({ relabel1: '2', relabel2: '' });
  });

  it('takes a free key at once, and Escape cancels a pending question before it closes', async () => {
    const props = await open();
    await fireEvent.click(keyButton('accept'));
    await fireEvent.keyDown(window, { key: 'y' });
    expect(screen.queryByTestId('shortcut-conflict')).toBeNull();
    expect(screen.queryByTestId('shortcut-moved')).toBeNull();
    expect(keyButton('accept').textContent).toBe('Y');
    expect(loadShortcuts().accept).toBe('y');

    await fireEvent.click(keyButton('next'));
    await fireEvent.keyDown(window, { key: 'k' });
    expect(screen.getByTestId('shortcut-conflict')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('shortcut-conflict')).toBeNull();
    expect(props.onclose).not.toHaveBeenCalled();
    expect(keyButton('next').textContent).toBe('J');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(props.onclose).toHaveBeenCalledOnce();
  });
});
