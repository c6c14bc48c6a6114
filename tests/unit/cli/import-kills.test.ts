// A kill at any moment of `eodn import` into a new project leaves either no project or one the next run
// completes: the project is created in a hidden temporary file (schema and name in one go) and linked into
// place only when whole; clips are added in transactions and a re-run adds only what is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, REPO, tempDir } from '../store/helpers';

const cli = join(REPO, 'dist/main/cli.cjs');
const KILLS = 20;

beforeAll(() => {
  // bin/eodn.cjs rebuilds the bundle when sources changed; the kills below then hit the import itself.
  const r = spawnSync(process.execPath, [resolve(REPO, 'bin/eodn.cjs'), '--version'], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
});

function importOnce(project: string) {
  return spawnSync(process.execPath, [cli, 'import', project, DEMO_MANIFEST], { encoding: 'utf8', timeout: 60_000 });
}

describe('eodn import killed at any moment', () => {
  it(`${KILLS} SIGKILLs spread over a whole import: every rerun completes to the full clip count`, async () => {
    const dir = tempDir('eodn-import-kills-');
    // How long one whole import takes here, process start included: the kills are spread over it.
    const t0 = Date.now();
    const first = importOnce(join(dir, 'timing.eodn'));
    expect(first.status, first.stderr).toBe(0);
    const wholeMs = Date.now() - t0;

    const outcomes: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const project = join(dir, `p${i}.eodn`);
      const child = spawn(process.execPath, [cli, 'import', project, DEMO_MANIFEST], { stdio: 'ignore' });
      const at = Math.round(((i + 0.5) / KILLS) * wholeMs);
      setTimeout(() => child.kill('SIGKILL'), at);
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      outcomes.push(code === null ? `killed at ${at} ms: ${existsSync(project) ? 'project left' : 'no project'}` : `finished before ${at} ms`);

      const rerun = importOnce(project);
      expect(rerun.status, `after a kill at ${at} ms: ${rerun.stderr}`).toBe(0);
      const store = ProjectStore.open(project, { readonly: true });
      expect(store.info()).toMatchObject({ clipCount: 80, name: `p${i}` });
      store.close();
      // No temporary file of the killed creation stays behind once the rerun has run.
      expect(readdirSync(dir).filter((f) => f.includes(`p${i}.eodn.creating-`))).toEqual([]);
    }
    // The kills did land (not every run had finished before its kill).
    expect(outcomes.filter((o) => o.startsWith('killed')).length).toBeGreaterThan(KILLS / 2);
  });
});
