// Emotion classes: from import labels, discovered in review (E-ODN eq. 6), or added by hand.
import type Database from 'better-sqlite3';
import type { ClassOrigin, EmotionClass, Pad } from '../../shared/domain';
import { StoreError } from './errors';

interface ClassRaw {
  name: string;
  p: number | null;
  a: number | null;
  d: number | null;
  origin: ClassOrigin;
  created_at: string;
}

const toClass = (r: ClassRaw): EmotionClass => ({
  name: r.name,
  pad: r.p == null || r.a == null || r.d == null ? null : [r.p, r.a, r.d],
  origin: r.origin,
  createdAt: r.created_at,
});

export interface NewClass {
  name: string;
  pad?: Pad | null;
  origin?: ClassOrigin;
}

export function validateClassName(name: unknown): string {
  if (typeof name !== 'string') throw new StoreError('invalid', 'class name must be a string');
  const n = name.trim();
  if (!n) throw new StoreError('invalid', 'class name is empty');
  if (n.length > 100) throw new StoreError('invalid', `class name longer than 100 characters: ${n.slice(0, 40)}…`);
  return n;
}

export class ClassesTable {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO classes (name, p, a, d, origin, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
    );
    this.getStmt = db.prepare('SELECT * FROM classes WHERE name = ?');
  }

  list(): EmotionClass[] {
    return (this.db.prepare('SELECT * FROM classes ORDER BY created_at, name').all() as ClassRaw[]).map(toClass);
  }

  get(name: string): EmotionClass | null {
    const r = this.getStmt.get(name) as ClassRaw | undefined;
    return r ? toClass(r) : null;
  }

  /** Adds a class; throws if the name is taken. */
  add(c: NewClass): EmotionClass {
    const name = validateClassName(c.name);
    if (c.pad && !c.pad.every((x) => Number.isFinite(x))) throw new StoreError('invalid', `class ${name}: PAD must be finite numbers`);
    const info = this.insertStmt.run(name, c.pad?.[0] ?? null, c.pad?.[1] ?? null, c.pad?.[2] ?? null, c.origin ?? 'manual', new Date().toISOString());
    if (info.changes === 0) throw new StoreError('exists', `class "${name}" already exists`);
    return this.get(name)!;
  }

  /** Removes a class row (the caller checks that nothing uses it). */
  remove(name: string): void {
    this.db.prepare('DELETE FROM classes WHERE name = ?').run(name);
  }

  /** Adds the names that do not exist yet (call inside a transaction); returns how many were added. */
  ensure(names: Iterable<string>, origin: ClassOrigin): number {
    const now = new Date().toISOString();
    let added = 0;
    for (const n of names) added += this.insertStmt.run(validateClassName(n), null, null, null, origin, now).changes;
    return added;
  }
}
