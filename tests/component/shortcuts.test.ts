import { describe, expect, it } from 'vitest';
import { DEFAULT_SHORTCUTS, actionForKey, assignKey, keyName, loadShortcuts, saveShortcuts } from '../../src-renderer/lib/shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('review shortcuts', () => {
  it('maps the documented defaults', () => {
    expect(actionForKey(DEFAULT_SHORTCUTS, key(' '))).toBe('play');
    expect(actionForKey(DEFAULT_SHORTCUTS, key('A'))).toBe('accept');
    expect(actionForKey(DEFAULT_SHORTCUTS, key('r'))).toBe('reject');
    expect(actionForKey(DEFAULT_SHORTCUTS, key('3'))).toBe('relabel3');
    expect(actionForKey(DEFAULT_SHORTCUTS, key('u'))).toBe('undo');
    expect(actionForKey(DEFAULT_SHORTCUTS, key('a', { ctrlKey: true }))).toBeNull();
    expect(actionForKey(DEFAULT_SHORTCUTS, key('x'))).toBeNull();
  });

  it('moves a key from its old action when reassigned, and persists', () => {
    const map = assignKey(DEFAULT_SHORTCUTS, 'accept', 'R');
    expect(map.accept).toBe('r');
    expect(map.reject).toBe('');
    expect(actionForKey(map, key('r'))).toBe('accept');
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveShortcuts(map, storage);
    expect(loadShortcuts(storage).accept).toBe('r');
    expect(loadShortcuts({ getItem: () => '{not json' })).toEqual(DEFAULT_SHORTCUTS);
  });

  it('names keys for display', () => {
    expect(keyName(' ')).toBe('Space');
    expect(keyName('a')).toBe('A');
    expect(keyName('')).toBe('—');
  });
});
