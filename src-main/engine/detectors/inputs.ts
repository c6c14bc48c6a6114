import type { Head } from '../odn/head';
import type { Rows } from '../odn/rows';
import type { DetectorInput } from './types';

/** The detector input for some (standardized) feature rows under a head. */
export function detectorInput(head: Head, features: Rows): DetectorInput {
  const logits = head.logits(features);
  const probs = head.predictProba(features);
  return { features, probs, logits };
}
