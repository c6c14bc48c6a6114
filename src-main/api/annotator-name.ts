// The annotator's name, chosen once per data folder (the studio asks the first time it opens a project) and
// kept beside the recent-projects list. The renderer sends it with every decision; a call that names no one
// is recorded as DEFAULT_ANNOTATOR.
import fs from 'node:fs';
import path from 'node:path';

const ANNOTATOR_FILE = 'annotator.json';

/** The name chosen in this data folder, or null when none was (no file, or an unreadable one). */
export function readAnnotatorName(dataDir: string): string | null {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, ANNOTATOR_FILE), 'utf8')) as unknown;
    const name = (raw as { name?: unknown } | null)?.name;
    return typeof name === 'string' && name.trim().length > 0 ? name.trim().slice(0, 100) : null;
  } catch {
    return null;
  }
}

/** Remembers the name (written whole, then renamed into place; readable by this user only). */
export function writeAnnotatorName(dataDir: string, name: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, ANNOTATOR_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ name }, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
