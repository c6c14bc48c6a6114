import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, defaultDataDir, ensureDataDir, resourcesDir } from '../../../src-main/app/paths';
import { tempDir } from '../store/helpers';

describe('paths', () => {
  it('keeps user data out of the repo, per platform convention', () => {
    expect(defaultDataDir({ HOME: '/home/a', XDG_DATA_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'eodn-studio'));
    expect(defaultDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toContain('E-ODN Studio');
    expect(defaultDataDir({ EODN_DATA_DIR: '/tmp/d' }, 'linux')).toBe(path.resolve('/tmp/d'));
    expect(defaultDataDir({}, 'linux').startsWith(appRoot())).toBe(false);
  });

  it('finds the demo clips in resources', () => {
    expect(path.basename(appRoot())).toBeTruthy();
    expect(resourcesDir()).toBe(path.join(appRoot(), 'resources'));
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
