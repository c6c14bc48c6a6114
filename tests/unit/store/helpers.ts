import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const REPO = resolve(__dirname, '../../..');
export const DEMO_DIR = join(REPO, 'resources/demo');
export const DEMO_MANIFEST = join(DEMO_DIR, 'labels.csv');
export const DEMO_CLIPS = join(DEMO_DIR, 'clips');
export const demoClipNames = () => readdirSync(DEMO_CLIPS).filter((f) => f.endsWith('.wav')).sort();

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'eodn-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A FIFO maker for a folder; `release()` lets any reader left blocked on one go (a writer comes and goes). */
export function fifoMaker(dir: string): { mkfifo: (name: string) => string; release: () => void } {
  const made: string[] = [];
  return {
    mkfifo: (name) => {
      const p = join(dir, name);
      execFileSync('mkfifo', [p]);
      made.push(p);
      return p;
    },
    release: () => {
      for (const f of made) {
        try {
          closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // No reader waiting: nothing to release.
        }
      }
    },
  };
}
