// What a simulated curator's decisions cost, and the pool's labels after each one. The prices are fixed by
// the question the simulator answers ("how many decisions to a correctly labelled dataset"): every decision
// costs 1 — accepting or relabelling one clip, naming or dismissing a cluster (+1 per clip taken out of it),
// accepting a batch (+1 per clip of it the annotator had to correct).

export type DecisionAct = 'review' | 'name-cluster' | 'dismiss-cluster' | 'batch-accept';

/** The decisions one act costs. */
export function actCost(act: DecisionAct, extra = 0): number {
  if (!Number.isInteger(extra) || extra < 0) throw new Error(`a ${act} act cannot have ${extra} extra decisions`);
  if (act === 'review' && extra > 0) throw new Error('a review is one decision');
  return 1 + extra;
}

/** Labels of the pool's clips, in the ledger's pool order; null: no label (unknown, or nobody said). */
export type PoolLabels = readonly (string | null)[];

export class DecisionLedger {
  /** snapshots[d]: the pool's labels once d decisions are spent. */
  private readonly snapshots: PoolLabels[];
  readonly acts: { act: DecisionAct; cost: number; labelled: number }[] = [];

  constructor(initial: PoolLabels) {
    this.snapshots = [[...initial]];
  }

  get spent(): number {
    return this.snapshots.length - 1;
  }

  get current(): PoolLabels {
    return this.snapshots[this.snapshots.length - 1];
  }

  /**
   * Books one act: `steps` holds the pool's labels after each of its decisions, in the order they are made
   * (a cluster's clips taken out one by one, then the naming; a batch's wrong clips corrected one by one,
   * then the rest accepted at once). Its length must be what the act costs.
   */
  record(act: DecisionAct, steps: readonly PoolLabels[]): void {
    const cost = actCost(act, steps.length - 1);
    if (steps.length !== cost) throw new Error(`a ${act} act costs ${cost} decisions, ${steps.length} given`);
    const before = this.current;
    for (const labels of steps) {
      if (labels.length !== before.length) throw new Error(`${labels.length} labels for a pool of ${before.length}`);
      this.snapshots.push([...labels]);
    }
    this.acts.push({ act, cost, labelled: this.current.filter((l, i) => l !== before[i]).length });
  }

  /** The pool's labels after d decisions (the last ones once the loop has stopped). */
  labelsAt(d: number): PoolLabels {
    return this.snapshots[Math.max(0, Math.min(d, this.snapshots.length - 1))];
  }

  /** Decisions booked per kind of act. */
  costByAct(): Record<DecisionAct, number> {
    const out: Record<DecisionAct, number> = { review: 0, 'name-cluster': 0, 'dismiss-cluster': 0, 'batch-accept': 0 };
    for (const a of this.acts) out[a.act] += a.cost;
    return out;
  }
}
