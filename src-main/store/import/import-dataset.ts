// Importing a dataset: each file is read once in chunks, hashed chunk by chunk (SHA-256, the clip's
// identity) and probed for its duration, rate and channels from the header. The work runs on the studio's
// main thread, so nothing here may block it long: reads are async, hashing goes 1 MiB at a time between
// reads, and a full decode (~1 s for an hour of audio) happens only when the header cannot tell the duration
// (e.g. MP3 without a Xing/LAME header) or when decoding the file's first second fails (garbage after a valid
// header). Problems with one file are collected and the import goes on. Clips are committed in batches, one
// transaction each, so a killed import loses at most its current batch, and a re-run skips by hash
// everything already committed. Only regular files are opened (engine/regular-file.ts): a manifest line
// naming /dev/zero or a FIFO is one more per-file error, not an import that never ends. Entries that are segments
// of one file (a cut recording in the studio's own export) read that file once and become its segments, each
// with its own label; entries that carry answers (reviewed labels of an export) get them in the same
// transaction as their clip.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ImportError, ImportReport } from '../../../shared/domain';
import { AudioDecodeError, decodeAudio, probeAudio } from '../../engine/audio/decode';
import { NotRegularFileError, openRegularFile } from '../../engine/regular-file';
import type { NewClip } from '../clips';
import type { ProjectStore } from '../project-store';
import { IMPORTED_ANSWER_ANNOTATOR, type ImportEntry } from './manifest';
import { resolveSource, type ImportSource } from './sources';

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
  added: number;
  errors: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Files per transaction. */
  batchSize?: number;
}

export interface ImportDuplicate {
  file: string;
  /** Path of the clip (already in the project, or earlier in this import) with the same bytes. */
  sameAs: string;
}

export interface ImportResult extends ImportReport {
  kind: ImportSource['kind'];
  /** What the reading of the source guessed (resolveSource's warnings). */
  warnings: string[];
  total: number;
  duplicates: ImportDuplicate[];
  /** True when the signal stopped the import early (everything before it is committed). */
  cancelled: boolean;
  /** Ids of the clips this import added. */
  addedIds: number[];
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const READ_CHUNK = 1 << 20;

/** Files larger than this are hashed without being kept in memory: only their first KEPT_HEAD bytes are
 * (a 3-hour 48 kHz stereo WAV is 2 GB; its header and a first stretch of audio say all the import needs). */
const LARGE_FILE = 256 * 2 ** 20;
const KEPT_HEAD = 4 * 2 ** 20;

interface ReadFile {
  /** The whole file, or its first KEPT_HEAD bytes when it is larger than LARGE_FILE. */
  bytes: Buffer;
  size: number;
  hash: string;
}

/** Reads a file with async reads of READ_CHUNK bytes, hashing as it goes (no long synchronous step). The
 * signal is checked before every chunk, so a cancel does not wait for the end of a 2 GB recording. */
async function readAndHash(path: string, signal?: AbortSignal): Promise<ReadFile> {
  const fh = await openRegularFile(path);
  try {
    const st = await fh.stat();
    const h = createHash('sha256');
    if (st.size > LARGE_FILE) {
      const head = Buffer.allocUnsafe(KEPT_HEAD);
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      let pos = 0;
      for (;;) {
        signal?.throwIfAborted();
        const { bytesRead } = await fh.read(chunk, 0, READ_CHUNK, pos);
        if (bytesRead === 0) break;
        if (pos < KEPT_HEAD) chunk.copy(head, pos, 0, Math.min(bytesRead, KEPT_HEAD - pos));
        h.update(chunk.subarray(0, bytesRead));
        pos += bytesRead;
      }
      return { bytes: head.subarray(0, Math.min(pos, KEPT_HEAD)), size: pos, hash: h.digest('hex') };
    }
    let bytes = Buffer.allocUnsafe(st.size);
    let pos = 0;
    for (;;) {
      signal?.throwIfAborted();
      if (pos === bytes.length) {
        // A file that grew since stat() is read to its end; one that did not is not copied (an hour of audio
        // copied in one step held the main thread for 0.4 s).
        const more = Buffer.allocUnsafe(READ_CHUNK);
        const { bytesRead } = await fh.read(more, 0, READ_CHUNK, pos);
        if (bytesRead === 0) break;
        h.update(more.subarray(0, bytesRead));
        bytes = Buffer.concat([bytes, more.subarray(0, bytesRead)]);
        pos += bytesRead;
        continue;
      }
      const { bytesRead } = await fh.read(bytes, pos, Math.min(READ_CHUNK, bytes.length - pos), pos);
      if (bytesRead === 0) break;
      h.update(bytes.subarray(pos, pos + bytesRead));
      pos += bytesRead;
    }
    return { bytes: bytes.subarray(0, pos), size: pos, hash: h.digest('hex') };
  } finally {
    await fh.close();
  }
}

async function readEntry(e: ImportEntry, signal?: AbortSignal): Promise<ReadFile | { error: string }> {
  try {
    return await readAndHash(e.path, signal);
  } catch (err) {
    if (err instanceof NotRegularFileError) return { error: `not a regular file (${err.kind}); only audio files can be imported` };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { error: 'not a regular file (a folder); only audio files can be imported' };
    // Node reads a folder's names as UTF-8; a name in another encoding comes back with U+FFFD in it and
    // cannot be opened by that name: say so, rather than "not found" for a file the user can see.
    if (code === 'ENOENT' && basename(e.path).includes('\uFFFD')) return { error: 'its file name is not valid UTF-8 (another encoding): rename the file and import again' };
    if (code === 'ENOENT') return { error: 'file not found' };
    if (code === 'EACCES' || code === 'EPERM') return { error: 'permission denied' };
    return { error: `cannot read file (${code ?? (err as Error).message})` };
  }
}

/** Bytes decoded to confirm a file whose header probed fine (a second or more of audio in any format). */
const CHECK_PREFIX = 256 * 1024;

export interface AudioFacts {
  durationSec: number;
  sampleRate: number;
  channels: number;
}

/**
 * Duration, rate and channels of a file in memory, cheaply: from the header, confirmed by decoding the
 * file's start; a full decode when the header has no duration or the start does not decode (the full decode
 * then decides, so a file is only ever rejected by the decoder itself). Throws AudioDecodeError.
 */
export async function audioFacts(bytes: Uint8Array, file: string, totalBytes = bytes.length): Promise<AudioFacts> {
  const probe = probeAudio(bytes, file, totalBytes);
  const partial = totalBytes > bytes.length;
  if (probe.durationSec !== null && probe.durationSec > 0) {
    const head = bytes.length > CHECK_PREFIX ? bytes.subarray(0, CHECK_PREFIX) : bytes;
    // The whole file when it is small: then a FLAC shorter than its STREAMINFO fails here, and the full decode
    // below reports why.
    const ok = await decodeAudio(head, file, { prefix: head.length < totalBytes }).then(
      (d) => d.channelData[0].length > 0,
      () => false,
    );
    if (ok) return { durationSec: probe.durationSec, sampleRate: probe.sampleRate, channels: probe.channels };
  }
  if (partial) {
    const gb = (totalBytes / 2 ** 30).toFixed(1);
    throw new AudioDecodeError(file, probe.durationSec === null ? `too large (${gb} GB) to import without a duration in its header` : `its first ${KEPT_HEAD / 2 ** 20} MB do not decode (${gb} GB file)`);
  }
  const audio = await decodeAudio(bytes, file);
  const frames = audio.channelData[0].length;
  if (frames === 0) throw new AudioDecodeError(file, 'no samples');
  return { durationSec: frames / audio.sampleRate, sampleRate: audio.sampleRate, channels: audio.channelData.length };
}

/** One file to read: a whole-file entry, or the segment entries of one file (in the order first seen). */
interface FileUnit {
  path: string;
  entries: ImportEntry[];
  segmented: boolean;
}

function fileUnits(entries: readonly ImportEntry[]): FileUnit[] {
  const units: FileUnit[] = [];
  const segmentsOf = new Map<string, FileUnit>();
  for (const e of entries) {
    if (!e.segment) {
      units.push({ path: e.path, entries: [e], segmented: false });
      continue;
    }
    let u = segmentsOf.get(e.path);
    if (!u) {
      segmentsOf.set(e.path, (u = { path: e.path, entries: [], segmented: true }));
      units.push(u);
    }
    u.entries.push(e);
  }
  return units;
}

/** Seconds a segment may run past the decoded end of its file (rounding of exported times). */
const SEGMENT_SLACK_SEC = 0.01;
const segmentName = (path: string, s: { startSec: number; endSec: number }) => `${path} [${s.startSec}-${s.endSec} s]`;

export async function importDataset(store: ProjectStore, source: ImportSource | string, opts: ImportOptions = {}): Promise<ImportResult> {
  const resolved = resolveSource(source);
  const entries = resolved.entries;
  const units = fileUnits(entries);
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  // A file already in the project (whole, or as the utterances of a long recording) or earlier in this
  // import: looked up one hash at a time (loading every hash of a 100,000-clip project first held the main
  // thread for 0.7 s).
  const seen = new Map<string, string>();
  const inProject = store.db.prepare('SELECT path FROM clips WHERE hash = ? LIMIT 1').pluck();
  const sameAsOf = (hash: string) => seen.get(hash) ?? (inProject.get(hash) as string | undefined);
  const errors: ImportError[] = [];
  const duplicates: ImportDuplicate[] = [];
  const addedIds: number[] = [];
  let pending: { clip: NewClip; entry: ImportEntry }[] = [];
  let cancelled = false;

  const flush = () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    store.write(() => {
      const labels = new Set<string>();
      for (const { entry } of batch) {
        if (entry.label) labels.add(entry.label);
        for (const a of entry.answers ?? []) if (a.label) labels.add(a.label);
      }
      store.ensureClasses(labels, 'import');
      const ids = store.insertClips(batch.map((b) => b.clip));
      ids.forEach((id, i) => {
        const { clip, entry } = batch[i];
        if (id === null) {
          // Only a segment can meet itself here (whole files are checked by hash before): the same utterance.
          duplicates.push({ file: entry.segment ? segmentName(clip.path, entry.segment) : clip.path, sameAs: clip.path });
          return;
        }
        addedIds.push(id);
        for (const a of entry.answers ?? []) {
          const importLabel = clip.importLabel ?? null;
          const annotator = a.annotator.trim() || IMPORTED_ANSWER_ANNOTATOR;
          // The answer that leaves the clip with this label: its own label, or a reject of the import label.
          if (a.label === null) store.annotate(id, { annotator, action: 'reject', label: importLabel });
          else store.annotate(id, { annotator, action: a.label === importLabel ? 'accept' : 'relabel', label: a.label, ...(a.adjudicated ? { adjudicated: true } : {}) });
        }
      });
    });
  };

  let done = 0;
  for (const u of units) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const read = await readEntry(u.entries[0], opts.signal);
    if (opts.signal?.aborted) {
      // Stopped while this file was read: it is left for a re-run, like every file after it.
      cancelled = true;
      break;
    }
    if ('error' in read) errors.push({ file: u.path, reason: read.error });
    else {
      const { hash } = read;
      // A segmented file may already be in the project as other segments of it: (hash, segment) decides.
      const sameAs = u.segmented ? seen.get(hash) : sameAsOf(hash);
      if (sameAs !== undefined) for (const e of u.entries) duplicates.push({ file: e.segment ? segmentName(e.path, e.segment) : e.path, sameAs });
      else {
        try {
          const facts = await audioFacts(read.bytes, u.path, read.size);
          seen.set(hash, u.path);
          const common = { path: u.path, hash, sizeBytes: read.size, fileDurationSec: facts.durationSec, sampleRate: facts.sampleRate, channels: facts.channels };
          for (const e of u.entries) {
            const seg = e.segment;
            if (seg && seg.endSec > facts.durationSec + SEGMENT_SLACK_SEC) {
              errors.push({ file: segmentName(e.path, seg), reason: `the segment ends after the file does (${facts.durationSec.toFixed(3)} s)` });
              continue;
            }
            pending.push({
              entry: e,
              clip: {
                ...common,
                durationSec: seg ? Math.round((seg.endSec - seg.startSec) * 1e9) / 1e9 : facts.durationSec,
                segmentStartSec: seg ? seg.startSec : null,
                segmentEndSec: seg ? seg.endSec : null,
                speaker: e.speaker,
                importLabel: e.label,
                importPad: e.pad,
              },
            });
          }
        } catch (err) {
          if (!(err instanceof AudioDecodeError)) throw err;
          errors.push({ file: u.path, reason: err.cause_ });
        }
      }
    }
    done += u.entries.length;
    if (pending.length >= batchSize) flush();
    opts.onProgress?.({ done, total: entries.length, file: u.path, added: addedIds.length + pending.length, errors: errors.length });
  }
  flush();
  return {
    kind: resolved.source.kind,
    total: entries.length,
    added: addedIds.length,
    addedIds,
    skippedDuplicates: duplicates.length,
    duplicates,
    errors,
    skipped: resolved.skipped,
    warnings: resolved.warnings,
    cancelled,
  };
}
