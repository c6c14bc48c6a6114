// What can be imported, and how each kind of source becomes a list of (file, label, speaker) entries.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { fileKind } from '../../engine/regular-file';
import { isLabelStudioTasks, readJsonFile, readLabelStudioTasks } from './label-studio';
import { ImportSourceError, readManifest, type ImportEntry } from './manifest';
import { parseEmodbName, parseRavdessName } from './naming';

export type ImportSource =
  /** root/<class>/**: the first folder under root names the class. */
  | { kind: 'folders'; root: string }
  | { kind: 'manifest'; file: string }
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

/** Guesses the kind of a path: a .json file holding an array of tasks is a Label Studio export; another file is a manifest; a folder is EmoDB or RAVDESS when every file name
 * follows that convention, per-class folders when audio sits only in subfolders, else unlabelled. */
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
  const files = walkAudio(abs);
  const names = files.map((f) => basename(f));
  if (names.length && names.every((n) => parseEmodbName(n))) return { kind: 'emodb', root: abs };
  if (names.length && names.every((n) => parseRavdessName(n))) return { kind: 'ravdess', root: abs };
  if (files.length && files.every((f) => relative(abs, f).includes(sep))) return { kind: 'folders', root: abs };
  return { kind: 'unlabelled', root: abs };
}

export interface ResolvedSource {
  source: ImportSource;
  entries: ImportEntry[];
  /** Files of the folder that are not imported (unsupported formats, not audio), each with the reason. */
  skipped: SkippedFile[];
}

/** Lists the entries of a source; throws ImportSourceError (before anything is written) if it is unusable. */
export function resolveSource(input: ImportSource | string, opts: { localFilesRoot?: string } = {}): ResolvedSource {
  const source = typeof input === 'string' ? detectSource(input, opts) : input;
  const skipped: SkippedFile[] = [];
  switch (source.kind) {
    case 'manifest':
      return { source, entries: readManifest(source.file), skipped };
    case 'label-studio':
      return { source, entries: readLabelStudioTasks(source.file, { localFilesRoot: source.localFilesRoot }, skipped), skipped };
    case 'folders': {
      const root = requireDir(source.root);
      return {
        source,
        skipped,
        entries: walkAudio(root, skipped).map((path) => {
          const parts = relative(root, path).split(sep);
          return { path, label: parts.length > 1 ? parts[0] : null, speaker: null, pad: null };
        }),
      };
    }
    case 'emodb':
    case 'ravdess': {
      const parse = source.kind === 'emodb' ? parseEmodbName : parseRavdessName;
      const entries = walkAudio(requireDir(source.root), skipped).map((path) => {
        const named = parse(basename(path));
        return { path, label: named?.label ?? null, speaker: named?.speaker ?? null, pad: null };
      });
      return { source, entries, skipped };
    }
    case 'unlabelled':
      return { source, skipped, entries: walkAudio(requireDir(source.root), skipped).map((path) => ({ path, label: null, speaker: null, pad: null })) };
    default:
      throw new ImportSourceError(String((source as { kind?: unknown }).kind), 'unknown import source kind');
  }
}
