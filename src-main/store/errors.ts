// Errors the store raises on purpose. Each says what is wrong in words a user can act on; the API layer
// maps them by `code` rather than by message.

export type StoreErrorCode =
  | 'not-sqlite'
  | 'not-a-project'
  | 'newer-version'
  | 'needs-migration'
  | 'not-found'
  | 'exists'
  | 'invalid'
  /** Another studio has the project open (see lock.ts). */
  | 'locked'
  /** The file or its folder cannot be written: open it read-only. */
  | 'read-only'
  /** Writing a file failed (disk full, I/O error, no permission); nothing partial was left. */
  | 'io';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
