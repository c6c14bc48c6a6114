// Growing the known-class head with new classes (eq. 6) and fine-tuning it (section 3.3), for both modes:
// automatic (new classes are clusters of flagged clips, named by PAD) and confirmed (a simulated annotator
// gives every flagged clip its true label). Known clips confirmed by the annotator join the fine-tuning data.
import type { Pad } from '../../shared/domain';
import { replaySample } from '../engine/odn/finetune';
import { growHead } from '../engine/odn/grow';
import type { Head } from '../engine/odn/head';
import type { Rows } from '../engine/odn/rows';

export interface NewClass {
  name: string;
  /** PAD point of eq. 6's distances. */
  pad: Pad;
  /** Rows (standardized) of its clips. */
  rows: Rows;
}

export interface IncrementalInput {
  head: Head;
  knownNames: readonly string[];
  knownPads: readonly Pad[];
  /** Training clips of the known classes, for replay. */
  knownX: Rows;
  knownY: Int32Array;
  newClasses: readonly NewClass[];
  /** Extra clips of known classes (confirmed by the annotator), with their known class index. */
  extraKnownX?: Rows;
  extraKnownY?: ArrayLike<number>;
  epochs: number;
  newColumnLrScale: number;
  replayPerClass: number;
  seed: number;
}

export interface Grown {
  head: Head;
  names: string[];
}

/** Eq. 6 once per new class (each new column sees the columns before it), then one fine-tuning run. */
export function growAndFinetune(inp: IncrementalInput): Grown {
  let head = inp.head;
  const names = [...inp.knownNames];
  const pads = [...inp.knownPads];
  if (inp.newClasses.length === 0) return { head, names };
  for (const c of inp.newClasses) {
    head = growHead(head, c.pad, pads).head;
    names.push(c.name);
    pads.push(c.pad);
  }
  const X: ArrayLike<number>[] = [];
  const y: number[] = [];
  inp.newClasses.forEach((c, k) => {
    for (const r of c.rows) {
      X.push(r);
      y.push(inp.knownNames.length + k);
    }
  });
  (inp.extraKnownX ?? []).forEach((r, i) => {
    X.push(r);
    y.push(inp.extraKnownY![i]);
  });
  for (const i of replaySample(inp.knownY, inp.replayPerClass, inp.seed)) {
    X.push(inp.knownX[i]);
    y.push(inp.knownY[i]);
  }
  const C = names.length;
  const colLr = Array.from({ length: C }, (_, c) => (c >= inp.knownNames.length ? inp.newColumnLrScale : 1));
  const tuned = head.clone();
  tuned.fit(X, Int32Array.from(y), { warmStart: true, epochs: inp.epochs, columnLrScale: colLr, hiddenLrScale: 0 });
  return { head: tuned, names };
}
