// Reading a Hugging Face `audiofolder` (the layout `eodn export --format hf-audiofolder` writes): a folder with a
// metadata.csv (or metadata.jsonl) whose `file_name` column names each audio file relative to the folder, with
// `label` and `speaker` beside it. Every value is read as the text it is (speaker "03" stays "03": no type is
// guessed). The studio's own export also carries import_label, reviewed and annotator, read as a manifest's
// (manifest.ts). Audio files of the folder that the metadata does not list are not imported, and say so.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifest, type ImportEntry } from './manifest';

const METADATA_FILES = ['metadata.csv', 'metadata.jsonl'];

/** The metadata file of a Hugging Face audiofolder at `root`, or null when it is not one. */
export function hfMetadataFile(root: string): string | null {
  for (const name of METADATA_FILES) {
    const f = join(root, name);
    try {
      if (existsSync(f) && statSync(f).isFile()) return f;
    } catch {
      /* unreadable: not one */
    }
  }
  return null;
}

/** True when `root` holds audiofolder metadata: a metadata.csv whose header (or a metadata.jsonl whose first
 * row) names `file_name`. A folder that merely holds some other metadata.csv is not taken for one. */
export function isHfAudiofolder(root: string): boolean {
  const meta = hfMetadataFile(root);
  if (!meta) return false;
  let head = '';
  try {
    const fd = openSync(meta, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  if (meta.endsWith('.jsonl')) {
    try {
      return Object.keys(JSON.parse(first) as object).some((k) => k.trim().toLowerCase() === 'file_name');
    } catch {
      return false;
    }
  }
  return first.split(',').some((h) => h.trim().replace(/^"|"$/g, '').toLowerCase() === 'file_name');
}

/** The entries of an audiofolder; `audioFiles` (the folder's audio, from the walk) not listed go to `skipped`. */
export function readHfAudiofolder(root: string, audioFiles: readonly string[], skipped: { file: string; reason: string }[] = []): ImportEntry[] {
  const meta = hfMetadataFile(root);
  if (!meta) return [];
  const entries = readManifest(meta, { pathColumn: 'file_name', requireLabel: false });
  const listed = new Set(entries.map((e) => resolve(e.path)));
  for (const f of audioFiles) if (!listed.has(resolve(f))) skipped.push({ file: f, reason: `not listed in ${meta}: a Hugging Face audiofolder imports the files its metadata names` });
  return entries;
}
