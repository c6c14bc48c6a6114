// Several annotators through the API (issue 14): the name a data folder records answers under (app.info,
// app.setAnnotator, kept across restarts), the Library's annotator filter and list (a standing answer: undone
// ones do not count, a reject does), and agreement.report on the demo project against a case computed by hand.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgreementResult, AppInfo, Method } from '../../../shared/api';
import type { ClipRow } from '../../../shared/domain';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { StudioService } from '../../../src-main/api/studio-service';
import { tempDir } from '../store/helpers';

let dataDir: string;
let service: StudioService;
const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;

beforeAll(async () => {
  dataDir = tempDir('eodn-agreement-api-');
  service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  await openDemoProject(service, dataDir, { autoTrain: false });
});
afterAll(() => service.shutdown());

describe('the annotator name of a data folder', () => {
  it('is null until chosen, then kept in the data folder across studios', async () => {
    expect((await call<AppInfo>('app.info', {})).annotator).toBeNull();
    expect(await call('app.setAnnotator', { name: '  Ada  ' })).toEqual({ annotator: 'Ada' });
    expect((await call<AppInfo>('app.info', {})).annotator).toBe('Ada');
    expect(existsSync(join(dataDir, 'annotator.json'))).toBe(true);
    const other = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    expect(((await other.dispatch('app.info', {})) as AppInfo).annotator).toBe('Ada');
    await expect(call('app.setAnnotator', { name: '   ' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe('answers of several annotators', () => {
  let ids: number[];

  beforeAll(async () => {
    ids = (await call<{ rows: ClipRow[] }>('clips.list', { offset: 0, limit: 6, sort: { by: 'name', dir: 'asc' } })).rows.map((r) => r.id);
    const store = service.currentStore!;
    const answer = (who: string, labels: string[]) => store.annotateMany(labels.map((label, i) => ({ clipId: ids[i], action: 'relabel' as const, label, annotator: who })));
    // By hand: alice and bob agree on clips 1, 3 and 4 and differ on clip 2.
    answer('alice', ['anger', 'anger', 'sadness', 'sadness']);
    answer('bob', ['anger', 'sadness', 'sadness', 'sadness']);
    // bob's answer on clip 5 is undone at once: it does not stand. carol only rejects (no class named).
    store.annotate(ids[4], { action: 'relabel', label: 'anger', annotator: 'bob' });
    store.annotate(ids[4], { action: 'undo', annotator: 'bob' });
    store.annotate(ids[5], { action: 'reject', label: null, annotator: 'carol' });
    // Through the API too: a call that names no one is recorded as "annotator".
    await call('annotations.add', { clipId: ids[5], action: 'reject', label: null });
  });

  it('lists every annotator with a standing answer, and filters the Library by one', async () => {
    const { annotators } = await call<{ annotators: { name: string; clips: number }[] }>('annotations.annotators', {});
    expect(annotators).toEqual([
      { name: 'alice', clips: 4 },
      { name: 'annotator', clips: 1 },
      { name: 'bob', clips: 4 },
      { name: 'carol', clips: 1 },
    ]);
    const list = (annotator: string) => call<{ rows: ClipRow[]; total: number }>('clips.list', { offset: 0, limit: 100, filter: { annotator }, sort: { by: 'name', dir: 'asc' } });
    expect((await list('bob')).rows.map((r) => r.id)).toEqual(ids.slice(0, 4));
    expect((await list('carol')).rows.map((r) => r.id)).toEqual([ids[5]]);
    expect(await list('nobody')).toEqual({ rows: [], total: 0 });
    // With the other filters: the label is the clip's current one (clips 3 and 4; on clip 2 alice and bob differ,
    // a tie the label rule leaves unresolved, without a label, until someone adjudicates).
    const both = await call<{ total: number }>('clips.list', { offset: 0, limit: 100, filter: { annotator: 'alice', label: 'sadness' } });
    expect(both.total).toBe(2);
  });

  it('reports agreement: alpha 8/15, Fleiss 7/15, Cohen 1/2 on the hand-computed case', async () => {
    const r = await call<AgreementResult>('agreement.report', {});
    // carol's reject names no class: she casts no vote.
    expect(r.annotators).toEqual([
      { name: 'alice', clips: 4 },
      { name: 'bob', clips: 4 },
    ]);
    expect(r.clips).toBe(4);
    expect(r.pairableClips).toBe(4);
    // Coincidences: anger-anger 2, sadness-sadness 4, anger-sadness 1 + 1; n = 8, n_anger = 3, n_sadness = 5.
    // D_o = 2/8, D_e = 2·3·5 / (8·7) = 30/56, α = 1 − (2/8)/(30/56) = 8/15.
    expect(r.krippendorffAlpha).toBeCloseTo(8 / 15, 12);
    // P̄ = 3/4, p = (3/8, 5/8), P̄_e = 34/64, κ = (3/4 − 34/64) / (1 − 34/64) = 7/15.
    expect(r.fleissKappa).toBeCloseTo(7 / 15, 12);
    expect(r.observedAgreement).toBeCloseTo(3 / 4, 12);
    expect(r.expectedAgreement).toBeCloseTo(34 / 64, 12);
    // alice 2 anger / 2 sadness, bob 1 / 3: p_o = 3/4, p_e = (2·1 + 2·3)/16 = 1/2, κ = 1/2.
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]).toMatchObject({ a: 'alice', b: 'bob', clips: 4, agreement: 0.75 });
    expect(r.pairs[0].kappa).toBeCloseTo(0.5, 12);
    const cls = Object.fromEntries(r.perClass.map((c) => [c.name, c]));
    expect(cls.anger.share).toBeCloseTo(3 / 8, 12);
    expect(cls.anger.specificAgreement).toBeCloseTo(2 / 3, 12);
    expect(cls.sadness.specificAgreement).toBeCloseTo(4 / 5, 12);
    expect(cls.anger.kappa).toBeCloseTo(7 / 15, 12);
    // A class nobody chose has no per-class figure (null, not NaN: it must survive JSON).
    expect(cls.fear).toEqual({ name: 'fear', share: 0, kappa: null, specificAgreement: null });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('agreement.report without answers', () => {
  it('names no annotator and leaves every figure null', async () => {
    const dir = tempDir('eodn-agreement-empty-');
    const s = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    try {
      await openDemoProject(s, dir, { autoTrain: false });
      const r = (await s.dispatch('agreement.report', {})) as AgreementResult;
      expect(r).toMatchObject({ annotators: [], clips: 0, pairableClips: 0, krippendorffAlpha: null, fleissKappa: null, pairs: [] });
    } finally {
      await s.shutdown();
    }
  });
});
