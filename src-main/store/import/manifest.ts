// Reading a manifest CSV (path,label,speaker[,P,A,D]). The whole file is validated before anything is
// imported: a broken manifest is refused with the line and the reason, and the project is left unchanged.
import { statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Pad } from '../../../shared/domain';
import { fileKind, NotRegularFileError, readRegularFileSync } from '../../engine/regular-file';
import { CsvError, parseCsv } from './csv';

export class ImportSourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ImportSourceError';
  }
}

export interface ImportEntry {
  /** Absolute path of the audio file. */
  path: string;
  label: string | null;
  speaker: string | null;
  pad: Pad | null;
}

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
const MAX_TEXT = 200;

export function readManifest(file: string): ImportEntry[] {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    throw new ImportSourceError(file, 'manifest not found');
  }
  // A FIFO or a device would block or never end the synchronous read below.
  const notRegular = (kind: string) => new ImportSourceError(file, `not a regular file (${kind}); a manifest is a .csv file`);
  if (!st.isFile()) throw notRegular(fileKind(st));
  if (st.size > MAX_MANIFEST_BYTES) throw new ImportSourceError(file, `manifest larger than ${MAX_MANIFEST_BYTES >> 20} MB`);
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(file); // checks the opened file again: it may have been swapped since the stat
  } catch (e) {
    if (e instanceof NotRegularFileError) throw notRegular(e.kind);
    throw new ImportSourceError(file, `cannot read manifest (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportSourceError(file, 'manifest is not valid UTF-8 text (save it as UTF-8)');
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new ImportSourceError(file, e.message);
    throw e;
  }
  if (records.length === 0) throw new ImportSourceError(file, 'manifest is empty');
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const iPath = col('path');
  const iLabel = col('label');
  const iSpeaker = col('speaker');
  const iPad = ['p', 'a', 'd'].map(col);
  const missing = ['path', 'label'].filter((c) => col(c) < 0);
  if (missing.length) {
    throw new ImportSourceError(file, `manifest header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${header.join(', ') || 'nothing'})`);
  }
  const padCount = iPad.filter((i) => i >= 0).length;
  if (padCount !== 0 && padCount !== 3) throw new ImportSourceError(file, 'manifest has some of the P, A, D columns but not all three');
  const base = dirname(resolve(file));
  const out: ImportEntry[] = [];
  for (const r of records.slice(1)) {
    const at = `line ${r.line}`;
    if (r.fields.length !== header.length) {
      throw new ImportSourceError(file, `${at}: expected ${header.length} fields, found ${r.fields.length}`);
    }
    const text = (i: number, what: string): string | null => {
      if (i < 0) return null;
      const v = r.fields[i].trim();
      if (v.length > MAX_TEXT && what !== 'path') throw new ImportSourceError(file, `${at}: ${what} longer than ${MAX_TEXT} characters`);
      if (/[\u0000-\u001f]/.test(v)) throw new ImportSourceError(file, `${at}: ${what} contains control characters`);
      return v === '' ? null : v;
    };
    const p = text(iPath, 'path');
    if (!p) throw new ImportSourceError(file, `${at}: empty path`);
    let pad: Pad | null = null;
    if (padCount === 3) {
      const raw = iPad.map((i) => r.fields[i].trim());
      if (raw.some((v) => v !== '')) {
        const nums = raw.map((v, k) => {
          const n = v === '' ? NaN : Number(v);
          if (!Number.isFinite(n)) throw new ImportSourceError(file, `${at}: column ${'PAD'[k]} is "${v.slice(0, 40)}", not a number`);
          return n;
        });
        pad = [nums[0], nums[1], nums[2]];
      }
    }
    out.push({ path: isAbsolute(p) ? p : resolve(base, p), label: text(iLabel, 'label'), speaker: text(iSpeaker, 'speaker'), pad });
  }
  return out;
}
