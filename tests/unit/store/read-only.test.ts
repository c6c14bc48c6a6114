// Read-only projects (an archived copy, a share mounted read-only): commands that only read work; the studio
// opens the project read-only, says so and why, and every write is a clear refusal rather than an internal
// error. Permissions do not bind root, so as root the scenarios run in a child process as user `nobody`.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, REPO, tempDir } from './helpers';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const asUser = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
const cli = join(REPO, 'dist/main/cli.cjs');

/** Whether user `nobody` can run the repo's code (a checkout under a private home cannot be). */
function nobodyCanRunRepo(): boolean {
  if (!isRoot) return true;
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(REPO, 'node_modules/better-sqlite3'))})`], { ...asUser, encoding: 'utf8' });
  return r.status === 0;
}

let dir: string;
let roFolder: string;
let roFile: string;
let out: string;

beforeAll(async () => {
  expect(spawnSync(process.execPath, [join(REPO, 'bin/eodn.cjs'), '--version'], { timeout: 120_000 }).status).toBe(0);
  dir = tempDir('eodn-read-only-');
  chmodSync(dir, 0o755);
  // A project in a folder nobody may write to, and a read-only project file in a writable folder.
  const folder = join(dir, 'archive');
  mkdirSync(folder, { mode: 0o755 });
  roFolder = join(folder, 'p.eodn');
  const store = ProjectStore.create(roFolder, { name: 'archived' });
  await importDataset(store, DEMO_MANIFEST);
  store.close();
  chmodSync(roFolder, 0o444);
  chmodSync(folder, 0o555);
  const writable = join(dir, 'writable');
  mkdirSync(writable, { mode: 0o777 });
  chmodSync(writable, 0o777);
  roFile = join(writable, 'ro.eodn');
  const s2 = ProjectStore.create(roFile, { name: 'read-only file' });
  await importDataset(s2, DEMO_MANIFEST);
  s2.close();
  chmodSync(roFile, 0o444);
  out = join(dir, 'out');
  mkdirSync(out, { mode: 0o777 });
  chmodSync(out, 0o777);
});

const canRun = nobodyCanRunRepo();
const eodn = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { ...asUser, encoding: 'utf8', timeout: 60_000 });

describe.skipIf(!canRun)('read-only projects', () => {
  it('the test really lacks write access', () => {
    const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(roFolder)}, 2)`], { ...asUser });
    expect(r.status).not.toBe(0);
  });

  it('eodn check and export read a project in a read-only folder', () => {
    const check = eodn('check', roFolder);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain(': ok');
    const csv = join(out, 'labels.csv');
    const exp = eodn('export', roFolder, '--format', 'csv', '--out', csv);
    expect(exp.status, exp.stderr).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(81);
    expect(() => accessSync(`${roFolder}-wal`, constants.F_OK)).toThrow();
  });

  it('eodn check and export read a read-only project file', () => {
    expect(eodn('check', roFile).stdout).toContain(': ok');
    const exp = eodn('export', roFile, '--format', 'jsonl', '--out', join(out, 'labels.jsonl'));
    expect(exp.status, exp.stderr).toBe(0);
  });

  it('the studio opens them read-only, says why, and refuses writes with a clear error', () => {
    const code = `require('tsx/cjs/api').register();
const { StudioService } = require(${JSON.stringify(join(REPO, 'src-main/api/studio-service.ts'))});
(async () => {
  const out = {};
  for (const [k, f] of Object.entries({ folder: ${JSON.stringify(roFolder)}, file: ${JSON.stringify(roFile)} })) {
    const s = new StudioService({ transport: 'browser', dataDir: ${JSON.stringify(out)}, version: 'test' });
    const info = s.openProject(f);
    const list = await s.dispatch('clips.list', { offset: 0, limit: 10 });
    let err = null;
    try { await s.dispatch('annotations.add', { clipId: 1, action: 'accept', annotator: 'a' }); } catch (e) { err = { code: e.code, message: e.message }; }
    out[k] = { readOnly: info.readOnly, clips: list.total, err };
    s.close();
  }
  console.log(JSON.stringify(out));
})();`;
    const r = spawnSync(process.execPath, ['-e', code], { ...asUser, cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(res.folder.readOnly).toBe('its folder is read-only');
    expect(res.file.readOnly).toBe('the project file is read-only');
    for (const k of ['folder', 'file']) {
      expect(res[k].clips).toBe(80);
      expect(res[k].err.code).toBe('conflict');
      expect(res[k].err.message).toMatch(/this project is open read-only .*; nothing was changed/);
    }
  });
});
