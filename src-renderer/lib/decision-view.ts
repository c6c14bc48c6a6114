// What the decision panel shows, computed from a Decision (paper section 3.1, eqs. 1-3): kept out of the
// component so the wording and the geometry are testable on their own.
import type { Decision, DecisionKind } from '../../shared/domain';

export type BadgeTone = 'ok' | 'info' | 'warn' | 'danger';

export interface DecisionBadge {
  kind: DecisionKind;
  /** A symbol that carries the meaning without colour. */
  icon: string;
  text: string;
  tone: BadgeTone;
}

export function decisionBadge(d: Decision): DecisionBadge {
  switch (d.kind) {
    case 'accepted':
      return { kind: d.kind, icon: '✓', text: `Accepted as ${d.label ?? '?'}`, tone: 'ok' };
    case 'ambiguous-accepted':
      return { kind: d.kind, icon: '≈', text: `Ambiguous → ${d.label ?? '?'}`, tone: 'info' };
    case 'ambiguous-unknown':
      return { kind: d.kind, icon: '≈', text: 'Ambiguous → unknown', tone: 'warn' };
    case 'unknown':
      return { kind: d.kind, icon: '?', text: 'Unknown', tone: 'danger' };
  }
}

/** A probability as a CSS percentage of the bar's track (clamped: a bar never overflows its track). */
export function pct(p: number): string {
  const v = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
  return `${+(v * 100).toFixed(2)}%`;
}

export interface MarginView {
  margin: number;
  delta: number;
  /** margin ≥ δ */
  passes: boolean;
  /** The margin test decides only between μ and η; elsewhere it is shown for information. */
  decisive: boolean;
  note: string;
}

export function marginView(d: Decision): MarginView {
  const margin = d.p1 - d.p2;
  const passes = margin >= d.delta;
  const decisive = d.kind === 'ambiguous-accepted' || d.kind === 'ambiguous-unknown';
  const note = decisive
    ? passes
      ? 'margin ≥ δ: the top class wins'
      : 'margin < δ: too close to call'
    : d.kind === 'accepted'
      ? 'not needed: p₁ ≥ η'
      : 'not needed: p₁ < μ';
  return { margin, delta: d.delta, passes, decisive, note };
}

export const fmt2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');
