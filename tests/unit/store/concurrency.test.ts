import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../../../src-main/store/check';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { makeRng as rng } from '../../../src-main/engine/odn/rng';
import { populateSynthetic, SYNTHETIC_CLASSES } from '../../../src-main/bench/synthetic-project';
import { DEMO_MANIFEST, REPO, tempDir } from './helpers';

const dir = tempDir();

function child(script: string, args: string[]): { proc: ChildProcess; lines: string[]; waitFor: (re: RegExp) => Promise<void>; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', script), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  let buf = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  proc.stdout!.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => w.re.test(line))) w.resolve();
    }
  });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  exit.then((code) => {
    if (code !== 0 && code !== null) console.error(err);
  });
  return { proc, lines, exit, waitFor: (re) => new Promise((resolve) => waiters.push({ re, resolve })) };
}

describe('crash safety and concurrency', () => {
  it('an import killed with SIGKILL at random points keeps every committed batch and a re-run completes', async () => {
    const rand = rng(20261125);
    const BATCH = 8;
    const TRIALS = 20;
    let partial = 0;
    for (let t = 0; t < TRIALS; t++) {
      const file = join(dir, `kill-${t}.eodn`);
      ProjectStore.create(file, { name: `kill ${t}` }).close();
      // Kill after the k-th progress line: from before the first file to after the last batch.
      const k = Math.floor(rand() * 82);
      const c = child('import-child.mts', [file, DEMO_MANIFEST, String(BATCH)]);
      let seen = 0;
      await new Promise<void>((resolve) => {
        const check = () => {
          seen = c.lines.filter((l) => l.startsWith('progress')).length;
          if (seen >= k || c.lines.some((l) => l.startsWith('done'))) {
            c.proc.kill('SIGKILL');
            resolve();
          } else setTimeout(check, 0);
        };
        check();
      });
      await c.exit;
      const report = checkProject(file);
      expect(report, `trial ${t}`).toMatchObject({ ok: true, integrity: [], problems: [] });
      const store = ProjectStore.open(file);
      const count = store.info().clipCount;
      // Whole batches only, and nothing the child reported as committed is lost.
      expect(count === 80 || count % BATCH === 0, `trial ${t}: ${count} clips`).toBe(true);
      expect(count, `trial ${t}`).toBeGreaterThanOrEqual(Math.floor(seen / BATCH) * BATCH);
      for (const p of store.clipPaths()) expect(createHash('sha256').update(readFileSync(p.path)).digest('hex')).toBe(p.hash);
      if (count > 0 && count < 80) partial++;
      const rerun = await importDataset(store, DEMO_MANIFEST);
      expect(rerun).toMatchObject({ added: 80 - count, skippedDuplicates: count, errors: [] });
      expect(store.info().clipCount).toBe(80);
      store.close();
    }
    // The kills really landed in the middle of imports, not only before or after.
    expect(partial).toBeGreaterThanOrEqual(5);
  });

  it('10,000 annotations in bursts while another process writes model versions: no loss, no duplicates', async () => {
    const file = join(dir, 'busy.eodn');
    const store = ProjectStore.create(file, { name: 'busy' });
    populateSynthetic(store, { clips: 200 });
    const VERSIONS = 150;
    const c = child('model-writer-child.mts', [file, String(VERSIONS)]);
    await c.waitFor(/^ready$/);
    const expected = new Map<number, string>();
    const rand = rng(7);
    for (let burst = 0; burst < 100; burst++) {
      const items = Array.from({ length: 100 }, () => {
        const clipId = 1 + Math.floor(rand() * 200);
        const label = SYNTHETIC_CLASSES[Math.floor(rand() * SYNTHETIC_CLASSES.length)];
        expected.set(clipId, label);
        return { clipId, annotator: 'main', action: 'relabel' as const, label };
      });
      store.annotateMany(items);
      // A pause between bursts, as a person's review has: SQLite's busy handler polls with back-off, so a
      // writer that re-takes the lock at once can starve the other one (it waits, nothing is lost).
      await sleep(5);
    }
    expect(await c.exit).toBe(0);
    expect(c.lines).toContain(`written ${VERSIONS}`);
    expect(store.db.prepare('SELECT COUNT(*), COUNT(DISTINCT id) FROM annotations').raw().get()).toEqual([10_000, 10_000]);
    // The two writers really interleaved.
    const [aFirst, aLast] = store.db.prepare('SELECT MIN(created_at), MAX(created_at) FROM annotations').raw().get() as string[];
    const [vFirst, vLast] = store.db.prepare('SELECT MIN(created_at), MAX(created_at) FROM model_versions').raw().get() as string[];
    expect(vFirst < aLast && aFirst < vLast).toBe(true);
    expect(store.listModelVersions().map((v) => v.name)).toEqual(Array.from({ length: VERSIONS }, (_, i) => `child-${i}`));
    for (const [clipId, label] of expected) expect(store.getClip(clipId) && store.listClipRows({ offset: 0, limit: 1, filter: { search: `clip-${String(clipId - 1).padStart(6, '0')}` } }).rows[0].currentLabel).toBe(label);
    store.close();
    expect(checkProject(file).ok).toBe(true);
  });
});
