import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, defaultDataDir, ensureDataDir, resourcesDir } from '../../../src-main/app/paths';
import { tempDir } from '../store/helpers';

/** The demo's clips as its labels.csv lists them (what the demo project imports), and those not on disk. */
function demoClipsMissing(resources: string): { listed: number; missing: string[] } {
  const demo = path.join(resources, 'demo');
  const [header, ...lines] = fs.readFileSync(path.join(demo, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  expect(header.split(',')[0]).toBe('path');
  const clips = lines.map((l) => l.split(',')[0]);
  return { listed: clips.length, missing: clips.filter((c) => !fs.statSync(path.join(demo, c), { throwIfNoEntry: false })?.isFile()) };
}

describe('paths', () => {
  it('keeps user data out of the repo, per platform convention', () => {
    expect(defaultDataDir({ HOME: '/home/a', XDG_DATA_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'eodn-studio'));
    expect(defaultDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toContain('E-ODN Studio');
    expect(defaultDataDir({ EODN_DATA_DIR: '/tmp/d' }, 'linux')).toBe(path.resolve('/tmp/d'));
    expect(defaultDataDir({}, 'linux').startsWith(appRoot())).toBe(false);
  });

  it('finds the demo clips in resources', () => {
    expect(resourcesDir()).toBe(path.join(appRoot(), 'resources'));
    const demo = demoClipsMissing(resourcesDir());
    expect(demo.missing).toEqual([]);
    expect(demo.listed).toBeGreaterThanOrEqual(50);
    // Pointed elsewhere (EODN_RESOURCES_DIR), the same check finds nothing there.
    const elsewhere = tempDir('eodn-resources-');
    const saved = process.env.EODN_RESOURCES_DIR;
    process.env.EODN_RESOURCES_DIR = elsewhere;
    try {
      expect(resourcesDir()).toBe(elsewhere);
      expect(() => demoClipsMissing(resourcesDir())).toThrow(/ENOENT/);
    } finally {
      if (saved === undefined) delete process.env.EODN_RESOURCES_DIR;
      else process.env.EODN_RESOURCES_DIR = saved;
    }
  });
});

describe('the data folder', () => {
  it.skipIf(process.platform === 'win32')('is created readable by this user only (0700), parents included; an existing one is left alone', () => {
    const dir = tempDir('eodn-paths-');
    const data = path.join(dir, 'share', 'eodn-studio');
    expect(ensureDataDir(data)).toBe(data);
    expect(fs.statSync(data).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(data)).mode & 0o777).toBe(0o700);
    const own = path.join(dir, 'chosen');
    fs.mkdirSync(own, { mode: 0o750 });
    fs.chmodSync(own, 0o750);
    ensureDataDir(own);
    expect(fs.statSync(own).mode & 0o777).toBe(0o750);
  });
});
