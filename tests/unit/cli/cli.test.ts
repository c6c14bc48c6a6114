import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';

const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'eodn.cjs');
const eodn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('eodn', () => {
  it('prints its version', () => {
    const r = eodn('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(pkg.version);
  });

  it('lists its commands in --help', () => {
    const r = eodn('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage:\s+\$ eodn/);
    expect(r.stdout).toContain('serve');
  });

  it('fails clearly on an unknown command', () => {
    const r = eodn('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});
