// The estimate of labels right on the 80 demo clips with generated model versions: answered clips count 1,
// every other clip the calibrated chance that the model's label (its top-1 guess for an unknown) is right;
// through the API as 'labels.estimate', with 'labels.changed' announced after answers.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type ConfidenceCalibration, type LabelsChangedEvent, type LabelsEstimate } from '../../../shared/api';
import { StudioService } from '../../../src-main/api/studio-service';
import { applyCalibration } from '../../../src-main/engine/metrics';
import { estimateLabelsRight } from '../../../src-main/pipeline';
import { inheritCalibration } from '../../../src-main/pipeline/labels-estimate';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';
import { addSyntheticVersion } from './synthetic-version';

let service: StudioService;
let store: ProjectStore;
const changes: LabelsChangedEvent[] = [];
const estimate = () => service.dispatch('labels.estimate', {}) as Promise<LabelsEstimate>;

/** Over-confident: a clip the model gives p1 is right with chance (p1 - 0.2) / 0.8 × 0.6. */
const CALIBRATION: ConfidenceCalibration = { map: { p1: [0.2, 1], pRight: [0, 0.6] }, clips: 57, scheme: 'leave-one-speaker-out', eceRaw: 0.31, ece: 0.07 };

beforeAll(async () => {
  const dir = tempDir('eodn-estimate-');
  const file = join(dir, 'demo.eodn');
  const s = ProjectStore.create(file, { name: 'demo' });
  await importDataset(s, DEMO_MANIFEST);
  s.close();
  service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
  service.on('labels.changed', (e) => changes.push(e));
  service.openProject(file);
  store = service.currentStore!;
});
afterAll(() => service.shutdown());

const p1s = (versionId: number, except: ReadonlySet<number> = new Set()) => store.listPredictions(versionId).filter((p) => !except.has(p.clipId)).map((p) => p.decision.p1);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('estimateLabelsRight', () => {
  it('without a model: only answers could count, and there are none', async () => {
    expect(await estimate()).toEqual({ share: 0, clips: 80, answered: 0, modelLabelled: 0, modelUnknown: 0, unlabelled: 80, versionId: null, calibrated: false });
  });

  it('without a calibration map: each clip counts its raw top-1 probability, and says so', async () => {
    const v = addSyntheticVersion(store);
    const e = await estimate();
    expect(e).toMatchObject({ clips: 80, answered: 0, modelLabelled: 80, unlabelled: 0, versionId: v.id, calibrated: false });
    expect(e.ece).toBeUndefined();
    expect(e.share).toBeCloseTo(sum(p1s(v.id)) / 80, 10);
    // Clips the model calls unknown count by their top-1 guess, like any other.
    const unknown = store.listPredictions(v.id).filter((p) => p.decision.label === null).length;
    expect(unknown).toBeGreaterThan(5);
    expect(e.modelUnknown).toBe(unknown);
  });

  it('answered clips count 1, the others their calibrated chance; answers are announced', async () => {
    const v = addSyntheticVersion(store, 8, { calibration: CALIBRATION });
    const rows = store.listClipRows({ offset: 0, limit: 1000 }).rows;
    const unknownClip = store.listPredictions(v.id).find((p) => p.decision.label === null && p.clipId !== rows[0].id && p.clipId !== rows[1].id)!.clipId;
    const answered = [rows[0].id, rows[1].id, unknownClip];
    changes.length = 0;
    await service.dispatch('annotations.add', { clipId: rows[0].id, action: 'relabel', label: 'anger' });
    await service.dispatch('annotations.addMany', { clipIds: [rows[1].id, unknownClip], action: 'relabel', label: 'fear' });
    expect(changes).toEqual([{ count: 1 }, { count: 2 }]);
    const e = await estimate();
    expect(e).toMatchObject({ clips: 80, answered: 3, modelLabelled: 77, unlabelled: 0, versionId: v.id, calibrated: true, ece: 0.07, eceRaw: 0.31, heldOutClips: 57 });
    expect(e.inheritedFrom).toBeUndefined();
    const expected = (3 + sum(p1s(v.id, new Set(answered)).map((p) => applyCalibration(CALIBRATION.map, p)))) / 80;
    expect(e.share).toBeCloseTo(expected, 10);
    // The map is over-confident's cure: lower than the raw p1 would say.
    expect(e.share).toBeLessThan((3 + sum(p1s(v.id, new Set(answered)))) / 80);
    expect(estimateLabelsRight(store)).toEqual(e);
  });

  it('counts an answer that left no label as no label', async () => {
    // A clip whose import label is rejected keeps no label: reviewed, but not labelled.
    const row = store.listClipRows({ offset: 0, limit: 1000 }).rows.find((r) => !r.reviewed && r.importLabel !== null)!;
    await service.dispatch('annotations.add', { clipId: row.id, action: 'reject', label: row.importLabel });
    const e = await estimate();
    expect(e).toMatchObject({ answered: 3, modelLabelled: 76, unlabelled: 1 });
  });

  it('a version without its own map keeps its parent\'s, marked with the version that fitted it', () => {
    const active = store.activeModelVersionId()!;
    expect(inheritCalibration(store, active)).toEqual({ ...CALIBRATION, inheritedFrom: active });
    const child = addSyntheticVersion(store, 9, { calibration: inheritCalibration(store, active) });
    // Inherited twice, it still names the version whose held-out clips fitted it.
    expect(inheritCalibration(store, child.id)).toEqual({ ...CALIBRATION, inheritedFrom: active });
    expect(estimateLabelsRight(store)).toMatchObject({ versionId: child.id, calibrated: true, inheritedFrom: active });
    expect(inheritCalibration(store, 1)).toBeNull(); // the first synthetic version has none
    expect(inheritCalibration(store, null)).toBeNull();
  });
});

describe("'labels.estimate' schema", () => {
  it('takes no arguments', () => {
    expect(parseArgs('labels.estimate', {})).toEqual({});
    expect(() => parseArgs('labels.estimate', { versionId: 1 })).toThrow(ApiError);
    expect(() => parseArgs('labels.estimate', [])).toThrow(ApiError);
  });
});
