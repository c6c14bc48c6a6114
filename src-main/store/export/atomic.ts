// Writes go to a temporary file in the target's own folder (same file system), are flushed, then renamed over
// the target: readers see the old file or the new one, never half of one. When the disk fills or fails
// mid-write, the temporary file is removed and the error says so in words (StoreError 'io'): no partial file,
// and an older file at the target is left as it was. A target that exists but is not a regular file (a device
// such as /dev/full, a FIFO, a socket, a folder) is refused before anything is written: the rename would
// replace the device node itself with the export.
import { closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StoreError } from '../errors';
import { fileKind } from '../../engine/regular-file';

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The file-system calls an atomic write makes; tests replace `write` to simulate a full or failing disk. */
export interface AtomicWriteIo {
  write: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
  fsync: (fd: number) => void;
}

const NODE_IO: AtomicWriteIo = { write: (fd, buf, off, len) => writeSync(fd, buf, off, len), fsync: fsyncSync };

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'an input/output error (a failing disk or a removed drive)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EFBIG: 'the file is too large for this file system',
  // better-sqlite3's codes, for backups written by SQLite itself.
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'an input/output error (a failing disk or a removed drive)',
};

/** A write failure as a StoreError('io') that names the target and the cause; other errors pass unchanged. */
export function describeWriteError(target: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (!code || !(code in REASONS)) return e;
  const err = new StoreError('io', `could not write ${target}: ${REASONS[code]} (${code}). Nothing was written there; free space or pick another folder and try again.`);
  (err as { cause?: unknown }).cause = e;
  return err;
}

/**
 * Refuses (StoreError 'invalid') a target that exists and is not a regular file, following symbolic links: the
 * atomic rename would put the export in place of a device, pipe or folder. A missing target is fine.
 */
export function refuseSpecialTarget(target: string): void {
  let st: Stats;
  try {
    st = statSync(target);
  } catch {
    return; // nothing there yet (or nothing we can see: the write itself will say why it fails)
  }
  if (st.isFile()) return;
  throw new StoreError('invalid', `${target} is ${fileKind(st)}, not a regular file: nothing was written. Give a file path for the output.`);
}

/** Writes chunks (strings are UTF-8) to `target` atomically. */
export function writeFileAtomic(target: string, chunks: Iterable<string | Uint8Array>, io: AtomicWriteIo = NODE_IO): void {
  refuseSpecialTarget(target);
  const tmp = tempPathFor(target);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    throw describeWriteError(target, e);
  }
  try {
    for (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      let off = 0;
      while (off < buf.byteLength) off += io.write(fd, buf, off, buf.byteLength - off);
    }
    io.fsync(fd);
    closeSync(fd);
    renameSync(tmp, target);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw describeWriteError(target, e);
  }
}

/** Copies a file to `target` through a temporary file beside it (same guarantees as writeFileAtomic). */
export function copyFileAtomic(source: string, target: string, copy: (src: string, dest: string) => void = copyFileSync): void {
  refuseSpecialTarget(target);
  const tmp = tempPathFor(target);
  try {
    copy(source, tmp);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeWriteError(target, e);
  }
}
