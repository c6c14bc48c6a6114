// The curves the studio's loop is measured against, on the same folds, pools and annotator:
// (a) hand: labelling by hand in file order, no model — after d decisions d clips have a label;
// (b) closed-set review: the known-class model's top-1 pre-labels every clip (what a Label Studio or Prodigy
//     user gets from a classifier of the classes they have) and the annotator reviews least confident first;
// (c) automatic: the paper's E-ODN with no decisions — accepted clips keep the model's label, an unknown clip
//     gets the dataset label whose PAD term is its nearest novel word (eq. 5), if any.
import { DecisionLedger, type PoolLabels } from './ledger';
import type { ModelView } from './pool-state';
import type { SimulatedAnnotator } from './annotator';

export function handLabelling(pool: readonly { id: number; name: string }[], annotator: SimulatedAnnotator): DecisionLedger {
  const order = pool.map((c, i) => ({ ...c, i })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  const labels: (string | null)[] = pool.map(() => null);
  const ledger = new DecisionLedger(labels);
  for (const c of order) {
    labels[c.i] = annotator.label(c.id);
    ledger.record('review', [labels]);
  }
  return ledger;
}

export function closedSetReview(view: readonly ModelView[], annotator: SimulatedAnnotator): DecisionLedger {
  const labels: (string | null)[] = view.map((v) => v.top1);
  const ledger = new DecisionLedger(labels);
  const order = view.map((v, i) => ({ i, p1: v.p1, id: v.id })).sort((a, b) => a.p1 - b.p1 || a.id - b.id);
  for (const { i, id } of order) {
    labels[i] = annotator.label(id); // accepting or relabelling: one decision either way
    ledger.record('review', [labels]);
  }
  return ledger;
}

/** `labelOfWord`: PAD table word → the dataset label it stands for; `knownWords`: the known classes' words. */
export function automaticLabels(view: readonly ModelView[], labelOfWord: ReadonlyMap<string, string>, knownWords: ReadonlySet<string>): PoolLabels {
  return view.map((v) => {
    if (v.label !== null) return v.label;
    const novel = v.nearest.find((w) => !knownWords.has(w));
    return novel ? (labelOfWord.get(novel) ?? null) : null;
  });
}
