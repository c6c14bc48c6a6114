// Issue 18: every npm call warned `Unknown project config "onnxruntime-node-install"` (npm will stop reading
// unknown .npmrc keys) and EBADENGINE, because package.json's `engines` promised a Node range that parts of the
// toolchain refuse. The install switch lives in the environment (ONNXRUNTIME_NODE_INSTALL, which
// onnxruntime-node's installer reads) and `engines` states the range every locked package accepts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../store/helpers';

const semver = createRequire(import.meta.url)('semver') as { subset(sub: string, sup: string): boolean; validRange(r: string): string | null };

/** npm's own configuration keys this repository may set in .npmrc (a subset of `npm help npmrc`). */
const NPM_KEYS = new Set(['fund', 'audit', 'engine-strict', 'save-exact', 'loglevel', 'progress', 'update-notifier', 'package-lock']);

describe('npm configuration (issue 18)', () => {
  it('.npmrc sets only keys npm knows', () => {
    const keys = readFileSync(join(REPO, '.npmrc'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith(';'))
      .map((l) => l.split('=')[0].trim());
    expect(keys.filter((k) => !NPM_KEYS.has(k))).toEqual([]);
  });

  it('the install switch onnxruntime-node reads is set in CI and in the README install line', () => {
    const installer = readFileSync(join(REPO, 'node_modules/onnxruntime-node/script/install-utils.js'), 'utf8');
    expect(installer).toContain('process.env.ONNXRUNTIME_NODE_INSTALL');
    expect(readFileSync(join(REPO, '.ci/run'), 'utf8')).toMatch(/^export ONNXRUNTIME_NODE_INSTALL=skip$/m);
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('ONNXRUNTIME_NODE_INSTALL=skip npm ci');
  });

  it("engines.node is a range every locked package's engines accept, and the README states it", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    const ours = pkg.engines.node;
    expect(semver.validRange(ours)).not.toBeNull();
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>;
    };
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      if (!path || !p.engines || Array.isArray(p.engines) || !p.engines.node) continue;
      // Optional builds for another platform are never installed here; their siblings carry the same range.
      if (p.optional && p.os) continue;
      if (!semver.subset(ours, p.engines.node)) refusing.push(`${path.replace(/.*node_modules\//, '')} wants ${p.engines.node}`);
    }
    expect(refusing).toEqual([]);
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(`Node \`${ours}\``);
  });
});
