// What can be imported, and how each kind of source becomes a list of (file, label, speaker) entries.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { padTermNameFor } from '../../../shared/pad-names';
import { fileKind } from '../../engine/regular-file';
import { hfMetadataFile, isHfAudiofolder, readHfAudiofolder } from './hf-audiofolder';
import { isLabelStudioTasks, readJsonFile, readLabelStudioTasks } from './label-studio';
import { ImportSourceError, readManifest, type ImportEntry } from './manifest';
import { parseEmodbName, parseRavdessName, type NamedLabel } from './naming';

export type ImportSource =
  /** root/<class>/**: the first folder under root names the class. */
  | { kind: 'folders'; root: string }
  /** A manifest: CSV or JSON Lines (path,label,speaker…), the studio's own CSV/JSONL exports included. */
  | { kind: 'manifest'; file: string }
  /** A Hugging Face audiofolder: metadata.csv (file_name,label,speaker…) beside the audio. */
  | { kind: 'hf-audiofolder'; root: string }
  /** Files named by a dataset's convention, each read by its own (most by this one): see namedEntries. */
  | { kind: 'emodb'; root: string }
  | { kind: 'ravdess'; root: string }
  | { kind: 'unlabelled'; root: string }
  /** A Label Studio JSON export (tasks with annotations); localFilesRoot resolves /data/local-files/?d= URLs. */
  | { kind: 'label-studio'; file: string; localFilesRoot?: string };

export const AUDIO_EXTENSIONS = new Set(['.wav', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.aif', '.aiff', '.aifc']);

const CONVERT = 'convert it to WAV or FLAC first, e.g. `ffmpeg -i in.m4a -ac 1 out.wav`';
/** Audio formats the studio cannot decode, by extension: each such file is named in the import's report. */
const UNSUPPORTED_AUDIO: Record<string, string> = {
  '.m4a': `AAC audio (.m4a) is not supported: ${CONVERT}`,
  '.aac': `AAC audio (.aac) is not supported: ${CONVERT}`,
  '.mp4': `MP4 audio (AAC) is not supported: ${CONVERT}`,
  '.m4b': `AAC audio (.m4b) is not supported: ${CONVERT}`,
  '.3gp': `3GP audio (AAC/AMR) is not supported: ${CONVERT}`,
  '.amr': `AMR audio is not supported: ${CONVERT}`,
  '.wma': `Windows Media Audio is not supported: ${CONVERT}`,
  '.webm': `WebM audio is not supported: ${CONVERT}`,
  '.mka': `Matroska audio is not supported: ${CONVERT}`,
  '.caf': `Core Audio Format is not supported: ${CONVERT}`,
  '.ape': `Monkey's Audio is not supported: ${CONVERT}`,
  '.wv': `WavPack is not supported: ${CONVERT}`,
  '.ac3': `AC-3 audio is not supported: ${CONVERT}`,
  '.alac': `Apple Lossless is not supported: ${CONVERT}`,
};

/** A file the folder walk left out, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** Why a regular file is not imported, by its extension (null: it is an audio file the studio reads). */
export function skipReason(name: string): string | null {
  const ext = extname(name).toLowerCase();
  if (AUDIO_EXTENSIONS.has(ext)) return null;
  return UNSUPPORTED_AUDIO[ext] ?? (ext ? `not an audio file this studio reads (extension ${ext})` : 'not an audio file this studio reads (no extension)');
}

/** Audio files under `root`, recursively, sorted (so that batches and re-runs are in a stable order). Every
 * other regular file (hidden ones aside) is pushed to `skipped`, when given, with the reason. */
export function walkAudio(root: string, skipped?: SkippedFile[]): string[] {
  const out: string[] = [];
  const left: SkippedFile[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new ImportSourceError(dir, `cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      // Regular files only: a FIFO or device named *.wav would hang its reader (symlinks are not followed).
      else if (e.isFile()) {
        const reason = skipReason(e.name);
        if (reason === null) out.push(p);
        else left.push({ file: p, reason });
      }
    }
  };
  visit(root);
  if (skipped) skipped.push(...left.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  return out.sort();
}

function requireDir(root: string): string {
  const abs = resolve(root);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new ImportSourceError(abs, 'folder not found');
  }
  if (!isDir) throw new ImportSourceError(abs, 'not a folder');
  return abs;
}

const SCHEMES = [
  { kind: 'emodb', name: 'EmoDB', parse: parseEmodbName },
  { kind: 'ravdess', name: 'RAVDESS', parse: parseRavdessName },
] as const;
type Scheme = (typeof SCHEMES)[number];

/** The naming scheme a file name follows, or null. */
function schemeOf(fileName: string): Scheme | null {
  return SCHEMES.find((s) => s.parse(fileName)) ?? null;
}

/** Guesses the kind of a path: a .json file holding an array of tasks is a Label Studio export; another file is a
 * manifest (CSV, or JSON Lines by its .jsonl extension); a folder with a metadata.csv naming its files is a Hugging
 * Face audiofolder (its metadata names file_name); a folder whose audio sits only in subfolders named like emotions
 * (anger/, neutral/) is per-class folders; else a folder is EmoDB or RAVDESS when most of its file names follow that convention (each file is
 * then read by the scheme it follows, see namedEntries: one stray `x (copy).wav` does not change how the others
 * read), per-class folders when audio sits only in subfolders, else unlabelled. */
export function detectSource(path: string, opts: { localFilesRoot?: string } = {}): ImportSource {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ImportSourceError(abs, 'not found');
  }
  if (st.isFile() && extname(abs).toLowerCase() === '.json') {
    if (!isLabelStudioTasks(readJsonFile(abs))) throw new ImportSourceError(abs, 'not a Label Studio export: expected a JSON array of tasks, each with a "data" object');
    return { kind: 'label-studio', file: abs, ...(opts.localFilesRoot ? { localFilesRoot: resolve(opts.localFilesRoot) } : {}) };
  }
  if (st.isFile()) return { kind: 'manifest', file: abs };
  if (!st.isDirectory()) throw new ImportSourceError(abs, `${fileKind(st)}: import a folder of audio files or a .csv manifest`);
  if (isHfAudiofolder(abs)) return { kind: 'hf-audiofolder', root: abs };
  const files = walkAudio(abs);
  const counts = new Map<Scheme['kind'], number>();
  for (const f of files) {
    const s = schemeOf(basename(f));
    if (s) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  }
  const named = [...counts.values()].reduce((a, b) => a + b, 0);
  const inSubfolders = files.length > 0 && files.every((f) => relative(abs, f).includes(sep));
  // Subfolders named like emotions (anger/, neutral/) say what the curator meant, even when the files inside
  // follow a dataset's naming; subfolders like RAVDESS's Actor_01/ do not.
  const emotionFolders = inSubfolders && [...new Set(files.map((f) => relative(abs, f).split(sep)[0]))].every((n) => padTermNameFor(n) !== null);
  if (emotionFolders) return { kind: 'folders', root: abs };
  if (named > 0 && named * 2 > files.length) {
    const kind = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    return { kind, root: abs };
  }
  if (inSubfolders) return { kind: 'folders', root: abs };
  return { kind: 'unlabelled', root: abs };
}

/** At most this many file names in a warning. */
const NAMES_SHOWN = 3;
const someNames = (files: readonly string[]) =>
  files.slice(0, NAMES_SHOWN).map((f) => basename(f)).join(', ') + (files.length > NAMES_SHOWN ? `, and ${files.length - NAMES_SHOWN} more` : '');

/** The entries of a folder named by a dataset's convention: each file by the scheme its name follows (`main`
 * first), so a stray name changes nothing for the others; a warning when the folder mixes schemes, and one
 * naming the files that follow none (imported without label or speaker). */
export function namedEntries(files: readonly string[], main: Scheme['kind'], warnings: string[]): ImportEntry[] {
  const order = [...SCHEMES].sort((a, b) => (a.kind === main ? -1 : b.kind === main ? 1 : 0));
  const byScheme = new Map<string, string[]>();
  const none: string[] = [];
  const entries = files.map((path) => {
    let named: NamedLabel | null = null;
    for (const s of order) {
      named = s.parse(basename(path));
      if (named) {
        byScheme.set(s.name, [...(byScheme.get(s.name) ?? []), path]);
        break;
      }
    }
    if (!named) none.push(path);
    return { path, label: named?.label ?? null, speaker: named?.speaker ?? null, pad: null };
  });
  if (byScheme.size > 1) {
    const parts = [...byScheme.entries()].sort((a, b) => b[1].length - a[1].length).map(([name, list]) => `${list.length} ${name} (${someNames(list)})`);
    warnings.push(`the folder mixes file-naming schemes: ${parts.join(', ')}; each file is read by the scheme its name follows`);
  }
  if (none.length) {
    const names = [...byScheme.keys()].join(' or ');
    warnings.push(`${none.length} ${none.length === 1 ? 'file follows' : 'files follow'} no ${names} naming (${someNames(none)}): imported without label or speaker`);
  }
  return entries;
}

export interface ResolvedSource {
  source: ImportSource;
  entries: ImportEntry[];
  /** Files of the folder that are not imported (unsupported formats, not audio), each with the reason. */
  skipped: SkippedFile[];
  /** What the reading guessed that the user should know (a folder mixing naming schemes, names that follow none). */
  warnings: string[];
}

/** Lists the entries of a source; throws ImportSourceError (before anything is written) if it is unusable. */
export function resolveSource(input: ImportSource | string, opts: { localFilesRoot?: string } = {}): ResolvedSource {
  const source = typeof input === 'string' ? detectSource(input, opts) : input;
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  switch (source.kind) {
    case 'manifest':
      return { source, entries: readManifest(source.file), skipped, warnings };
    case 'label-studio':
      return { source, entries: readLabelStudioTasks(source.file, { localFilesRoot: source.localFilesRoot }, skipped), skipped, warnings };
    case 'hf-audiofolder': {
      const root = requireDir(source.root);
      const meta = hfMetadataFile(root);
      if (!meta) throw new ImportSourceError(root, 'not a Hugging Face audiofolder: no metadata.csv or metadata.jsonl in it');
      const walked: SkippedFile[] = [];
      const audio = walkAudio(root, walked);
      skipped.push(...walked.filter((s) => resolve(s.file) !== meta));
      return { source, entries: readHfAudiofolder(root, audio, skipped), skipped, warnings };
    }
    case 'folders': {
      const root = requireDir(source.root);
      return {
        source,
        skipped,
        warnings,
        entries: walkAudio(root, skipped).map((path) => {
          const parts = relative(root, path).split(sep);
          return { path, label: parts.length > 1 ? parts[0] : null, speaker: null, pad: null };
        }),
      };
    }
    case 'emodb':
    case 'ravdess': {
      const entries = namedEntries(walkAudio(requireDir(source.root), skipped), source.kind, warnings);
      return { source, entries, skipped, warnings };
    }
    case 'unlabelled':
      return { source, skipped, warnings, entries: walkAudio(requireDir(source.root), skipped).map((path) => ({ path, label: null, speaker: null, pad: null })) };
    default:
      throw new ImportSourceError(String((source as { kind?: unknown }).kind), 'unknown import source kind');
  }
}
