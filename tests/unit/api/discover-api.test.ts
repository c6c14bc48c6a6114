// The discovery API: `annotations.addMany` records one answer for many clips in one transaction (all or
// nothing) and `discover.clusters` clusters the active version's unknowns, through StudioService.dispatch on
// the demo project.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type DiscoverResult, type Method, type MethodResults } from '../../../shared/api';
import { StudioService } from '../../../src-main/api/studio-service';
import { DEMO_KNOWN_CLASSES } from '../../../src-main/api/demo-project';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

describe('discovery API schemas', () => {
  it('rejects bad arguments with a bad-request that names the field', () => {
    const cases: [Method, unknown, RegExp][] = [
      ['annotations.addMany', { clipIds: [], action: 'relabel', label: 'anger' }, /clipIds/],
      ['annotations.addMany', { clipIds: [1], action: 'undo' }, /action/],
      ['annotations.addMany', { clipIds: [0], action: 'relabel', label: 'anger' }, /clipIds/],
      ['annotations.addMany', { clipIds: [1], action: 'relabel', label: '' }, /label/],
      ['discover.clusters', { apart: [{ clipId: 0, from: [1] }] }, /apart/],
      ['discover.clusters', { maxK: 4 }, /maxK|discover\.clusters/],
      ['discover.clusters', { decisions: ['maybe'] }, /decisions/],
      ['discover.clusters', { versionId: 0 }, /versionId/],
      ['discover.clusters', { extra: true }, /extra|discover\.clusters/],
    ];
    for (const [method, args, where] of cases) {
      expect(() => parseArgs(method, args), `${method} ${JSON.stringify(args)}`).toThrow(ApiError);
      try {
        parseArgs(method, args);
      } catch (e) {
        expect((e as ApiError).code).toBe('bad-request');
        expect((e as ApiError).message).toMatch(where);
      }
    }
  });
});

describe('discovery API on the demo project', () => {
  let service: StudioService;
  const call = <M extends Method>(m: M, args: unknown) => service.dispatch(m, args) as Promise<MethodResults[M]>;

  beforeAll(async () => {
    const file = join(tempDir('eodn-discover-api-'), 'demo.eodn');
    const store = ProjectStore.create(file, { name: 'demo' });
    await importDataset(store, DEMO_MANIFEST);
    store.close();
    service = new StudioService({ transport: 'browser', dataDir: tempDir('eodn-discover-data-'), version: 'test' });
    service.openProject(file);
  });
  afterAll(() => service.shutdown());

  it('has nothing to discover without a model', async () => {
    expect(await call('discover.clusters', {})).toMatchObject({ versionId: null, clusters: [], flagged: 0 });
  });

  it('relabels many clips at once, and rolls back the whole batch when one clip is unknown', async () => {
    const fear = (await call('clips.list', { offset: 0, limit: 100, filter: { label: 'fear' } })).rows.map((r) => r.id);
    expect(fear.length).toBeGreaterThan(3);
    const r = await call('annotations.addMany', { clipIds: [fear[0], fear[1], fear[1]], action: 'relabel', label: 'anger', annotator: 'ann' });
    expect(r.count).toBe(2);
    expect(r.clips).toEqual([
      { clipId: fear[0], currentLabel: 'anger', reviewed: true },
      { clipId: fear[1], currentLabel: 'anger', reviewed: true },
    ]);
    await expect(call('annotations.addMany', { clipIds: [fear[2], 99_999], action: 'relabel', label: 'anger' })).rejects.toMatchObject({ code: 'not-found' });
    expect((await call('annotations.history', { clipId: fear[2] })).annotations).toEqual([]);
    await expect(call('annotations.addMany', { clipIds: [fear[2]], action: 'relabel', label: 'contempt' })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('clusters the active version\'s unknowns', async () => {
    const { jobId } = service.startTraining({ known: DEMO_KNOWN_CLASSES });
    await service.waitForJob(jobId);
    const d: DiscoverResult = await call('discover.clusters', {});
    expect(d.versionId).toBe(1);
    expect(d.flagged).toBeGreaterThan(0);
    expect(d.clusters.reduce((n, c) => n + c.clipIds.length, 0) + d.singles.length).toBe(d.clustered);
    // The two clips relabelled above were answered: they are not among the unknowns to discover.
    const answered = (await call('clips.list', { offset: 0, limit: 100, filter: { reviewed: true } })).rows.map((r) => r.id);
    expect(answered).toHaveLength(2);
    for (const c of d.clusters) {
      for (const id of answered) expect(c.clipIds).not.toContain(id);
      expect(c.suggestions).toHaveLength(3);
    }
    await expect(call('discover.clusters', { versionId: 42 })).rejects.toMatchObject({ code: 'not-found' });
  });
});
