// The Agreement view (issue 14): with two or more annotators, the figures of agreement.report, Cohen's kappa per
// pair, the annotator × annotator heat map and the per-class bars (plotly spied on); with fewer, one plain
// sentence naming who has answered; read again when answers change.
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgreementResult } from '../../shared/api';
import { agreementMatrix, classBarsPlot, tooFewAnnotators } from '../../src-renderer/lib/agreement-view';

const plotly = vi.hoisted(() => ({
  react: vi.fn(async (el: HTMLElement, _data: unknown[], _layout: unknown, _config?: unknown) => el),
  purge: vi.fn((_el: HTMLElement) => {}),
}));
vi.mock('plotly.js-dist-min', () => ({ default: plotly }));

const state = vi.hoisted(() => ({ reports: [] as unknown[], listeners: new Map<string, Set<(p: unknown) => void>>() }));
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string) => {
      if (method !== 'agreement.report') throw new Error(`unexpected ${method}`);
      return state.reports.length > 1 ? state.reports.shift() : state.reports[0];
    }),
    on: (event: string, l: (p: unknown) => void) => {
      if (!state.listeners.has(event)) state.listeners.set(event, new Set());
      state.listeners.get(event)!.add(l);
      return () => state.listeners.get(event)!.delete(l);
    },
  },
}));
const { default: AgreementView } = await import('../../src-renderer/views/AgreementView.svelte');

afterEach(() => {
  cleanup();
  plotly.react.mockClear();
  plotly.purge.mockClear();
  state.reports.length = 0;
  state.listeners.clear();
});

const report = (more: Partial<AgreementResult> = {}): AgreementResult => ({
  annotators: [
    { name: 'alice', clips: 4 },
    { name: 'bob', clips: 4 },
    { name: 'carol', clips: 2 },
  ],
  clips: 4,
  pairableClips: 4,
  categories: ['anger', 'fear', 'sadness'],
  krippendorffAlpha: 8 / 15,
  fleissKappa: 7 / 15,
  observedAgreement: 0.75,
  expectedAgreement: 34 / 64,
  pairs: [
    { a: 'alice', b: 'bob', clips: 4, kappa: 0.5, agreement: 0.75 },
    { a: 'alice', b: 'carol', clips: 2, kappa: 1, agreement: 1 },
    { a: 'bob', b: 'carol', clips: 0, kappa: null, agreement: null },
  ],
  perClass: [
    { name: 'anger', share: 3 / 8, kappa: 7 / 15, specificAgreement: 2 / 3 },
    { name: 'fear', share: 0, kappa: null, specificAgreement: null },
    { name: 'sadness', share: 5 / 8, kappa: 7 / 15, specificAgreement: 0.8 },
  ],
  ...more,
});

describe('AgreementView', () => {
  it('shows the figures, the pairs, the heat map and the per-class bars', async () => {
    state.reports.push(report());
    const { unmount } = render(AgreementView);
    await waitFor(() => expect(screen.getByTestId('agreement-alpha').textContent).toContain('0.533'));
    expect(screen.getByTestId('agreement-alpha').textContent).toContain('moderate');
    expect(screen.getByTestId('agreement-fleiss').textContent).toContain('0.467');
    expect(screen.getAllByTestId('agreement-annotator').map((r) => r.textContent)).toEqual(['alice4', 'bob4', 'carol2']);
    expect(screen.getAllByTestId('agreement-pair').map((r) => r.textContent)).toEqual(['alice × bob475.0 %0.500', 'alice × carol2100.0 %1.000', 'bob × carol0n/an/a']);
    await waitFor(() => expect(screen.getByTestId('agreement-charts').dataset.status).toBe('ready'));
    const drawn = new Map(plotly.react.mock.calls.map(([el, data]) => [(el as HTMLElement).dataset.testid, data as Record<string, unknown>[]]));
    const heat = drawn.get('agreement-heatmap')![0];
    expect(heat.type).toBe('heatmap');
    expect(heat.x).toEqual(['alice', 'bob', 'carol']);
    expect(heat.z).toEqual([
      [1, 0.75, 1],
      [0.75, 1, null],
      [1, null, 1],
    ]);
    const bars = drawn.get('agreement-classes')!;
    // A class nobody chose has no bar.
    expect(bars.map((t) => [t.type, t.x, t.y])).toEqual([
      ['bar', ['anger', 'sadness'], [2 / 3, 0.8]],
      ['bar', ['anger', 'sadness'], [7 / 15, 7 / 15]],
    ]);
    unmount();
    expect(plotly.purge).toHaveBeenCalledTimes(2);
  });

  it('says plainly when fewer than two annotators answered, naming them, and reads again after answers', async () => {
    state.reports.push(report({ annotators: [{ name: 'alice', clips: 3 }], pairs: [], pairableClips: 0, krippendorffAlpha: null, fleissKappa: null }), report());
    render(AgreementView);
    await waitFor(() => expect(screen.getByTestId('agreement-too-few').textContent).toBe('Agreement needs answers from at least two annotators; this project has answers from: alice (3 clips).'));
    expect(plotly.react).not.toHaveBeenCalled();
    for (const l of state.listeners.get('labels.changed') ?? []) l({ count: 1 });
    await waitFor(() => expect(screen.getByTestId('agreement-alpha')).toBeTruthy());
    expect(screen.queryByTestId('agreement-too-few')).toBeNull();
  });
});

describe('agreement-view helpers', () => {
  it('names no one when nobody answered, and builds a symmetric matrix with hover text', () => {
    expect(tooFewAnnotators({ annotators: [] })).toBe('Agreement needs answers from at least two annotators; this project has answers from: no one yet.');
    const m = agreementMatrix(report());
    expect(m.text[1][0]).toBe(m.text[0][1]);
    expect(m.text[0][1]).toBe("alice × bob: agree on 75.0 % of 4 clips · Cohen's κ 0.500");
    expect(m.text[1][2]).toBe('bob × carol: no clip in common');
    expect((classBarsPlot(report()).layout.yaxis as { range: number[] }).range).toEqual([0, 1]);
  });
});
