// Long-running jobs (embed, train, evaluate, import) as rows, so that after a crash the studio can list what
// was left unfinished and resume or discard it.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { StoreError } from './errors';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  message: string;
  params: unknown;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobUpdate {
  state?: JobState;
  done?: number;
  total?: number;
  message?: string;
  error?: string | null;
}

interface JobRaw {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  message: string;
  params: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

const toJob = (r: JobRaw): JobRecord => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  done: r.done,
  total: r.total,
  message: r.message,
  params: JSON.parse(r.params),
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

const FINISHED: readonly JobState[] = ['done', 'failed', 'cancelled'];

export class JobsTable {
  constructor(private readonly db: Database.Database) {}

  create(kind: string, params: unknown = {}, total = 0): JobRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db
      .prepare("INSERT INTO jobs (id, kind, state, total, params, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)")
      .run(id, kind, total, JSON.stringify(params ?? {}), now, now);
    return this.get(id);
  }

  get(id: string): JobRecord {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRaw | undefined;
    if (!r) throw new StoreError('not-found', `no job ${id}`);
    return toJob(r);
  }

  update(id: string, u: JobUpdate): JobRecord {
    const cur = this.get(id);
    const now = new Date().toISOString();
    const state = u.state ?? cur.state;
    this.db
      .prepare('UPDATE jobs SET state = ?, done = ?, total = ?, message = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?')
      .run(
        state,
        u.done ?? cur.done,
        u.total ?? cur.total,
        u.message ?? cur.message,
        u.error === undefined ? cur.error : u.error,
        now,
        FINISHED.includes(state) ? (cur.finishedAt ?? now) : null,
        id,
      );
    return this.get(id);
  }

  listUnfinished(): JobRecord[] {
    return (this.db.prepare("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at").all() as JobRaw[]).map(toJob);
  }
}
