// The packaged binary's Electron fuses (electron-builder's `electronFuses`, flipped before signing): read from
// electron-builder.yml as electron-builder itself reads it, and checked against app-builder-lib's own schema so
// a misspelt key cannot pass silently.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../store/helpers';

const require = createRequire(import.meta.url);
// js-yaml is what electron-builder parses its config with (a dependency of app-builder-lib).
const yaml = require(require.resolve('js-yaml', { paths: [path.join(REPO, 'node_modules', 'app-builder-lib')] })) as { load(text: string): unknown };
const config = yaml.load(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, unknown>; asar?: unknown };

describe('Electron fuses in the packaging', () => {
  it('turns off run-as-node, NODE_OPTIONS and --inspect, and turns on cookie encryption and asar-only loading with integrity checks', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar needs an asar: it must not be turned off.
    expect(config.asar ?? true).not.toBe(false);
  });

  it("uses only keys electron-builder's schema knows", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } };
    };
    const known = schema.definitions.FuseOptionsV1.properties;
    for (const [key, value] of Object.entries(config.electronFuses ?? {})) {
      expect(known[key], key).toBeDefined();
      expect(typeof value).toBe(known[key].type);
    }
  });
});
