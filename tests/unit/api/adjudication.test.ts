// Adjudication (issue 14): the label rule with several annotators (adjudicated, else majority, else unresolved;
// src-main/store/current-label.ts) case by case, the store keeping it (every write path, `eodn check`, the v5
// migration), and the API: annotations.votes, the Disagreements filter, an adjudicating answer, projects.merge.
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgreementResult, ClipVotes, MergeResult, Method } from '../../../shared/api';
import type { ClipRow } from '../../../shared/domain';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { StudioService } from '../../../src-main/api/studio-service';
import { checkProject } from '../../../src-main/store/check';
import { resolveLabel, type LabelEvent } from '../../../src-main/store/current-label';
import { importDataset } from '../../../src-main/store/import';
import { migrate, SCHEMA_VERSION } from '../../../src-main/store/migrations';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

type Ev = [annotator: string, action: LabelEvent['action'], label: string | null, adjudicated?: boolean];
const h = (...events: Ev[]): LabelEvent[] => events.map(([annotator, action, label, adjudicated]) => ({ annotator, action, label, adjudicated }));
const rule = (importLabel: string | null, ...events: Ev[]) => {
  const r = resolveLabel(importLabel, h(...events));
  return [r.rule, r.currentLabel, r.reviewed];
};

describe('the label rule', () => {
  it('no answer: the import label, not reviewed', () => {
    expect(rule('anger')).toEqual(['none', 'anger', false]);
    expect(rule('anger', ['ann', 'relabel', 'joy'], ['ann', 'undo', null])).toEqual(['none', 'anger', false]);
  });

  it('one annotator: their latest answer, a reject falling back to the import label as before', () => {
    expect(rule('anger', ['ann', 'relabel', 'joy'])).toEqual(['single', 'joy', true]);
    expect(rule('anger', ['ann', 'relabel', 'joy'], ['ann', 'relabel', 'fear'])).toEqual(['single', 'fear', true]);
    expect(rule('anger', ['ann', 'reject', 'anger'])).toEqual(['single', null, true]);
    expect(rule('anger', ['ann', 'reject', 'joy'])).toEqual(['single', 'anger', true]);
    // Events that name no annotator are one annotator's (callers that know only action and label).
    expect(resolveLabel('anger', [{ action: 'relabel', label: 'joy' }, { action: 'relabel', label: 'fear' }]).currentLabel).toBe('fear');
  });

  it('several annotators: the label with the most votes, whoever answered last', () => {
    expect(rule(null, ['a', 'relabel', 'joy'], ['b', 'relabel', 'joy'], ['c', 'relabel', 'fear'])).toEqual(['majority', 'joy', true]);
    // A plurality is enough: 2 of 4 beats 1 and 1.
    expect(rule(null, ['a', 'relabel', 'joy'], ['b', 'relabel', 'joy'], ['c', 'relabel', 'fear'], ['d', 'accept', 'anger'])).toEqual(['majority', 'joy', true]);
    // Each annotator's latest standing answer is their one vote.
    expect(rule(null, ['a', 'relabel', 'fear'], ['a', 'relabel', 'joy'], ['b', 'relabel', 'joy'])).toEqual(['majority', 'joy', true]);
    // A reject names no class: no vote (b's reject does not outvote a's answer).
    expect(rule('anger', ['a', 'relabel', 'joy'], ['b', 'reject', 'joy'])).toEqual(['majority', 'joy', true]);
  });

  it('a tie is unresolved: no label, reviewed', () => {
    expect(rule('anger', ['a', 'relabel', 'joy'], ['b', 'relabel', 'fear'])).toEqual(['unresolved', null, true]);
    expect(rule(null, ['a', 'relabel', 'joy'], ['b', 'relabel', 'fear'], ['c', 'new-class', 'awe'])).toEqual(['unresolved', null, true]);
    // Undoing b's vote leaves a alone: a majority of one.
    expect(rule(null, ['a', 'relabel', 'joy'], ['b', 'relabel', 'fear'], ['b', 'undo', null])).toEqual(['single', 'joy', true]);
  });

  it('an adjudication decides, whatever the votes and later answers; undoing it goes back to the votes', () => {
    const votes: Ev[] = [['a', 'relabel', 'joy'], ['b', 'relabel', 'joy'], ['c', 'relabel', 'fear']];
    expect(rule(null, ...votes, ['lead', 'relabel', 'fear', true])).toEqual(['adjudicated', 'fear', true]);
    expect(rule(null, ...votes, ['lead', 'relabel', 'fear', true], ['d', 'relabel', 'joy'])).toEqual(['adjudicated', 'fear', true]);
    expect(rule(null, ...votes, ['lead', 'relabel', 'fear', true], ['lead', 'undo', null])).toEqual(['majority', 'joy', true]);
    // The adjudicator's own vote stays a vote; the adjudication is not one.
    const r = resolveLabel(null, h(['a', 'relabel', 'joy'], ['b', 'relabel', 'fear'], ['a', 'relabel', 'fear', true]));
    expect(r.votes).toEqual([{ annotator: 'a', label: 'joy' }, { annotator: 'b', label: 'fear' }]);
    expect(r.adjudication).toEqual({ annotator: 'a', label: 'fear' });
  });
});

describe('the store keeps the rule', () => {
  const dir = tempDir('eodn-adjudication-');

  it('refuses an adjudication that names no class, and `eodn check` stays valid', async () => {
    const file = join(dir, 'a.eodn');
    const store = ProjectStore.create(file, { name: 'a' });
    await importDataset(store, DEMO_MANIFEST);
    const [c1, c2] = store.listClipRows({ offset: 0, limit: 2, sort: { by: 'name', dir: 'asc' } }).rows.map((r) => r.id);
    store.annotate(c1, { annotator: 'a', action: 'relabel', label: 'anger' });
    store.annotate(c1, { annotator: 'b', action: 'relabel', label: 'sadness' });
    expect(() => store.annotate(c1, { annotator: 'lead', action: 'reject', label: 'anger', adjudicated: true })).toThrow(/adjudication names a class/);
    expect(() => store.annotate(c1, { annotator: 'lead', action: 'undo', adjudicated: true })).toThrow(/adjudication names a class/);
    const label = () => store.db.prepare('SELECT current_label FROM clips WHERE id = ?').pluck().get(c1);
    expect(label()).toBeNull();
    const adj = store.annotate(c1, { annotator: 'lead', action: 'relabel', label: 'sadness', adjudicated: true });
    expect(adj.adjudicated).toBe(true);
    expect(label()).toBe('sadness');
    store.annotate(c1, { annotator: 'c', action: 'relabel', label: 'anger' });
    expect(label()).toBe('sadness');
    store.annotate(c2, { annotator: 'a', action: 'relabel', label: 'anger' });
    expect(store.clipHistory(c2)[0]).not.toHaveProperty('adjudicated');
    // The history stays append-only with the new column.
    expect(() => store.db.prepare('UPDATE annotations SET adjudicated = 0').run()).toThrow(/append-only/);
    expect(() => store.db.prepare("INSERT INTO annotations (clip_id, annotator, action, label, created_at, adjudicated) VALUES (?, 'x', 'undo', NULL, '2026-01-01', 1)").run(c2)).toThrow(
      /CHECK/,
    );
    store.close();
    expect(checkProject(file)).toMatchObject({ ok: true, problems: [] });
  });

  it('v5 re-derives the labels of a project whose annotators disagree (the latest answer no longer wins)', () => {
    const file = join(dir, 'old.eodn');
    const db = new Database(file);
    migrate(db, SCHEMA_VERSION - 1);
    const now = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO meta VALUES ('name', 'old'), ('created_at', ?)").run(now);
    db.prepare("INSERT INTO clips (path, name, hash, size_bytes, duration_sec, sample_rate, channels, import_label, added_at, current_label, reviewed) VALUES ('/x.wav', 'x.wav', 'h', 1, 1, 16000, 1, NULL, ?, 'fear', 1)").run(now);
    db.prepare("INSERT INTO classes VALUES ('joy', NULL, NULL, NULL, 'manual', ?), ('fear', NULL, NULL, NULL, 'manual', ?)").run(now, now);
    const ann = db.prepare("INSERT INTO annotations (clip_id, annotator, action, label, created_at) VALUES (1, ?, 'relabel', ?, ?)");
    ann.run('a', 'joy', now);
    ann.run('b', 'joy', now);
    ann.run('c', 'fear', now);
    db.close();
    expect(checkProject(file).ok).toBe(false);
    const s = ProjectStore.open(file);
    expect(s.db.prepare('SELECT current_label FROM clips').pluck().get()).toBe('joy');
    s.close();
    expect(checkProject(file)).toMatchObject({ ok: true, version: SCHEMA_VERSION });
  });
});

describe('adjudication through the API', () => {
  let dataDir: string;
  let service: StudioService;
  let ids: number[];
  let copies: string[];
  const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;
  const votesOf = async (clipIds: number[]) => (await call<{ clips: ClipVotes[] }>('annotations.votes', { clipIds })).clips;

  beforeAll(async () => {
    dataDir = tempDir('eodn-adjudication-api-');
    service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    const demo = await openDemoProject(service, dataDir, { autoTrain: false });
    ids = (await call<{ rows: ClipRow[] }>('clips.list', { offset: 0, limit: 4, sort: { by: 'name', dir: 'asc' } })).rows.map((r) => r.id);
    // Two annotators' copies of the demo (the same audio), each with its own answers.
    copies = ['bob', 'carol'].map((who) => join(dataDir, `${who}.eodn`));
    const open = service.currentStore!;
    open.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const [i, who] of ['bob', 'carol'].entries()) {
      copyFileSync(demo, copies[i]);
      const s = ProjectStore.open(copies[i]);
      const labels = who === 'bob' ? ['anger', 'sadness', 'boredom'] : ['anger', 'happiness', 'neutral'];
      s.annotateMany(labels.map((label, k) => ({ clipId: ids[k], action: 'relabel' as const, label, annotator: who })));
      s.close();
    }
    await call('annotations.addMany', { clipIds: ids.slice(0, 2), action: 'relabel', label: 'sadness', annotator: 'ada' });
  });
  afterAll(() => service.shutdown());

  it('projects.merge brings the copies in, reports what it did, and adds nothing the second time', async () => {
    const events: number[] = [];
    const off = service.on('labels.changed', (e) => events.push(e.count));
    const r = await call<MergeResult>('projects.merge', { files: copies });
    expect(r.added).toBe(6);
    expect(r.sources.map((s) => [s.added, s.alreadyThere, s.unmatched])).toEqual([
      [3, 0, 0],
      [3, 0, 0],
    ]);
    expect(events).toEqual([3]);
    const again = await call<MergeResult>('projects.merge', { files: [copies[1], ` ${copies[0]} `] });
    expect(again.added).toBe(0);
    expect(again.sources.map((s) => s.alreadyThere)).toEqual([3, 3]);
    expect(events).toEqual([3]);
    off();
    await expect(call('projects.merge', { files: ['relative.eodn'] })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('projects.merge', { files: [join(dataDir, 'nope.eodn')] })).rejects.toMatchObject({ code: 'bad-request', message: /no project file/ });
    await expect(call('projects.merge', { files: [service.currentStore!.file] })).rejects.toMatchObject({ code: 'bad-request', message: /open project/ });
    await expect(call('projects.merge', { files: [] })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('shows each vote and the rule, and lists the disagreements', async () => {
    // clip 1: anger ×2 + sadness → majority; clip 2: sadness ×2 + happiness → majority;
    // clip 3: boredom vs neutral → unresolved; clip 4: nobody.
    const v = await votesOf(ids);
    expect(v.map((x) => [x.rule, x.label, x.disagreement])).toEqual([
      ['majority', 'anger', true],
      ['majority', 'sadness', true],
      ['unresolved', null, true],
      ['none', expect.any(String), false],
    ]);
    expect(v[0].votes).toEqual([
      { annotator: 'ada', label: 'sadness' },
      { annotator: 'bob', label: 'anger' },
      { annotator: 'carol', label: 'anger' },
    ]);
    const list = await call<{ rows: ClipRow[]; total: number }>('clips.list', { offset: 0, limit: 100, filter: { disagreement: true }, sort: { by: 'name', dir: 'asc' } });
    expect(list.rows.map((r) => [r.id, r.currentLabel])).toEqual([
      [ids[0], 'anger'],
      [ids[1], 'sadness'],
      [ids[2], null],
    ]);
    const others = await call<{ total: number }>('clips.list', { offset: 0, limit: 1, filter: { disagreement: false } });
    expect(others.total).toBe(service.currentStore!.info().clipCount - 3);
    await expect(votesOf([999_999])).rejects.toMatchObject({ code: 'not-found' });
  });

  it('an adjudicating answer decides the label, is not a vote in the agreement, and can be undone', async () => {
    const before = await call<AgreementResult>('agreement.report', {});
    const res = await call<{ currentLabel: string | null; annotation: { adjudicated?: true } }>('annotations.add', {
      clipId: ids[2],
      action: 'relabel',
      label: 'neutral',
      annotator: 'lead',
      adjudicated: true,
    });
    expect(res.currentLabel).toBe('neutral');
    expect(res.annotation.adjudicated).toBe(true);
    const [v] = await votesOf([ids[2]]);
    expect(v).toMatchObject({ rule: 'adjudicated', label: 'neutral', adjudication: { annotator: 'lead', label: 'neutral' }, disagreement: true });
    // Still a disagreement (the votes differ), now settled; the adjudicator is no annotator of the agreement.
    expect((await call<{ total: number }>('clips.list', { offset: 0, limit: 1, filter: { disagreement: true } })).total).toBe(3);
    const after = await call<AgreementResult>('agreement.report', {});
    expect(after.annotators.map((a) => a.name)).toEqual(before.annotators.map((a) => a.name));
    expect(after.krippendorffAlpha).toBe(before.krippendorffAlpha);
    await expect(call('annotations.add', { clipId: ids[2], action: 'reject', label: 'neutral', adjudicated: true })).rejects.toMatchObject({ code: 'bad-request' });
    const undone = await call<{ currentLabel: string | null }>('annotations.add', { clipId: ids[2], action: 'undo', annotator: 'lead' });
    expect(undone.currentLabel).toBeNull();
    await call('annotations.add', { clipId: ids[2], action: 'relabel', label: 'boredom', annotator: 'lead', adjudicated: true });
    expect(checkProject(service.currentStore!.file)).toMatchObject({ ok: true, problems: [] });
  });
});
