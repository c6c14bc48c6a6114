// The Models view's figures are held-out and say what they were measured on (issue 10): no training-clip
// accuracy, the cross-validation's scheme and clip count, and the fine-tuning's held-out forgetting.
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelDetails, ModelMetrics } from '../../shared/api';
import { CLASSES, metrics } from './fixtures';

const state = vi.hoisted(() => ({ versions: [] as unknown[] }));
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: { id?: number }) => {
      const vs = state.versions as ModelDetails[];
      if (method === 'models.list') return { versions: vs, activeId: vs.find((v) => v.active)?.id ?? null };
      if (method === 'models.get') return vs.find((v) => v.id === args.id);
      return new Promise(() => {}); // threshold previews: never answered here
    }),
    on: () => () => {},
  },
}));
const { default: ModelsView } = await import('../../src-renderer/views/ModelsView.svelte');

afterEach(() => cleanup());

const version = (id: number, classes: string[], m: ModelMetrics, active: boolean, settings: Record<string, unknown> = {}): ModelDetails => ({
  id,
  parentId: id > 1 ? id - 1 : null,
  name: `v${id}`,
  createdAt: '2026-01-01T00:00:00Z',
  classes,
  active,
  settings,
  metrics: m,
  epsilon: 0.7,
  rho: 0.5,
  thresholds: [],
});

describe('ModelsView', () => {
  it("shows a fine-tuned version's held-out figures with what they were measured on, and no training accuracy", async () => {
    const forgetting = { knownAccuracyBefore: 0.7, knownAccuracyAfter: 0.61, newClassAccuracy: 0.083, nNew: 12, replayed: 57, heldOut: { scheme: 'leave-one-speaker-out' as const, folds: 2, knownClips: 57, newClips: 12 } };
    state.versions = [
      version(1, CLASSES, metrics({ cv: { scheme: 'leave-one-speaker-out', folds: 2, accuracy: 0.7, uar: 0.71, clips: 57 } }), false),
      version(2, [...CLASSES, 'fear'], metrics({ cv: { scheme: 'leave-one-speaker-out', folds: 2, accuracy: 0.52, uar: 0.54, clips: 69 }, forgetting }), true),
    ];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('held-out-accuracy')).toBeTruthy());
    expect(screen.getByTestId('held-out-accuracy').textContent).toContain('52.0 % WA, 54.0 % UA on every class, held-out, leave-one-speaker-out (2 speakers) over 69 clips');
    expect(screen.getByTestId('forgetting-measured-on').textContent).toContain('held-out, leave-one-speaker-out (2 speakers) over 57 known + 12 new-class clips');
    expect(document.body.textContent).not.toContain('Training accuracy');
    expect(document.body.textContent).not.toContain('100.0 %');
    expect(screen.getAllByTestId('version-row').map((r) => r.querySelectorAll('td')[3].textContent)).toEqual(['71.0 %', '54.0 %']);
  });

  it('names the detector that flags unknowns, its threshold, the guard, and its F1 and AUROC on simulated unknowns', async () => {
    const unknownDetector = {
      name: 'fusion' as const,
      label: 'Fusion (MSP + OpenMax + Mahalanobis)',
      threshold: 0.6125,
      fallback: false,
      poolFlagged: 0.41,
      f1: 0.512,
      auroc: 0.771,
      simulatedCases: 10,
      innerFolds: 2,
      folds: 'speakers' as const,
      minSpeakerClips: 10,
      flagged: 31,
    };
    state.versions = [version(1, CLASSES, metrics({ unknownDetector }), true)];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('unknown-detector')).toBeTruthy());
    expect(screen.getByTestId('unknown-detector').textContent).toBe(
      'Fusion (MSP + OpenMax + Mahalanobis), threshold 0.613 (max-F1 on the simulations; the flag-rate guard did not fall back), flags 31 clips',
    );
    expect(screen.getByTestId('unknown-detector-measured').textContent).toContain(
      "Held-out F1 0.512, AUROC 0.771 on simulated unknowns: each known class held out in turn, training speakers' inner folds (2 folds over the training speakers, 10 cases).",
    );
    expect(screen.getByTestId('unknown-detector-measured').textContent).toContain('the F1 leans optimistic');
    // The list counts what the fused detector flags, not the triplet rule's unknowns.
    expect(screen.getByTestId('flagged-count').textContent).toBe('31');
    cleanup();
    state.versions = [version(1, CLASSES, metrics({ unknownDetector: { ...unknownDetector, fallback: true } }), true)];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('unknown-detector').textContent).toContain('the flag-rate guard fell back'));
  });

  it('says a version without the fused detector flags with the triplet rule, and why', async () => {
    state.versions = [version(1, CLASSES, metrics(), true)];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('unknown-detector')).toBeTruthy());
    expect(screen.getByTestId('unknown-detector').textContent).toBe(
      'The triplet rule (paper, eqs. 1-3): this version was made before the fused detector was stored, so the triplet rule flags unknowns for Discover',
    );
    expect(screen.getByTestId('unknown-detector-measured').textContent).toContain('Not measured on simulated unknowns');
  });

  it('names the encoder a version was made with: bundled, or a manifest with its path in the tooltip', async () => {
    state.versions = [version(1, CLASSES, metrics(), true, { encoder: { kind: 'manifest', manifestPath: '/data/enc/wavlm/manifest.json' } })];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('model-encoder')).toBeTruthy());
    expect(screen.getByTestId('model-encoder').textContent).toBe('ONNX encoder by manifest: manifest.json');
    expect(screen.getByTestId('model-encoder').title).toBe('/data/enc/wavlm/manifest.json');
    cleanup();
    state.versions = [version(1, CLASSES, metrics(), true, { encoder: { kind: 'speech-embedding' } })];
    render(ModelsView, { props: { job: null, ontrain: () => {} } });
    await waitFor(() => expect(screen.getByTestId('model-encoder').textContent).toBe('bundled: speech embeddings + acoustic functionals (567-d)'));
  });
});
