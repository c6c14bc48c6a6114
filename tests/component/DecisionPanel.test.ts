import { cleanup, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import DecisionPanel from '../../src-renderer/components/DecisionPanel.svelte';
import type { DecisionKind } from '../../shared/domain';
import { CLASSES, decideLike, PROBS, THRESHOLDS } from './fixtures';

afterEach(cleanup);

const percent = (el: HTMLElement, prop: 'width' | 'left') => {
  const v = el.style[prop];
  expect(v).toMatch(/%$/);
  return parseFloat(v) / 100;
};

function renderKind(kind: DecisionKind, detectors?: { name: string; score: number; threshold: number; unknown: boolean; flags?: boolean; normalisation?: { over: 'speaker' | 'all'; speaker: string | null; n: number } }[]) {
  const probabilities = PROBS[kind];
  const decision = decideLike(probabilities);
  expect(decision.kind).toBe(kind); // the fixture really is of this kind
  return { decision, ...render(DecisionPanel, { props: { classes: CLASSES, probabilities, thresholds: THRESHOLDS, decision, detectors } }) };
}

describe('DecisionPanel', () => {
  it('draws one bar per class, its width proportional to p', () => {
    renderKind('ambiguous-unknown');
    const rows = screen.getAllByTestId('prob-row');
    expect(rows.map((r) => r.dataset.class)).toEqual(CLASSES);
    rows.forEach((row, i) => {
      const fill = within(row).getByTestId('prob-fill');
      expect(percent(fill, 'width')).toBeCloseTo(PROBS['ambiguous-unknown'][i], 4);
      const meter = within(row).getByRole('meter');
      expect(Number(meter.getAttribute('aria-valuenow'))).toBeCloseTo(PROBS['ambiguous-unknown'][i], 6);
      expect(within(row).getByText(PROBS['ambiguous-unknown'][i].toFixed(2))).toBeTruthy();
    });
  });

  it("marks each class's η and μ at their positions, with text on hover and in the meter's text", () => {
    renderKind('accepted');
    const rows = screen.getAllByTestId('prob-row');
    rows.forEach((row, i) => {
      const eta = within(row).getByTestId('eta-mark');
      const mu = within(row).getByTestId('mu-mark');
      expect(percent(eta, 'left')).toBeCloseTo(THRESHOLDS[i].eta, 4);
      expect(percent(mu, 'left')).toBeCloseTo(THRESHOLDS[i].mu, 4);
      expect(eta.getAttribute('title')).toContain(`η(${CLASSES[i]}) = ${THRESHOLDS[i].eta.toFixed(2)}`);
      expect(mu.getAttribute('title')).toContain(`μ(${CLASSES[i]}) = ${THRESHOLDS[i].mu.toFixed(2)}`);
      expect(within(row).getByRole('meter').getAttribute('aria-valuetext')).toContain(`η ${THRESHOLDS[i].eta.toFixed(2)}`);
    });
    // The top-1 class is flagged in text, not by weight or colour alone.
    const top = rows[2];
    expect(top.classList.contains('top1')).toBe(true);
    expect(within(top).getByText('top-1')).toBeTruthy();
  });

  it.each([
    ['accepted', 'Accepted as happiness', '✓'],
    ['ambiguous-accepted', 'Ambiguous → happiness', '≈'],
    ['ambiguous-unknown', 'Ambiguous → unknown', '≈'],
    ['unknown', 'Unknown', '?'],
  ] as const)('shows the %s badge and the reason', (kind, text, icon) => {
    const { decision } = renderKind(kind);
    const badge = screen.getByTestId('decision-badge');
    expect(badge.dataset.kind).toBe(kind);
    expect(badge.textContent?.trim()).toBe(`${icon}${text}`);
    expect(screen.getByTestId('decision-reason').textContent).toBe(decision.reason);
  });

  it('compares the top-1 − top-2 margin with δ of the top-1 class', () => {
    renderKind('ambiguous-unknown'); // 0.46 − 0.31 = 0.15 < δ(happiness) = 0.22
    const m = screen.getByTestId('decision-margin');
    expect(m.textContent).toContain('0.46 − 0.31 =');
    expect(m.textContent).toContain('0.15');
    expect(m.textContent).toContain('< δ(happiness) = 0.22');
    expect(m.textContent).toContain('too close to call');
    expect(m.classList.contains('decisive')).toBe(true);
    expect(percent(within(m).getByTestId('delta-mark'), 'left')).toBeCloseTo(0.22, 4);
    cleanup();
    renderKind('accepted'); // η decides; the margin is shown but marked as not needed
    const m2 = screen.getByTestId('decision-margin');
    expect(m2.textContent).toContain('not needed: p₁ ≥ η');
    expect(m2.classList.contains('decisive')).toBe(false);
  });

  it("lists the other detectors' verdicts in words", () => {
    renderKind('ambiguous-unknown', [
      { name: 'MSP', score: 0.54, threshold: 0.45, unknown: true },
      { name: 'Mahalanobis', score: 31.2, threshold: 40.5, unknown: false },
    ]);
    const rows = screen.getAllByTestId('detector-row');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('MSP');
    expect(rows[0].textContent).toContain('unknown');
    expect(rows[1].textContent).toContain('31.20');
    expect(rows[1].textContent).toContain('known');
    expect(rows[1].textContent).not.toContain('unknown');
  });

  it("shows the fused detector's verdict first, marked as what Discover groups, beside MSP and Mahalanobis", () => {
    const { decision } = renderKind('accepted', [
      { name: 'Fusion (MSP + OpenMax + Mahalanobis)', score: 0.71, threshold: 0.62, unknown: true, flags: true, normalisation: { over: 'speaker', speaker: 'emodb-13', n: 41 } },
      { name: 'MSP', score: 0.2, threshold: 0.45, unknown: false },
      { name: 'Mahalanobis', score: 31.2, threshold: 40.5, unknown: false },
    ]);
    const rows = screen.getAllByTestId('detector-row');
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Fusion★', 'MSP', 'Mahalanobis']);
    expect(rows[0].querySelector('th')!.title).toBe("scores z-scored over speaker emodb-13's 41 clips; threshold from simulated unknowns");
    expect(rows[0].textContent).toContain('0.71');
    expect(rows[0].textContent).toContain('0.62');
    expect(rows[0].textContent).toContain('unknown');
    // The explained decision stays the triplet rule's.
    expect(screen.getByTestId('decision-badge').dataset.kind).toBe(decision.kind);
    expect(document.body.textContent).toContain("★ Fusion (MSP + OpenMax + Mahalanobis) flags the clips Discover groups; the decision above is the triplet rule's.");
  });

  it('says when no other detector ran, and clamps bars to their track', () => {
    const probabilities = [1.3, -0.1, 0, 0, 0];
    const decision = { ...decideLike([0.9, 0.05, 0.03, 0.01, 0.01]) };
    render(DecisionPanel, { props: { classes: CLASSES, probabilities, thresholds: THRESHOLDS, decision } });
    expect(screen.getByText('None run for this clip.')).toBeTruthy();
    const fills = screen.getAllByTestId('prob-fill');
    expect(fills[0].style.width).toBe('100%');
    expect(fills[1].style.width).toBe('0%');
  });
});
