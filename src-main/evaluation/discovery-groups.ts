// Discovery as a curator meets it in the studio: every fold's flagged clips pooled (each was flagged by a
// model that never saw its speaker), grouped on the label heads' logit directions (engine/discovery/groups),
// and scored three ways (purity) and in decisions: naming a group is one decision, each member whose true
// label is not the group's majority costs one more (taken out and answered alone), each single one.
import type { Pad } from '../../shared/domain';
import { EODN_TABLE1 } from '../../shared/pad-tables';
import { groupClips } from '../engine/discovery/groups';
import { meanPad, nearestTerms } from '../engine/pad/project';
import type { FoldResult } from './fold';
import { termFor } from './pad-naming';

export interface DiscoveryGroupsReport {
  /** Flagged clips pooled over folds. */
  flagged: number;
  groups: number;
  /** Flagged clips in no group. */
  singles: number;
  /** Mean members per group. */
  mean_size: number;
  /** Share of grouped clips whose true label is their group's majority label (flagged known clips keep their own). */
  purity_strict: number;
  /** The same with every known class as one label "known". */
  purity_pooled: number;
  /** Over the truly unknown grouped clips only: their share in their group's majority unknown label. */
  purity_unknown_only: number;
  /** Mean bootstrap stability of the groups. */
  stability_mean: number;
  /** Groups whose majority is an unknown class (candidates for a new class). */
  groups_unknown_majority: number;
  /** Decisions to label every flagged clip by groups (see the header) and per flagged clip (1 without groups). */
  decisions: number;
  decisions_per_flagged: number;
  sizes: number[];
  /**
   * Of the groups whose majority is an unknown class, the share whose majority's word is the nearest (top1) or
   * among the 3 nearest (top3) of the common words (the paper's Table 1, the known classes' words left out) to
   * the group's mean PAD point: how often Discover's suggestion is right before the project's own class names.
   */
  common_word_top1: number;
  common_word_top3: number;
}

function majority(labels: readonly string[]): [string, number] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
}

export function groupFlaggedClips(folds: readonly FoldResult[], opts: { cut: number; minGroupSize: number; seed: number }): DiscoveryGroupsReport {
  const truth: string[] = [];
  const unknown: boolean[] = [];
  const rows: number[][] = [];
  const pads: Pad[] = [];
  for (const f of folds)
    f.flagged.clips.forEach((i, k) => {
      truth.push(f.truth[i]);
      unknown.push(f.isUnknown[i]);
      rows.push(f.flagged.logits[k]);
      pads.push(f.flagged.pads[k]);
    });
  const knownWords = [...new Set(folds.flatMap((f) => f.knownClasses))].map((c) => termFor(c, EODN_TABLE1)?.name ?? c);
  const { groups, singles } = groupClips(rows, { cut: opts.cut, minGroupSize: opts.minGroupSize, seed: opts.seed, stabilityRounds: 20 });
  let grouped = 0, strict = 0, pooled = 0, unknownN = 0, unknownMaj = 0, decisions = singles.length, unknownMajority = 0, stability = 0, top1 = 0, top3 = 0;
  for (const g of groups) {
    const labels = g.members.map((i) => truth[i]);
    const [maj, m] = majority(labels);
    grouped += labels.length;
    strict += m;
    pooled += majority(g.members.map((i) => (unknown[i] ? truth[i] : 'known')))[1];
    const unk = g.members.filter((i) => unknown[i]).map((i) => truth[i]);
    unknownN += unk.length;
    unknownMaj += majority(unk)[1];
    decisions += 1 + labels.length - m;
    if (g.members.some((i) => unknown[i] && truth[i] === maj)) {
      unknownMajority++;
      const words = nearestTerms(meanPad(g.members.map((i) => pads[i])), EODN_TABLE1, { k: 3, exclude: knownWords }).map((t) => t.term.name);
      const word = termFor(maj, EODN_TABLE1)?.name;
      if (word && words[0] === word) top1++;
      if (word && words.includes(word)) top3++;
    }
    stability += g.stability;
  }
  const n = rows.length;
  return {
    flagged: n,
    groups: groups.length,
    singles: singles.length,
    mean_size: groups.length ? grouped / groups.length : NaN,
    purity_strict: grouped ? strict / grouped : NaN,
    purity_pooled: grouped ? pooled / grouped : NaN,
    purity_unknown_only: unknownN ? unknownMaj / unknownN : NaN,
    stability_mean: groups.length ? stability / groups.length : NaN,
    groups_unknown_majority: unknownMajority,
    decisions,
    decisions_per_flagged: n ? decisions / n : NaN,
    sizes: groups.map((g) => g.members.length),
    common_word_top1: unknownMajority ? top1 / unknownMajority : NaN,
    common_word_top3: unknownMajority ? top3 / unknownMajority : NaN,
  };
}
