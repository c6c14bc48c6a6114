// What Review shows of a clip's votes (several annotators, issue 14): each annotator's standing answer and
// which step of the label rule decided the clip (adjudicated, else majority, else unresolved; the rule is
// src-main/store/current-label.ts), and what blind review leaves of it.
import type { ClipVotes } from '../../shared/api';

/** One line saying how the clip's label was decided. */
export function ruleLine(v: Pick<ClipVotes, 'rule' | 'label' | 'adjudication' | 'votes'>): string {
  switch (v.rule) {
    case 'adjudicated':
      return `Adjudicated by ${v.adjudication?.annotator ?? '?'}: ${v.label ?? '—'}`;
    case 'majority': {
      const n = v.votes.filter((x) => x.label === v.label).length;
      return `Majority: ${v.label} (${n} of ${v.votes.length} votes)`;
    }
    case 'unresolved':
      return 'Unresolved: the votes are tied; adjudicate to give it a label';
    case 'single':
      return 'One annotator: their answer';
    default:
      return 'No answer yet';
  }
}

/** The votes shown: all of them, or under blind review only the annotator's own. */
export function visibleVotes(v: Pick<ClipVotes, 'votes'>, blind: boolean, me: string): { annotator: string; label: string; mine: boolean }[] {
  return v.votes.filter((x) => !blind || x.annotator === me).map((x) => ({ ...x, mine: x.annotator === me }));
}
