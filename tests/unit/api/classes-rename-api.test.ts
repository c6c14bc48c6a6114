// classes.rename and classes.merge through the API (issue 18, item 4), on the demo project with a model:
// the clips change label and say so (labels.changed, project.changed), the old name leaves every list one
// chooses from, the model keeps its class names and its suggestions are read (Library) and accepted under the
// new name, and `eodn check` stays clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipPrediction, Method, MethodResults } from '../../../shared/api';
import type { ClipRow, Decision, ProjectInfo } from '../../../shared/domain';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { StudioService } from '../../../src-main/api/studio-service';
import { checkProject } from '../../../src-main/store/check';
import { tempDir } from '../store/helpers';

let service: StudioService;
const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;
const classNames = async () => (await call<MethodResults['classes.list']>('classes.list', {})).classes.map((c) => c.name);
const countOf = async (name: string) => (await call<MethodResults['classes.list']>('classes.list', {})).classes.find((c) => c.name === name)?.clips;

beforeAll(async () => {
  const dataDir = tempDir('eodn-rename-api-');
  service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  await openDemoProject(service, dataDir, { autoTrain: false });
  // A model that knows "anger", with its suggestion on the first clips (what training would store).
  const store = service.currentStore!;
  const v = store.insertModelVersion({ parentId: null, name: 'v1', classes: ['anger', 'sadness'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
  const ids = store.clipIds().slice(0, 4);
  const decision = (label: string | null, top1: number): Decision => ({ kind: label ? 'accepted' : 'unknown', top1, top2: 1 - top1, p1: 0.9, p2: 0.1, eta: 0.8, mu: 0.5, delta: 0.1, label, reason: '' });
  store.upsertPredictions(
    v.id,
    ids.map((clipId, i) => ({ clipId, probs: i % 2 ? [0.1, 0.9] : [0.9, 0.1], decision: i % 2 ? decision('sadness', 1) : decision('anger', 0), pad: null, nearest: [] })),
  );
  store.setActiveModelVersion(v.id);
}, 120_000);
afterAll(() => service.shutdown());

describe('classes.rename and classes.merge', () => {
  it('renames a class the model knows; its suggestions are read and accepted under the new name', async () => {
    const events: string[] = [];
    service.on('labels.changed', () => events.push('labels'));
    let info: ProjectInfo | null = null;
    service.on('project.changed', (p) => (info = p));
    const anger = await countOf('anger');
    expect(anger).toBeGreaterThan(0);
    const r = await call<MethodResults['classes.rename']>('classes.rename', { name: 'anger', to: 'rage', annotator: 'lead' });
    expect(r).toMatchObject({ from: 'anger', to: 'rage', clips: anger, keptOldClass: true });
    expect(events).toContain('labels');
    expect(info!.classes.map((c) => c.name)).not.toContain('anger');
    expect(await classNames()).not.toContain('anger');
    expect(await countOf('rage')).toBe(anger);
    const rage = (await call<MethodResults['classes.list']>('classes.list', {})).classes.find((c) => c.name === 'rage')!;
    expect(rage.formerNames).toEqual(['anger']);

    const active = service.currentStore!.activeModelVersionId()!;
    expect(service.currentStore!.getModelVersion(active).classes).toContain('anger');
    const rows = (await call<{ rows: ClipRow[] }>('clips.list', { offset: 0, limit: 200 })).rows;
    expect(rows.some((row) => row.predicted === 'rage')).toBe(true);
    expect(rows.some((row) => row.predicted === 'anger')).toBe(false);
    // Accepting the model's own "anger" labels the clip "rage".
    const clip = rows.find((row) => row.predicted === 'rage')!;
    const p = await call<ClipPrediction>('predictions.forClip', { clipId: clip.id });
    // The decision panel shows the model's classes under their names now; the version keeps its own.
    expect(p.classes).toEqual(['rage', 'sadness']);
    expect(p.decision.label).toBe('rage');
    const res = await call<MethodResults['annotations.add']>('annotations.add', { clipId: clip.id, action: 'accept', label: 'anger', annotator: 'lead' });
    expect(res.currentLabel).toBe('rage');

    await expect(call('classes.rename', { name: 'rage', to: 'sadness' })).rejects.toMatchObject({ message: expect.stringContaining('merge') });
  });

  it('merges one class into another and deletes nothing a model still knows', async () => {
    const boredom = (await countOf('boredom'))!;
    const sadness = (await countOf('sadness'))!;
    const r = await call<MethodResults['classes.merge']>('classes.merge', { name: 'boredom', into: 'sadness', annotator: 'lead' });
    expect(r.clips).toBe(boredom);
    expect(await countOf('sadness')).toBe(sadness + boredom);
    expect(await classNames()).not.toContain('boredom');
    const file = service.currentStore!.file;
    const report = checkProject(file);
    expect(report.problems).toEqual([]);
  });
});
