// The estimate of labels right in words, and the one-at-a-time refresh behind it.
import { describe, expect, it, vi } from 'vitest';
import type { LabelsEstimate } from '../../shared/api';

vi.mock('../../src-renderer/lib/api-client', () => ({ api: { on: () => () => {}, call: async () => null } }));
const { coalesced, decisionsTo95, estimateLine, estimateTitle } = await import('../../src-renderer/lib/labels-estimate');

const base: LabelsEstimate = { share: 0.8449, clips: 80, answered: 3, modelLabelled: 77, modelUnknown: 1, unlabelled: 0, versionId: 2, calibrated: true, ece: 0.0612, eceRaw: 0.1431, heldOutClips: 57 };

describe('labels estimate in words', () => {
  it('gives the share and says how it is counted', () => {
    // (0.95 − 0.8449) × 80 = 8.4 labels missing; × 2.8 and × 3.5 decisions each.
    expect(estimateLine(base)).toBe('≈ 84 % of labels likely right · about 24–29 decisions to 95 %');
    expect(decisionsTo95(base)).toEqual({ low: 24, high: 29 });
    expect(estimateLine({ ...base, share: 0.96 })).toBe('≈ 96 % of labels likely right · 95 % reached, by this estimate');
    expect(estimateLine({ ...base, versionId: null })).toBe('≈ 84 % of labels likely right');
    expect(estimateTitle(base)).toContain('labels this estimate says are missing times 2.8–3.5');
    const t = estimateTitle(base);
    expect(t).toContain('An estimate over all 80 clips: 3 answered (answers count as right)');
    expect(t).toContain('each of the other 77 counts the chance that the model\'s label is right, its best guess for the 1 clip it calls unknown.');
    expect(t).toContain('calibrated on 57 held-out clips (expected calibration error 0.061, against 0.143 for the raw confidence)');
    expect(t).toContain('clips of an emotion it does not know make the estimate optimistic');
    expect(t).toContain("An imported label counts only once reviewed; until then its clip counts by the model's label.");
  });

  it('names an inherited calibration, a missing one, clips without a label, and a project without a model', () => {
    expect(estimateTitle({ ...base, inheritedFrom: 1 })).toContain('held-out clips of version 1 (this one was trained without cross-validation)');
    expect(estimateTitle({ ...base, ece: undefined })).toContain("raw confidence's calibration error 0.143");
    const raw = estimateTitle({ ...base, calibrated: false, ece: undefined, eceRaw: undefined, heldOutClips: undefined, unlabelled: 2 });
    expect(raw).toContain('no calibration');
    expect(raw).toContain('2 clips with no label count as wrong.');
    expect(estimateTitle({ ...base, versionId: null, modelLabelled: 0, calibrated: false })).toBe('An estimate over all 80 clips: 3 answered (answers count as right); without a model, no other clip counts.');
  });

  it('runs one load at a time, and once more for calls made meanwhile', async () => {
    let resolve: () => void = () => {};
    let runs = 0;
    const poke = coalesced(() => {
      runs++;
      return new Promise<void>((r) => (resolve = r));
    });
    poke();
    poke();
    poke();
    expect(runs).toBe(1);
    resolve();
    await vi.waitFor(() => expect(runs).toBe(2));
    resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
  });
});
