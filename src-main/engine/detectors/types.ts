// One interface for every unknown-sample detector, so the studio and the evaluation can swap them.

import type { Labels, Rows } from '../odn/rows';

/** What a detector may look at for a batch of clips: features, the head's probabilities and logits. */
export interface DetectorInput {
  features: Rows;
  probs: Rows;
  logits: Rows;
}

export interface DetectorFitInput extends DetectorInput {
  /** True class indices of the (known) training clips. */
  labels: Labels;
}

export interface UnknownDetector {
  readonly name: string;
  fit(input: DetectorFitInput): this;
  /** One score per clip; higher = more likely unknown. */
  score(input: DetectorInput): Float64Array;
}
