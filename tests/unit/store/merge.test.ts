// eodn merge: the standing decisions of project copies gathered into one, clips matched by content hash.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnnotationAction } from '../../../shared/domain';
import { makeRng, shuffleInPlace } from '../../../src-main/engine/odn/rng';
import { checkProject } from '../../../src-main/store/check';
import { standingEvents } from '../../../src-main/store/current-label';
import { mergeProjects } from '../../../src-main/store/merge';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';

const dir = tempDir('eodn-merge-');
let n = 0;
const CLASSES = ['anger', 'fear', 'joy'];
/** The same four clips (three files, one cut into two segments) in every copy. */
interface ClipSpec {
  hash: string;
  seg: readonly [number, number] | null;
  label: string | null;
}
const CLIPS: ClipSpec[] = [
  { hash: 'h-a', seg: null, label: 'anger' },
  { hash: 'h-b', seg: null, label: 'fear' },
  { hash: 'h-c', seg: [0, 1.5], label: null },
  { hash: 'h-c', seg: [1.5, 3], label: 'joy' },
];

/** A project holding CLIPS (in a given order, under a given folder: ids and paths differ between copies). */
function copy(order: number[], folder: string, extraClip = false): ProjectStore {
  const store = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'copy' });
  store.ensureClasses(CLASSES, 'import');
  const clips: ClipSpec[] = [...order.map((i) => CLIPS[i]), ...(extraClip ? [{ hash: 'h-only-here', seg: null, label: null }] : [])];
  store.insertClips(
    clips.map((c) => ({
      path: `/${folder}/${c.hash}.wav`, hash: c.hash, sizeBytes: 1, durationSec: 3, sampleRate: 16000, channels: 1,
      segmentStartSec: c.seg?.[0] ?? null, segmentEndSec: c.seg?.[1] ?? null, importLabel: c.label,
    })),
  );
  return store;
}

interface Decision {
  clip: string;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  at: string;
}

const clipKeyOf = (store: ProjectStore) => {
  const rows = store.db.prepare('SELECT id, hash, segment_start AS s FROM clips').all() as { id: number; hash: string; s: number | null }[];
  return new Map(rows.map((r) => [r.id, `${r.hash}@${r.s ?? '-'}`]));
};

/** Appends decisions with their own times (raw inserts, as a copy's history made earlier would hold). */
function append(store: ProjectStore, ds: readonly Decision[]): void {
  const ids = new Map([...clipKeyOf(store)].map(([id, k]) => [k, id]));
  const ins = store.db.prepare('INSERT INTO annotations (clip_id, annotator, action, label, created_at) VALUES (?, ?, ?, ?, ?)');
  store.write(() => ds.forEach((d) => ins.run(ids.get(d.clip), d.annotator, d.action, d.label, d.at)));
}

function history(store: ProjectStore, standingOnly = false): string[] {
  const keys = clipKeyOf(store);
  const rows = store.db.prepare('SELECT clip_id, annotator, action, label, created_at FROM annotations ORDER BY clip_id, id').all() as {
    clip_id: number; annotator: string; action: AnnotationAction; label: string | null; created_at: string;
  }[];
  const byClip = new Map<number, typeof rows>();
  for (const r of rows) byClip.set(r.clip_id, [...(byClip.get(r.clip_id) ?? []), r]);
  const out: string[] = [];
  for (const [clip, h] of byClip) for (const r of standingOnly ? standingEvents(h) : h) out.push(JSON.stringify([keys.get(clip), r.annotator, r.action, r.label, r.created_at]));
  return out.sort();
}

const clipKeys = CLIPS.map((c) => `${c.hash}@${c.seg?.[0] ?? '-'}`);

function randomHistory(rng: () => number, count: number, t0: number): Decision[] {
  const actions: AnnotationAction[] = ['accept', 'relabel', 'relabel', 'reject', 'undo', 'new-class'];
  return Array.from({ length: count }, (_, i) => {
    const action = actions[Math.floor(rng() * actions.length)];
    const label = action === 'undo' ? null : action === 'new-class' ? 'awe' : CLASSES[Math.floor(rng() * CLASSES.length)];
    return {
      clip: clipKeys[Math.floor(rng() * clipKeys.length)],
      annotator: ['ann', 'bob', 'cy'][Math.floor(rng() * 3)],
      action, label,
      at: new Date(t0 + i * 1000 + Math.floor(rng() * 900)).toISOString(),
    };
  });
}

/** The expected union as a multiset: a decision held k times somewhere is held max(k) times after the merge. */
function union(...sets: string[][]): string[] {
  const max = new Map<string, number>();
  for (const s of sets) {
    const c = new Map<string, number>();
    for (const k of s) c.set(k, (c.get(k) ?? 0) + 1);
    for (const [k, v] of c) max.set(k, Math.max(max.get(k) ?? 0, v));
  }
  return [...max].flatMap(([k, v]) => Array(v).fill(k)).sort();
}

describe('merge', () => {
  it('adds the decisions of a copy by content hash, with author and time, and re-merging adds nothing', () => {
    const into = copy([0, 1, 2, 3], 'lab');
    const from = copy([3, 2, 1, 0], 'laptop', true);
    into.annotate(1, { annotator: 'ann', action: 'accept', label: 'anger' });
    // On the laptop, bob answers the same clip differently (a conflict), and a clip the lab project lacks.
    const bobAt = new Date(Date.now() + 60_000).toISOString();
    append(from, [
      { clip: 'h-a@-', annotator: 'bob', action: 'relabel', label: 'fear', at: bobAt },
      { clip: 'h-c@1.5', annotator: 'bob', action: 'new-class', label: 'awe', at: bobAt },
      { clip: 'h-b@-', annotator: 'bob', action: 'relabel', label: 'joy', at: bobAt },
      { clip: 'h-b@-', annotator: 'bob', action: 'undo', label: null, at: bobAt },
    ]);
    const onlyThere = from.db.prepare("SELECT id FROM clips WHERE hash = 'h-only-here'").pluck().get() as number;
    from.annotate(onlyThere, { annotator: 'bob', action: 'accept', label: 'joy' });
    from.close();

    const r = mergeProjects(into, [from.file]);
    expect(r.sources[0]).toMatchObject({ decisions: 5, undone: 2, added: 2, alreadyThere: 0, unmatched: 1 });
    expect(r.classesAdded).toEqual(['awe']);
    const a = into.findClipsByHash('h-a')[0];
    expect(into.clipHistory(a.id).map((h) => [h.annotator, h.action, h.label])).toEqual([['ann', 'accept', 'anger'], ['bob', 'relabel', 'fear']]);
    expect(into.clipHistory(a.id)[1].createdAt).toBe(bobAt);
    expect(into.clipHistory(a.id)[1].modelVersionId).toBeNull();
    // The current label follows the merged history under the rule of several annotators (current-label.ts):
    // ann says anger, bob fear, a tie, so the clip is unresolved (no label) until someone adjudicates.
    const rowA = into.db.prepare('SELECT current_label, reviewed FROM clips WHERE id = ?').get(a.id);
    expect(rowA).toEqual({ current_label: null, reviewed: 1 });
    expect(into.findClipsByHash('h-b').map((c) => into.clipHistory(c.id).length)).toEqual([0]);

    const again = mergeProjects(into, [from.file]);
    expect(again.added).toBe(0);
    expect(again.sources[0]).toMatchObject({ added: 0, alreadyThere: 2, unmatched: 1 });
    into.close();
    expect(checkProject(into.file).ok).toBe(true);
  });

  it("lands a copy's answers under the name the open project gave a class since (rename or merge), once", () => {
    const into = copy([0, 1, 2, 3], 'lab');
    const from = copy([0, 1, 2, 3], 'laptop');
    into.changeClass('rename', 'fear', 'scared', 'curator');
    const at = new Date(Date.now() + 60_000).toISOString();
    append(from, [{ clip: 'h-a@-', annotator: 'bob', action: 'relabel', label: 'fear', at }]);
    from.close();
    const r = mergeProjects(into, [from.file]);
    expect(r.sources[0]).toMatchObject({ added: 1, renamed: 1 });
    expect(r.classesAdded).toEqual([]); // no class "fear" comes back
    const a = into.findClipsByHash('h-a')[0];
    expect(into.clipHistory(a.id).map((h) => [h.annotator, h.label])).toEqual([['bob', 'scared']]);
    expect(into.classes().map((c) => c.name)).not.toContain('fear');
    const again = mergeProjects(into, [from.file]);
    expect(again.sources[0]).toMatchObject({ added: 0, alreadyThere: 1, renamed: 0 });
    into.close();
    expect(checkProject(into.file).ok).toBe(true);
  });

  it('refuses to merge a project into itself and a source that is not a project, changing nothing', () => {
    const into = copy([0, 1, 2, 3], 'lab');
    const from = copy([0, 1, 2, 3], 'b');
    append(from, [{ clip: 'h-a@-', annotator: 'bob', action: 'accept', label: 'anger', at: '2026-01-01T00:00:00.000Z' }]);
    from.close();
    expect(() => mergeProjects(into, [from.file, join(dir, 'nope.eodn')])).toThrow(/no such project/);
    expect(() => mergeProjects(into, [into.file])).toThrow(/into itself/);
    expect(history(into)).toEqual([]);
    into.close();
  });

  it('is one transaction: a decision that cannot be added leaves the target as it was', () => {
    const into = copy([0, 1, 2, 3], 'lab');
    const from = copy([0, 1, 2, 3], 'b');
    append(from, [
      { clip: 'h-a@-', annotator: 'bob', action: 'accept', label: 'anger', at: '2026-01-01T00:00:00.000Z' },
      // A class name the store refuses (over 100 characters), given after a valid answer.
      { clip: 'h-b@-', annotator: 'bob', action: 'new-class', label: 'x'.repeat(101), at: '2026-01-01T00:00:01.000Z' },
    ]);
    from.close();
    expect(() => mergeProjects(into, [from.file])).toThrow(/longer than 100/);
    expect(history(into)).toEqual([]);
    expect(into.classes().map((c) => c.name)).toEqual(CLASSES);
    into.close();
  });

  it('property: random histories merged in any order give their union, and merging again adds nothing', () => {
    const rng = makeRng(20261204);
    for (let trial = 0; trial < 12; trial++) {
      const t0 = Date.UTC(2026, 0, 1) + trial * 1e7;
      // Copies handed out after some shared work: a common history, then each annotator's own.
      const shared = randomHistory(rng, Math.floor(rng() * 6), t0);
      const copies = Array.from({ length: 3 }, (_, i) => {
        const order = [0, 1, 2, 3];
        shuffleInPlace(order, rng);
        const c = copy(order, `copy${i}`);
        append(c, [...shared, ...randomHistory(rng, 1 + Math.floor(rng() * 10), t0 + 1e6 * (i + 1))]);
        return c;
      });
      const sets = copies.map((c) => history(c, true));
      const files = copies.map((c) => c.file);
      copies.forEach((c) => c.close());

      for (let perm = 0; perm < 3; perm++) {
        const into = copy([3, 1, 0, 2], `into${perm}`);
        const own = randomHistory(rng, Math.floor(rng() * 5), t0 + 9e6);
        append(into, own);
        const before = history(into);
        const order = [...files];
        shuffleInPlace(order, rng);
        // Merged one at a time, or all at once.
        if (perm === 0) mergeProjects(into, order);
        else for (const f of order) mergeProjects(into, [f]);
        const merged = history(into);
        expect(merged).toEqual(union(before, ...sets));
        const again = mergeProjects(into, order);
        expect(again.added).toBe(0);
        expect(history(into)).toEqual(merged);
        into.close();
        expect(checkProject(into.file).problems).toEqual([]);
      }
    }
  });
});
