// `npm run dist` where no Electron binary is installed (offline machines like this one): it must say what it
// needs and exit 2 at once — no build, no network, no electron-builder run that would try to download.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../store/helpers';

/** Preloaded into the script: records every connection, DNS lookup and child process it attempts, and refuses them. */
const RECORDER = `
import net from 'node:net';
import dns from 'node:dns';
import cp from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const note = (what) => fs.appendFileSync(process.env.EODN_DIST_LOG, what + '\\n');
const refuse = (what) => { note(what); throw new Error('refused by the test: ' + what); };
net.Socket.prototype.connect = function (...a) { refuse('connect ' + JSON.stringify(a[0]).slice(0, 200)); };
dns.lookup = (host) => refuse('dns ' + host);
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  cp[name] = (...a) => refuse(name + ' ' + JSON.stringify(a.slice(0, 2)));
}
syncBuiltinESMExports();
`;

describe('npm run dist without Electron', () => {
  it('names what it needs, exits 2, and tries no download, build or child process', () => {
    const dir = tempDir('eodn-dist-');
    const hook = join(dir, 'recorder.mjs');
    const log = join(dir, 'attempts.log');
    writeFileSync(hook, RECORDER);
    writeFileSync(log, '');
    // This checkout has the electron package but never got its binary (no path.txt): the case being tested.
    expect(existsSync(join(REPO, 'node_modules/electron/path.txt'))).toBe(false);
    const env: NodeJS.ProcessEnv = { ...process.env, EODN_DIST_LOG: log, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const r = spawnSync(process.execPath, ['--import', hook, 'scripts/dist.mjs'], { cwd: REPO, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('npm run dist needs an Electron binary');
    expect(r.stderr).toContain('-c.electronDist=');
    expect(r.stderr).toMatch(/internet/);
    expect(readFileSync(log, 'utf8')).toBe('');
    // The recorder does see attempts (esbuild's build would be a child process; a download a connection).
    const control = spawnSync(
      process.execPath,
      ['--import', hook, '--input-type=module', '-e', "import { spawnSync } from 'node:child_process'; import https from 'node:https'; try { spawnSync('true'); } catch {} try { https.get('https://github.com/').on('error', () => {}); } catch {}"],
      { cwd: dir, env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(control.status, control.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/spawnSync[^\n]*\n(dns|connect) /);
  });

  it('is what `npm run dist` runs', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
  });
});
