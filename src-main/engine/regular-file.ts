// Only regular files are read. A path from a user (a manifest line, a folder entry, an encoder manifest) can
// name anything: a FIFO blocks open(2) until some writer comes (and then read(2) until it writes), and
// /dev/zero or /dev/urandom never reach end-of-file, so reading any of them hangs whatever reads it, and no
// cancel flag checked between files is ever reached again. So every such path is opened with O_NONBLOCK
// (opening a FIFO then returns at once), the descriptor is fstat'ed (no race with a rename between a stat
// and the open), and anything but a regular file is refused before a byte is read. O_NONBLOCK changes
// nothing for regular files. Project files are not read here: SQLite owns them (store/db.ts only stats them).
import { fstatSync, openSync, closeSync, readFileSync, statSync, constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Windows has no O_NONBLOCK (and no FIFOs or devices a path can name there). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path that is not a regular file is, in words ("a folder", "a FIFO", "a character device", …). */
export function fileKind(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** Thrown for a path that exists but is not a regular file; `code` lets callers tell it from ENOENT etc. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(
    readonly path: string,
    /** fileKind() of the path, e.g. "a character device". */
    readonly kind: string,
  ) {
    super(`${path}: not a regular file (${kind})`);
    this.name = 'NotRegularFileError';
  }
}

/** Stats `path` (following symlinks) without opening it; throws NotRegularFileError unless it is a regular
 * file. For paths handed to native code that opens them itself (an ONNX model). */
export function statRegularFile(path: string): Stats {
  const st = statSync(path);
  if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
  return st;
}

/** Opens a regular file for reading; anything else is closed again at once and refused. */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const fh = await open(path, OPEN_FLAGS);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** fs.promises.readFile, for regular files only. */
export async function readRegularFile(path: string): Promise<Buffer> {
  const fh = await openRegularFile(path);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** fs.readFileSync, for regular files only (a synchronous read of a FIFO would block the thread for good). */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
