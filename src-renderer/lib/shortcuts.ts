// Review shortcuts: one table of action → key, editable in the UI and kept in localStorage, so a lab can
// match its own habits (an AZERTY keyboard, a foot pedal mapped to a key).
export const ACTIONS = [
  'play',
  'accept',
  'reject',
  'newClass',
  'next',
  'prev',
  'undo',
  'relabel1',
  'relabel2',
  'relabel3',
  'relabel4',
  'relabel5',
  'relabel6',
  'relabel7',
  'relabel8',
  'relabel9',
] as const;
export type Action = (typeof ACTIONS)[number];
export type Shortcuts = Record<Action, string>;

export const ACTION_LABELS: Record<Action, string> = {
  play: 'Play / pause',
  accept: 'Accept the suggested label',
  reject: 'Reject the suggested label',
  newClass: 'New class from the suggested PAD word',
  next: 'Next clip',
  prev: 'Previous clip',
  undo: 'Undo the last answer on this clip',
  relabel1: 'Relabel as class 1',
  relabel2: 'Relabel as class 2',
  relabel3: 'Relabel as class 3',
  relabel4: 'Relabel as class 4',
  relabel5: 'Relabel as class 5',
  relabel6: 'Relabel as class 6',
  relabel7: 'Relabel as class 7',
  relabel8: 'Relabel as class 8',
  relabel9: 'Relabel as class 9',
};

export const DEFAULT_SHORTCUTS: Shortcuts = {
  play: ' ',
  accept: 'a',
  reject: 'r',
  newClass: 'n',
  next: 'j',
  prev: 'k',
  undo: 'u',
  relabel1: '1',
  relabel2: '2',
  relabel3: '3',
  relabel4: '4',
  relabel5: '5',
  relabel6: '6',
  relabel7: '7',
  relabel8: '8',
  relabel9: '9',
};

const STORAGE_KEY = 'eodn.shortcuts.v1';

export function loadShortcuts(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Shortcuts {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as Partial<Record<string, unknown>>;
    const merged = { ...DEFAULT_SHORTCUTS };
    // An empty key is kept: an action whose key was moved away stays without one after a reload (its default
    // key may now belong to another action).
    for (const a of ACTIONS) if (typeof saved[a] === 'string') merged[a] = (saved[a] as string).toLowerCase();
    return merged;
  } catch {
    return { ...DEFAULT_SHORTCUTS };
  }
}

export function saveShortcuts(map: Shortcuts, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  storage?.setItem(STORAGE_KEY, JSON.stringify(map));
}

/** The other action that `key` belongs to now (the one assigning it to `action` would leave without a key). */
export function keyOwner(map: Shortcuts, action: Action, key: string): Action | null {
  const k = key.toLowerCase();
  return ACTIONS.find((a) => a !== action && map[a] === k) ?? null;
}

/** Assigning a key takes it away from any other action, so one key never means two things (the editor asks
 * first: `keyOwner`). */
export function assignKey(map: Shortcuts, action: Action, key: string): Shortcuts {
  const k = key.toLowerCase();
  const next = { ...map };
  for (const a of ACTIONS) if (next[a] === k && a !== action) next[a] = '';
  next[action] = k;
  return next;
}

export function actionForKey(map: Shortcuts, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): Action | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const k = e.key.toLowerCase();
  for (const a of ACTIONS) if (map[a] === k) return a;
  return null;
}

export function keyName(key: string): string {
  return key === ' ' ? 'Space' : key === '' ? '—' : key.length === 1 ? key.toUpperCase() : key;
}

/**
 * The rows the shortcuts help lists: every action but the relabel keys beyond the project's classes (a 7-class
 * project lists 1-7, not 8 and 9), each relabel key named by its class. `classNames` null: not known yet, all.
 */
export function shortcutRows(classNames: readonly string[] | null): { action: Action; label: string }[] {
  return ACTIONS.flatMap((action) => {
    const m = /^relabel(\d)$/.exec(action);
    if (!m || classNames === null) return [{ action, label: ACTION_LABELS[action] }];
    const i = Number(m[1]) - 1;
    return i < classNames.length ? [{ action, label: `Relabel as ${classNames[i]} (class ${i + 1})` }] : [];
  });
}
