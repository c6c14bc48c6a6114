// Reading a Label Studio JSON export (an array of tasks, with their annotations) as import entries. Each task's
// audio comes from data.audio: a local path; `/data/local-files/?d=<path>` under the local-files root (given, or
// the one `eodn export` stored in meta.eodn.audio); or a URL under the prefix `eodn export --audio-url-prefix`
// stored in meta.eodn.audio, mapped back to its audio root. The label is the last annotation's first choice
// (cancelled annotations aside; none when it chose nothing), or, for a task without annotations, the import
// label `eodn export` put in data. A task that is a segment of a recording (data.segment_start/end) becomes that
// segment of its file. A task `eodn export` wrote (meta.eodn.annotators, one name per annotation) comes back as
// it was: the first annotation, by "import", is the import label, and each later one the answer of the
// annotator named beside it (ground_truth: an adjudicator's decision). A task whose audio cannot be mapped to a file is listed as not imported.
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileKind, NotRegularFileError, readRegularFileSync } from '../../engine/regular-file';
import { ImportSourceError, type ImportEntry } from './manifest';

const MAX_BYTES = 512 * 1024 * 1024;
const MAX_TEXT = 200;
const LOCAL_FILES_URL = '/data/local-files/?d=';

export interface LabelStudioSourceOptions {
  /** Label Studio's LOCAL_FILES_DOCUMENT_ROOT, for data.audio of the form /data/local-files/?d=… */
  localFilesRoot?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `value` looks like Label Studio tasks: a non-empty array of objects, each with a `data` object. */
export function isLabelStudioTasks(value: unknown): value is Json[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => isObject(t) && isObject(t.data));
}

/** Reads and parses a .json file (regular files only, size-limited); throws ImportSourceError. */
export function readJsonFile(file: string): unknown {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new ImportSourceError(file, 'not found');
  }
  if (!st.isFile()) throw new ImportSourceError(file, `not a regular file (${fileKind(st)})`);
  if (st.size > MAX_BYTES) throw new ImportSourceError(file, `JSON file larger than ${MAX_BYTES >> 20} MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readRegularFileSync(file));
  } catch (e) {
    if (e instanceof NotRegularFileError) throw new ImportSourceError(file, `not a regular file (${e.kind})`);
    if (e instanceof TypeError) throw new ImportSourceError(file, 'not valid UTF-8 text');
    throw new ImportSourceError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ImportSourceError(file, `not valid JSON (${(e as Error).message})`);
  }
}

/** A relative path from URL path segments (each percent-decoded); null when it is not a plain relative path. */
function decodeRelative(encoded: string): string | null {
  let parts: string[];
  try {
    parts = encoded.split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (parts.some((p) => p === '..' || p.includes('\0'))) return null;
  return parts.filter((p) => p !== '' && p !== '.').join('/') || null;
}

function stored(task: Json): { kind?: unknown; root?: unknown; prefix?: unknown } {
  const meta = isObject(task.meta) ? task.meta : {};
  const eodn = isObject(meta.eodn) ? meta.eodn : {};
  return isObject(eodn.audio) ? eodn.audio : {};
}

/** The file a task's data.audio stands for, or why it cannot be told. */
export function taskAudioPath(task: Json, opts: LabelStudioSourceOptions = {}): string | { reason: string } {
  const audio = (task.data as Json).audio;
  if (typeof audio !== 'string' || !audio) return { reason: 'the task has no data.audio' };
  const mapping = stored(task);
  if (audio.startsWith(LOCAL_FILES_URL)) {
    const root = opts.localFilesRoot ?? (mapping.kind === 'local-files' && typeof mapping.root === 'string' ? mapping.root : undefined);
    if (!root) return { reason: `${audio} is served by Label Studio's local-files storage: give its document root (--local-files-root)` };
    const rel = decodeRelative(audio.slice(LOCAL_FILES_URL.length).split('&')[0]);
    return rel ? join(resolve(root), rel) : { reason: `${audio}: not a path under the local-files root` };
  }
  if (mapping.kind === 'url-prefix' && typeof mapping.prefix === 'string' && typeof mapping.root === 'string' && audio.startsWith(mapping.prefix)) {
    const rel = decodeRelative(audio.slice(mapping.prefix.length));
    return rel ? join(mapping.root, rel) : { reason: `${audio}: not a path under ${mapping.prefix}` };
  }
  if (audio.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(audio).pathname);
    } catch {
      return { reason: `${audio}: not a valid file URL` };
    }
  }
  if (isAbsolute(audio)) return audio;
  return { reason: `${audio}: a URL this import cannot map to a local file (only local paths, /data/local-files/ and the URL prefix of an eodn export)` };
}

function text(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim();
  if (!s || s.length > MAX_TEXT || /[\u0000-\u001f]/.test(s)) return null;
  return s;
}

/** The last (not cancelled) annotation's first choice; null when that annotation chose nothing; undefined when
 * the task has no annotation. */
export function taskLabel(task: Json): string | null | undefined {
  const annotations = Array.isArray(task.annotations) ? task.annotations.filter((a) => isObject(a) && a.was_cancelled !== true) : [];
  const last = annotations[annotations.length - 1] as Json | undefined;
  return last ? annotationChoice(last) : undefined;
}

/** A choice annotation's first choice, or null when it chose nothing. */
function annotationChoice(a: Json): string | null {
  const result = Array.isArray(a.result) ? a.result : [];
  for (const r of result) {
    const value = isObject(r) && isObject(r.value) ? r.value : null;
    const list = value ? (Array.isArray(value.choices) ? value.choices : Array.isArray(value.labels) ? value.labels : null) : null;
    const label = list && list.length ? text(list[0]) : null;
    if (label) return label;
  }
  return null;
}

/** A task as `eodn export` wrote it (meta.eodn.annotators names every annotation, in order): its import label
 * and each annotator's answer, oldest first. Null for any other task (or one edited in Label Studio since:
 * the names no longer match the annotations one for one). */
function eodnAnswers(task: Json): { importLabel: string | null; answers: NonNullable<ImportEntry['answers']> } | null {
  const meta = isObject(task.meta) && isObject(task.meta.eodn) ? task.meta.eodn : null;
  const names = meta && Array.isArray(meta.annotators) ? meta.annotators : null;
  const annotations = Array.isArray(task.annotations) ? task.annotations : [];
  if (!names || names.length !== annotations.length || !names.every((n) => typeof n === 'string' && n.trim())) return null;
  if (!annotations.every((a) => isObject(a) && a.was_cancelled !== true)) return null;
  let importLabel: string | null = null;
  const answers: NonNullable<ImportEntry['answers']> = [];
  annotations.forEach((a, i) => {
    const label = annotationChoice(a as Json);
    if (i === 0 && names[0] === 'import' && text((task.data as Json).import_label) !== null) importLabel = label;
    // ground_truth marks an adjudicator's decision (it names a class).
    else answers.push({ annotator: String(names[i]).trim(), label, ...((a as Json).ground_truth === true && label !== null ? { adjudicated: true } : {}) });
  });
  return { importLabel, answers };
}

/** The entries of a Label Studio export; tasks that cannot be imported go to `skipped` with the reason. */
export function readLabelStudioTasks(file: string, opts: LabelStudioSourceOptions = {}, skipped: { file: string; reason: string }[] = []): ImportEntry[] {
  const tasks = readJsonFile(file);
  if (!isLabelStudioTasks(tasks)) throw new ImportSourceError(file, 'not a Label Studio export: expected a JSON array of tasks, each with a "data" object');
  const out: ImportEntry[] = [];
  tasks.forEach((task, i) => {
    const data = task.data as Json;
    const where = typeof data.audio === 'string' && data.audio ? String(data.audio) : `${file}#task ${i + 1}`;
    let segment: ImportEntry['segment'] = null;
    if (data.segment_start != null || data.segment_end != null) {
      const start = Number(data.segment_start);
      const end = Number(data.segment_end);
      if (data.segment_start == null || data.segment_end == null || !Number.isFinite(start) || !Number.isFinite(end) || start < 0 || !(end > start)) {
        skipped.push({ file: where, reason: `data.segment_start/end (${String(data.segment_start)}, ${String(data.segment_end)}) is not a stretch of time (0 ≤ start < end)` });
        return;
      }
      segment = { startSec: start, endSec: end };
    }
    const path = taskAudioPath(task, opts);
    if (typeof path !== 'string') {
      skipped.push({ file: where, reason: path.reason });
      return;
    }
    const entry: ImportEntry = { path: resolve(path), label: null, speaker: text(data.speaker), pad: null, segment };
    const own = eodnAnswers(task);
    if (own) {
      entry.label = own.importLabel;
      if (own.answers.length) entry.answers = own.answers;
    } else {
      const label = taskLabel(task);
      entry.label = label === undefined ? text(data.import_label) : label;
    }
    out.push(entry);
  });
  return out;
}
