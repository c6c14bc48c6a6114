// First-run guidance: whether to show the "Getting started" strip. It shows on the demo project until the user
// hides it (remembered in localStorage); the top bar's Guide button brings it back on any project.
import type { ProjectInfo } from '../../shared/domain';

/** The studio's tabs (App.svelte), which the guide's steps link to. */
export type GuideTab = 'library' | 'review' | 'discover' | 'train' | 'models' | 'agreement';

const STORAGE_KEY = 'eodn.gettingStarted.hidden.v1';

/** The built-in demo (src-main/api/demo-project.ts: its file name and its name). */
export function isDemoProject(p: Pick<ProjectInfo, 'path' | 'name'> | null): boolean {
  if (!p) return false;
  const file = p.path.split(/[\\/]/).pop() ?? '';
  return file === 'emodb-demo.eodn' || p.name.startsWith('EmoDB demo');
}

export function isGuideHidden(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return storage?.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage refused (private mode): show the guide rather than fail
  }
}

export function setGuideHidden(hidden: boolean, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
  try {
    if (hidden) storage?.setItem(STORAGE_KEY, '1');
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Not remembered; the strip is still hidden for this session.
  }
}
