// Reading a manifest: CSV (path,label,speaker[,P,A,D]) or JSON Lines, the studio's own CSV/JSONL exports
// included. The whole file is validated before anything is imported: a broken manifest is refused with the
// line and the reason, and the project is left unchanged.
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
  /** A segment of the file (an utterance of a cut recording), in seconds; absent or null: the whole file. */
  segment?: { startSec: number; endSec: number } | null;
  /** Answers to give the clip once it is added, oldest first (an export of the studio's own carries its
   * reviewed labels): each annotator's label, or null for an answer that left the clip without one. */
  answers?: { annotator: string; label: string | null; adjudicated?: boolean }[];
}

/** The annotator an answer is given as when an export says a clip was reviewed but not by whom. */
export const IMPORTED_ANSWER_ANNOTATOR = 'imported';

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
const MAX_TEXT = 200;

/** Reads a manifest's bytes as UTF-8 text (regular files only, size-limited); throws ImportSourceError. */
function readText(file: string): string {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    throw new ImportSourceError(file, 'manifest not found');
  }
  // A FIFO or a device would block or never end the synchronous read below.
  const notRegular = (kind: string) => new ImportSourceError(file, `not a regular file (${kind}); a manifest is a .csv or .jsonl file`);
  if (!st.isFile()) throw notRegular(fileKind(st));
  if (st.size > MAX_MANIFEST_BYTES) throw new ImportSourceError(file, `manifest larger than ${MAX_MANIFEST_BYTES >> 20} MB`);
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(file); // checks the opened file again: it may have been swapped since the stat
  } catch (e) {
    if (e instanceof NotRegularFileError) throw notRegular(e.kind);
    throw new ImportSourceError(file, `cannot read manifest (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportSourceError(file, 'manifest is not valid UTF-8 text (save it as UTF-8)');
  }
}

/** One manifest row as named raw values (a CSV cell, or a JSON value), with where it came from. */
interface RawRow {
  at: string;
  get(name: string): unknown;
}

/** True for a JSON Lines manifest (by its extension). */
export const isJsonLines = (file: string): boolean => /\.(jsonl|ndjson)$/i.test(file);

function csvRows(file: string, text: string): { columns: string[]; rows: RawRow[] } {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new ImportSourceError(file, e.message);
    throw e;
  }
  if (records.length === 0) throw new ImportSourceError(file, 'manifest is empty');
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const rows = records.slice(1).map((r) => {
    const at = `line ${r.line}`;
    if (r.fields.length !== header.length) throw new ImportSourceError(file, `${at}: expected ${header.length} fields, found ${r.fields.length}`);
    return { at, get: (name: string) => (index.has(name) ? r.fields[index.get(name)!] : undefined) };
  });
  return { columns: header, rows };
}

function jsonRows(file: string, text: string): { columns: string[]; rows: RawRow[] } {
  const columns = new Set<string>();
  const rows: RawRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const src = i === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    if (!src.trim()) return;
    const at = `line ${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(src);
    } catch (e) {
      throw new ImportSourceError(file, `${at}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ImportSourceError(file, `${at}: expected one JSON object per line`);
    const obj = new Map(Object.entries(v).map(([k, x]) => [k.trim().toLowerCase(), x]));
    for (const k of obj.keys()) columns.add(k);
    rows.push({ at, get: (name) => obj.get(name) });
  });
  if (rows.length === 0) throw new ImportSourceError(file, 'manifest is empty');
  return { columns: [...columns], rows };
}

/**
 * Reads a manifest: CSV (path,label,speaker[,P,A,D]) or JSON Lines with the same keys. The studio's own CSV and
 * JSONL exports are manifests too: their segment_start/segment_end make a row a segment of its file (a cut
 * recording comes back as its utterances, each with its own label), and a reviewed row (`reviewed` 1/true)
 * keeps `import_label` as its import label and comes back with `label` as an answer of `annotator`. The whole
 * file is validated before anything is imported: a broken manifest is refused with the line and the reason.
 */
export interface ManifestOptions {
  /** The column naming each file (default `path`; a Hugging Face audiofolder's metadata: `file_name`). */
  pathColumn?: string;
  /** Whether the `label` column must be there (default true). */
  requireLabel?: boolean;
}

export function readManifest(file: string, opts: ManifestOptions = {}): ImportEntry[] {
  const pathColumn = opts.pathColumn ?? 'path';
  const text = readText(file);
  const { columns, rows } = isJsonLines(file) ? jsonRows(file, text) : csvRows(file, text);
  const has = (c: string) => columns.includes(c);
  const missing = [pathColumn, ...(opts.requireLabel === false ? [] : ['label'])].filter((c) => !has(c));
  if (missing.length) {
    throw new ImportSourceError(file, `manifest ${isJsonLines(file) ? 'rows lack key' : 'header lacks column'}${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${columns.join(', ') || 'nothing'})`);
  }
  const padCount = ['p', 'a', 'd'].filter(has).length;
  if (padCount !== 0 && padCount !== 3) throw new ImportSourceError(file, 'manifest has some of the P, A, D columns but not all three');
  if (has('segment_start') !== has('segment_end')) throw new ImportSourceError(file, 'manifest has one of segment_start, segment_end but not both');
  const base = dirname(resolve(file));
  const out: ImportEntry[] = [];
  for (const r of rows) {
    const at = r.at;
    const raw = (name: string): string => {
      const v = r.get(name);
      if (v === undefined || v === null) return '';
      if (typeof v === 'string') return v.trim();
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw new ImportSourceError(file, `${at}: ${name} is ${Array.isArray(v) ? 'an array' : 'an object'}, not text`);
    };
    const text = (name: string): string | null => {
      const v = raw(name);
      if (v.length > MAX_TEXT && name !== pathColumn) throw new ImportSourceError(file, `${at}: ${name} longer than ${MAX_TEXT} characters`);
      if (/[\u0000-\u001f]/.test(v)) throw new ImportSourceError(file, `${at}: ${name} contains control characters`);
      return v === '' ? null : v;
    };
    const num = (name: string, shown = name): number | null => {
      const v = raw(name);
      if (v === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new ImportSourceError(file, `${at}: ${shown} is "${v.slice(0, 40)}", not a number`);
      return n;
    };
    const p = text(pathColumn);
    if (!p) throw new ImportSourceError(file, `${at}: empty ${pathColumn}`);
    let pad: Pad | null = null;
    if (padCount === 3) {
      const nums = ['p', 'a', 'd'].map((c) => num(c, `column ${c.toUpperCase()}`));
      if (nums.some((n) => n !== null)) {
        if (nums.some((n) => n === null)) throw new ImportSourceError(file, `${at}: give all of P, A, D or none`);
        pad = [nums[0]!, nums[1]!, nums[2]!];
      }
    }
    let segment: ImportEntry['segment'] = null;
    const start = num('segment_start');
    const end = num('segment_end');
    if (start !== null || end !== null) {
      if (start === null || end === null) throw new ImportSourceError(file, `${at}: a segment needs both segment_start and segment_end`);
      if (start < 0 || !(end > start)) throw new ImportSourceError(file, `${at}: segment ${start}-${end} s is not a stretch of time (0 ≤ start < end)`);
      segment = { startSec: start, endSec: end };
    }
    const label = text('label');
    const reviewedRaw = raw('reviewed').toLowerCase();
    if (!['', '0', '1', 'true', 'false'].includes(reviewedRaw)) throw new ImportSourceError(file, `${at}: reviewed is "${reviewedRaw.slice(0, 40)}": expected 1, 0, true or false`);
    const reviewed = reviewedRaw === '1' || reviewedRaw === 'true';
    const entry: ImportEntry = { path: isAbsolute(p) ? p : resolve(base, p), label, speaker: text('speaker'), pad, segment };
    if (reviewed) {
      // The studio's export: the import label it had, and the reviewed label as the answer that gave it.
      entry.label = has('import_label') ? text('import_label') : null;
      entry.answers = [{ annotator: text('annotator') ?? IMPORTED_ANSWER_ANNOTATOR, label }];
    }
    out.push(entry);
  }
  return out;
}
