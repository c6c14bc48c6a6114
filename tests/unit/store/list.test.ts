import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchStore } from '../../../src-main/bench/store';
import { checkProject } from '../../../src-main/store/check';
import { ProjectStore } from '../../../src-main/store/project-store';
import { populateSynthetic, SYNTHETIC_CLASSES } from '../../../src-main/bench/synthetic-project';
import { tempDir } from './helpers';

const dir = tempDir();
const N = 100_000;
let store: ProjectStore;

beforeAll(() => {
  store = ProjectStore.create(join(dir, 'big.eodn'), { name: 'big' });
  populateSynthetic(store, { clips: N, predictions: true, annotateEvery: 10 });
});
afterAll(() => store.close());

describe('listClipRows on a 100,000-clip project', () => {
  it('pages, counts, filters and sorts correctly', () => {
    const all = store.listClipRows({ offset: 0, limit: 100 });
    expect(all.total).toBe(N);
    expect(all.rows).toHaveLength(100);
    // Sorted by name: clip-000000 … in order.
    expect(all.rows.slice(0, 3).map((r) => r.name)).toEqual(['clip-000000.wav', 'clip-000001.wav', 'clip-000002.wav']);
    const deep = store.listClipRows({ offset: 99_990, limit: 100, sort: { by: 'name', dir: 'asc' } });
    expect(deep.rows.map((r) => r.name).at(-1)).toBe('clip-099999.wav');
    expect(deep.rows).toHaveLength(10);

    const byConf = store.listClipRows({ offset: 50_000, limit: 200, sort: { by: 'confidence', dir: 'desc' } }).rows;
    for (let i = 1; i < byConf.length; i++) expect(byConf[i - 1].confidence!).toBeGreaterThanOrEqual(byConf[i].confidence!);

    const reviewed = store.listClipRows({ offset: 0, limit: 10, filter: { reviewed: true } });
    expect(reviewed.total).toBe(N / 10);
    expect(reviewed.rows.every((r) => r.reviewed && r.currentLabel === SYNTHETIC_CLASSES[r.id % 3])).toBe(true);

    // Against a direct count in SQL.
    const q = { decision: 'accepted' as const, minConfidence: 0.2, maxConfidence: 0.3, speaker: 'spk7' };
    const got = store.listClipRows({ offset: 0, limit: 10_000, filter: q, sort: { by: 'duration', dir: 'asc' } });
    const want = store.db
      .prepare(
        `SELECT COUNT(*) FROM predictions p JOIN clips c ON c.id = p.clip_id WHERE p.model_version_id = 1 AND p.decision_kind = 'accepted'
         AND p.confidence BETWEEN 0.2 AND 0.3 AND c.speaker = 'spk7'`,
      )
      .pluck()
      .get();
    expect(got.total).toBe(want);
    expect(got.rows).toHaveLength(got.total);
    expect(got.rows.every((r) => r.decision === 'accepted' && r.speaker === 'spk7' && r.confidence! >= 0.2 && r.confidence! <= 0.3)).toBe(true);
    for (let i = 1; i < got.rows.length; i++) expect(got.rows[i - 1].durationSec).toBeLessThanOrEqual(got.rows[i].durationSec);

    const labelNull = store.listClipRows({ offset: 0, limit: 5, filter: { label: null } });
    expect(labelNull.total).toBe(store.db.prepare('SELECT COUNT(*) FROM clips WHERE current_label IS NULL').pluck().get());
    const search = store.listClipRows({ offset: 0, limit: 50, filter: { search: '01234' } });
    const names = Array.from({ length: N }, (_, i) => `clip-${String(i).padStart(6, '0')}.wav`).filter((x) => x.includes('01234'));
    expect(search.total).toBe(names.length);
    expect(search.rows.map((r) => r.name)).toEqual(names);
    // LIKE wildcards in the search text are literal.
    expect(store.listClipRows({ offset: 0, limit: 5, filter: { search: '%' } }).total).toBe(0);
    // By ids (Discover's groups): exactly those clips, with the other filters still applied.
    const ids = [3, 17, 250, 9999];
    expect(store.listClipRows({ offset: 0, limit: 50, filter: { ids } }).rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([3, 17, 250, 9999].filter((id) => store.getClip(id)));
    expect(store.listClipRows({ offset: 0, limit: 50, filter: { ids: [] } }).total).toBe(0);
  });

  it('uses indexes for the listing (no full sort for name or confidence order)', () => {
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT id FROM clips c ORDER BY c.name ASC NULLS LAST, c.id ASC LIMIT 100')).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT id FROM clips c ORDER BY c.active_confidence DESC NULLS LAST, c.id DESC LIMIT 100')).not.toMatch(/TEMP B-TREE/);
  });

  it('stays consistent under checkProject, and benchStore reports its numbers', () => {
    expect(checkProject(store.file)).toMatchObject({ ok: true });
    const b = benchStore({ clips: 2000, dir });
    expect(b.clips).toBe(2000);
    for (const k of ['importSec', 'predictionsSec', 'openSec', 'listSec'] as const) expect(b[k]).toBeGreaterThan(0);
  });
});

describe('clipName', () => {
  it('names segments by zero-padded times, so that sorting by name keeps a recording in time order', async () => {
    const { clipName } = await import('../../../src-main/store/clips');
    expect(clipName('/a/b/take.wav')).toBe('take.wav');
    const names = [[0.1, 1.6], [12.07, 15.46], [100.03, 103.77], [599.999, 601]].map(([s, e]) => clipName('/x/rec.wav', s, e, 900));
    expect(names).toEqual(['rec.wav#00:00.10-00:01.60', 'rec.wav#00:12.07-00:15.46', 'rec.wav#01:40.03-01:43.77', 'rec.wav#10:00.00-10:01.00']);
    expect([...names].sort()).toEqual(names);
    expect(clipName('/x/day.wav', 3725.5, 3727, 7200)).toBe('day.wav#1:02:05.50-1:02:07.00');
    expect(clipName('/x/day.wav', 5, 7, 7200)).toBe('day.wav#0:00:05.00-0:00:07.00');
  });
});
