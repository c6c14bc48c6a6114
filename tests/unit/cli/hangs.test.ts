// Paths that are not regular files, and stopping a running import (issue 11, "Hangs"): a manifest line naming
// /dev/zero, a FIFO or a folder is one error line each, not an import that never ends; a FIFO given as the
// project file is refused at once; SIGINT / SIGTERM end a running `eodn import` within 2 s, with the job record
// marked cancelled and a non-zero exit status.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIPS, REPO, demoClipNames, fifoMaker, tempDir } from '../store/helpers';

const bin = path.join(REPO, 'bin', 'eodn.cjs');
const eodn = (args: string[], timeout: number) => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  return { ...r, ms: Date.now() - t0 };
};
const dir = tempDir('eodn-cli-hangs-');
const { mkfifo, release } = fifoMaker(dir);

// Before the fix a reader could be left blocked in open(2) on a FIFO: a writer that comes and goes releases it.
afterAll(release);

beforeAll(() => {
  // Builds the CLI bundle if sources changed, so that the timings below measure the commands, not esbuild.
  expect(eodn(['--version'], 120_000).status).toBe(0);
}, 130_000);

describe('paths that are not regular files', () => {
  it('imports a manifest naming /dev/zero, a FIFO and a folder: three clear errors, the real clip added, in < 5 s', () => {
    const fifo = mkfifo('pipe.wav');
    const folder = path.join(dir, 'folder.wav');
    fs.mkdirSync(folder);
    const clip = path.join(DEMO_CLIPS, demoClipNames()[0]);
    const manifest = path.join(dir, 'manifest.csv');
    fs.writeFileSync(manifest, ['path,label,speaker', '/dev/zero,anger,s1', `${fifo},anger,s1`, `${folder},anger,s1`, `${clip},anger,s1`, ''].join('\n'));
    const project = path.join(dir, 'special.eodn');
    const r = eodn(['import', project, manifest], 5_000);
    expect(r.signal, `killed after ${r.ms} ms: ${r.stdout}${r.stderr}`).toBeNull();
    expect(r.ms).toBeLessThan(5_000);
    expect(r.status).toBe(1); // the three errors
    expect(r.stdout).toMatch(/4 files, 1 added, 0 already in the project, 3 errors/);
    expect(r.stdout).toContain('/dev/zero: not a regular file (a character device); only audio files can be imported');
    expect(r.stdout).toContain(`${fifo}: not a regular file (a FIFO); only audio files can be imported`);
    expect(r.stdout).toContain(`${folder}: not a regular file (a folder); only audio files can be imported`);
  });

  it('refuses a FIFO as the project file at once (check, import)', () => {
    const fifo = mkfifo('pipe.eodn');
    const check = eodn(['check', fifo], 5_000);
    expect(check.signal, `killed after ${check.ms} ms`).toBeNull();
    expect(check.status).not.toBe(0);
    expect(check.stderr).toMatch(/pipe\.eodn: a FIFO|pipe\.eodn: not a regular file/);
    const imp = eodn(['import', fifo, path.join(DEMO_CLIPS, '..', 'labels.csv')], 5_000);
    expect(imp.signal, `killed after ${imp.ms} ms`).toBeNull();
    expect(imp.status).not.toBe(0);
    expect(imp.stderr).toMatch(/pipe\.eodn: a FIFO|pipe\.eodn: not a regular file/);
  });
});

describe('stopping a running eodn import', () => {
  // A folder of many links to the demo clips: after the first 80 every file is a duplicate, read and hashed,
  // so the import runs for seconds without decoding much.
  const many = path.join(dir, 'many');
  beforeAll(() => {
    fs.mkdirSync(many);
    const names = demoClipNames();
    for (let i = 0; i < 20_000; i++) fs.linkSync(path.join(DEMO_CLIPS, names[i % names.length]), path.join(many, `c${String(i).padStart(5, '0')}.wav`));
  });

  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`ends within 2 s of ${sig}, marks the job cancelled and exits ${code}`, async () => {
      const project = path.join(dir, `stopped-${sig}.eodn`);
      const child = spawn(process.execPath, [bin, 'import', project, many], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
      // The first progress line ("import: 1/20000") says the import is under way, its handlers installed.
      await new Promise<void>((res, rej) => {
        child.stderr.on('data', (d) => {
          err += d;
          if (/import: \d+\/20000/.test(err)) res();
        });
        child.on('exit', () => rej(new Error(`exited before the import began: ${out}${err}`)));
      });
      const t0 = Date.now();
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const end = await exited;
      clearTimeout(timer);
      const ms = Date.now() - t0;
      expect(ms, `${out}${err}`).toBeLessThan(2_000);
      expect(end).toEqual({ code, signal: null });
      const db = new Database(project, { readonly: true });
      try {
        const jobs = db.prepare("SELECT state FROM jobs WHERE kind = 'import'").all() as { state: string }[];
        expect(jobs).toEqual([{ state: 'cancelled' }]);
        const clips = db.prepare('SELECT count(*) FROM clips').pluck().get() as number;
        expect(clips).toBeGreaterThan(0); // what was committed before the signal stays
      } finally {
        db.close();
      }
    });
  }
});
