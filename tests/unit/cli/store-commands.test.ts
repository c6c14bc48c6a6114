import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'eodn.cjs');
const eodn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('eodn import / check / export', () => {
  const project = path.join(dir, 'demo.eodn');
  const manifest = path.join(root, 'resources', 'demo', 'labels.csv');

  it('imports the demo manifest, then a re-run adds nothing', () => {
    const first = eodn('import', project, manifest);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/80 files, 80 added, 0 already in the project, 0 errors/);
    const again = eodn('import', project, manifest);
    expect(again.stdout).toMatch(/80 files, 0 added, 80 already in the project/);
  });

  it('names every .m4a file of a folder as not imported, with the reason (issue 19)', () => {
    const folder = path.join(dir, 'm4a');
    fs.mkdirSync(folder);
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(folder, `take${i}.m4a`), 'x');
    const r = eodn('import', path.join(dir, 'm4a.eodn'), folder);
    expect(r.stdout).toMatch(/0 files, .*0 errors, 3 not imported/);
    for (let i = 0; i < 3; i++) expect(r.stdout).toContain(`${path.join(folder, `take${i}.m4a`)}: not imported: AAC audio (.m4a) is not supported: convert it to WAV or FLAC`);
  });

  it('checks the project', () => {
    const r = eodn('check', project);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: ok/);
  });

  it('exports CSV with one row per clip and refuses unknown formats', () => {
    const out = path.join(dir, 'labels.csv');
    expect(eodn('export', project, '--format', 'csv', '--out', out).status).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(81);
    expect(lines.slice(1).filter((l) => l.includes(',anger,')).length).toBeGreaterThan(0);
    const bad = eodn('export', project, '--format', 'xlsx', '--out', out);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('unknown format "xlsx"');
  });

  it('exports Label Studio tasks (a warning without an audio mapping; local-files URLs with one) and imports them back', () => {
    const out = path.join(dir, 'tasks.json');
    const plain = eodn('export', project, '--format', 'label-studio', '--out', out);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/warning: .*Label Studio .*--audio-url-prefix .*--local-files-root/);
    const docRoot = path.join(root, 'resources');
    const r = eodn('export', project, '--format', 'label-studio', '--out', out, '--local-files-root', docRoot);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    expect(r.stdout).toContain(`80 tasks → ${out}; labeling config → ${out}.config.xml`);
    const tasks = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(tasks[0].data.audio).toMatch(/^\/data\/local-files\/\?d=demo\/clips\/[^/]+\.wav$/);
    expect(fs.readFileSync(`${out}.config.xml`, 'utf8')).toContain('<Choice value="anger"/>');
    const both = eodn('export', project, '--format', 'label-studio', '--out', out, '--local-files-root', docRoot, '--audio-url-prefix', 'http://x/');
    expect(both.status).not.toBe(0);
    const back = eodn('import', path.join(dir, 'from-ls.eodn'), out, '--local-files-root', docRoot);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/label-studio: 80 files, 80 added/);
  });

  it('reports a missing source and a file that is not a project clearly', () => {
    const missing = eodn('import', path.join(dir, 'x.eodn'), path.join(dir, 'nope'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope/);
    expect(fs.existsSync(path.join(dir, 'x.eodn'))).toBe(false);
    const notProject = path.join(dir, 'notes.txt');
    fs.writeFileSync(notProject, 'hello');
    const r = eodn('check', notProject);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not .*SQLite|not a project/i);
    expect(fs.readFileSync(notProject, 'utf8')).toBe('hello');
  });
});
