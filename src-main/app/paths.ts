// Where things are: the app's own root (repo checkout or packaged app), its resources, the built renderer,
// and the user's data folder (projects live there, never in the repo).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cachedRoot: string | null = null;

/** The folder holding package.json: found by walking up, so sources and bundles agree. */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the app's package.json above ${__dirname}`);
    dir = up;
  }
  return (cachedRoot = dir);
}

export function resourcesDir(): string {
  return process.env.EODN_RESOURCES_DIR ? path.resolve(process.env.EODN_RESOURCES_DIR) : path.join(appRoot(), 'resources');
}

export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}

/**
 * Creates the user's data folder (and any missing parents) readable by this user only (0700): its projects,
 * caches and recent list hold labels and the paths of the user's recordings. An existing folder is left as it
 * is (EODN_DATA_DIR may name a folder the user set up on purpose). Returns `dir`.
 */
export function ensureDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.EODN_DATA_DIR) return path.resolve(env.EODN_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'E-ODN Studio');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'E-ODN Studio');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'eodn-studio');
}
