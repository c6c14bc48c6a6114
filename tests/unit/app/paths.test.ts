import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, defaultDataDir, resourcesDir } from '../../../src-main/app/paths';

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
