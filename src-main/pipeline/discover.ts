// Discovery of new classes among the clips a model version calls unknown: the label head's logits of their
// standardized embeddings (the same rows the head saw, from the project's embedding cache) are grouped by
// engine/discovery/groups (average linkage on cosine distance, cut at `DISCOVERY_DEFAULTS.groupCut`): many
// small groups rather than a few mixed ones, and clips close to no group left as singles. Each group comes
// with its bootstrap stability, its clips in listening order (the most typical first, the most doubtful
// last), its mean PAD point and the nearest words (the project's own classes first, then common emotion
// terms, then the full table; the model's classes left out): a suggestion for the annotator, who listens and
// names the class. "Not like the others" (`apart`) keeps a clip away from the clips it was taken from the
// next time the groups are made, and answered clips (when included) are linked by their answers. Why
// logits: in the few dimensions shaped by the known emotions distances mean more than in hundreds of raw
// ones. Figures: docs/eval/README.md ("Discovery: groups").
//
// Which clips: those the version's fused detector flags (fused-detector.ts: MSP + OpenMax + Mahalanobis ranks,
// z-scored per speaker, threshold on simulated unknowns), the detector `eodn evaluate` measured best and whose
// flagged clips its discovery measurement groups. The triplet rule's unknowns are not added: they are mostly
// among the fused detector's flags already, and adding the rest would group clips the better detector judged
// known; they stay in Review's queue as unknown, and the result counts them (`flaggedBy.tripletOnly`). A
// version without a fused detector (made before it, or with fewer than 3 known classes), or a request naming
// `decisions`, groups the triplet rule's decisions as before.
import type { DiscoverResult, UnknownCluster } from '../../shared/api';
import { DISCOVERY_DEFAULTS } from '../../shared/defaults';
import type { ClipRow, DecisionKind, Pad } from '../../shared/domain';
import { padTable } from '../../shared/pad-tables';
import { groupClips, sqDist, unitRows } from '../engine/discovery';
import { Head, makeRng, Standardizer } from '../engine/odn';
import { meanPad, suggestTerms } from '../engine/pad';
import { preferredWords } from './suggested-words';
import type { ProjectStore } from '../store/project-store';
import { loadVersion } from './model-bundle';
import { fusedVerdictOf, TRIPLET_DISPLAY_NAME, unknownDetectorOf } from './fused-detector';
import { projectClips, projectVectors } from './project-data';
import type { EmbedRunOptions } from './types';

export interface DiscoverOptions {
  /** Default: the active version. */
  versionId?: number;
  /**
   * Decisions of the triplet rule that count as unknown. Default: the fused detector's flags when the version
   * has one, else unknown and ambiguous-unknown; given, the triplet rule's decisions whatever the version.
   */
  decisions?: readonly DecisionKind[];
  /**
   * Also cluster clips the annotator already answered, and flagged clips labelled with a class the model knows
   * (default false: their label is decided).
   */
  includeReviewed?: boolean;
  /** "Not like the others": each clip is kept apart from the clips it was taken out from. */
  apart?: readonly { clipId: number; from: readonly number[] }[];
  /** A smaller group dissolves into singles (default `DISCOVERY_DEFAULTS.minGroupSize`). */
  minGroupSize?: number;
  seed?: number;
  /**
   * Most clips grouped directly (default 400): average linkage and its bootstrap cost O(n³), so above this a
   * seeded sample is grouped and each other clip joins the group with the nearest centroid if it is within
   * the cut of it, else stays single.
   */
  maxClustered?: number;
  embed?: EmbedRunOptions;
}

const DEFAULT_DECISIONS: readonly DecisionKind[] = ['unknown', 'ambiguous-unknown'];

export async function discoverUnknownClusters(store: ProjectStore, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const versionId = opts.versionId ?? store.activeModelVersionId();
  const empty: DiscoverResult = { versionId, classes: [], flagged: 0, clustered: 0, clusters: [], singles: [], points: [] };
  if (versionId === null) return empty;
  const version = store.getModelVersion(versionId);
  const { bundle, settings } = loadVersion(version);
  empty.classes = version.classes;

  const decisions = new Set(opts.decisions ?? DEFAULT_DECISIONS);
  const rows = allClipRows(store);
  const detector = unknownDetectorOf(version.metrics as { unknownDetector?: ReturnType<typeof unknownDetectorOf> });
  const byFusion = !opts.decisions && bundle.fusedDetector !== undefined;
  const open = store.listPredictions(versionId).filter((p) => opts.includeReviewed || !rows.get(p.clipId)?.reviewed);
  const tripletFlags = (p: (typeof open)[number]) => decisions.has(p.decision.kind);
  const flaggedAll = byFusion ? open.filter((p) => fusedVerdictOf(p.decision)?.unknown === true) : open.filter(tripletFlags);
  // A flagged clip already labelled with a class the model knows (one of its training clips, say) is no unknown
  // emotion to name: its flag says it is atypical of its class, which Review shows. Counted, not grouped
  // (unless reviewed clips are asked for too: then every flagged clip is).
  const knownNow = new Set(version.classes.map(store.classNamer()));
  const labelledKnown = (clipId: number) => {
    const l = rows.get(clipId)?.currentLabel;
    return l != null && knownNow.has(l);
  };
  const flaggedPreds = opts.includeReviewed ? flaggedAll : flaggedAll.filter((p) => !labelledKnown(p.clipId));
  const notGrouped = flaggedAll.length - flaggedPreds.length;
  empty.flaggedBy = byFusion
    ? { detector: 'fusion', label: detector.label, tripletOnly: open.filter((p) => tripletFlags(p) && fusedVerdictOf(p.decision)?.unknown !== true).length, labelledKnown: notGrouped }
    : { detector: 'triplet', label: TRIPLET_DISPLAY_NAME, reason: opts.decisions ? 'the request named decision kinds' : (detector.reason ?? 'this version has no fused detector'), labelledKnown: notGrouped };
  if (flaggedPreds.length === 0) return empty;

  // Standardize every clip as the version's predictions did: per-speaker statistics of speakers unseen at
  // fit time come from all of that speaker's clips, not only the flagged ones.
  const emb = await projectVectors(store, bundle.encoder, opts.embed ?? {}, {});
  const clips = projectClips(store).filter((c) => emb.vectors.has(c.id));
  const Z = Standardizer.fromJSON(bundle.standardizer).transform(clips.map((c) => emb.vectors.get(c.id)!), clips.map((c) => c.speaker));
  const rowOf = new Map(clips.map((c, i) => [c.id, i]));
  const usable = flaggedPreds.filter((p): p is typeof p & { pad: Pad } => p.pad !== null && rowOf.has(p.clipId));
  const result: DiscoverResult = { ...empty, flagged: flaggedPreds.length };
  if (usable.length === 0) return result;

  // The label head (the classifier; the only head in one-head versions). Unit rows: groups are made on cosine
  // distance, and the nearest-centroid step below compares unit rows.
  const labelHead = Head.fromJSON(bundle.head);
  const logits = labelHead.logits(usable.map((p) => Z[rowOf.get(p.clipId)!]));
  const features = unitRows(logits);
  const pads = usable.map((p) => p.pad);
  const table = padTable(settings.padTable);
  // Words in tiers (suggested-words.ts): the project's classes the model does not know, Table 1, the table.
  const words = preferredWords(store, version.classes, table);
  const suggestWords = (pad: Pad): UnknownCluster['suggestions'] =>
    suggestTerms(pad, words.terms, table, { k: 3, exclude: words.exclude }).map((n) => ({ name: n.term.name, distance: round(n.distance), source: words.tier.get(n.term.name) ?? 'table' }));

  const sample = seededSample(usable.length, opts.maxClustered ?? 400, opts.seed ?? 11);
  const rowInSample = new Map(sample.map((u, j) => [usable[u].clipId, j]));
  const cannotLink: [number, number][] = [];
  for (const a of opts.apart ?? []) {
    const i = rowInSample.get(a.clipId);
    if (i === undefined) continue;
    for (const f of a.from) {
      const j = rowInSample.get(f);
      if (j !== undefined) cannotLink.push([i, j]);
    }
  }
  // Answers already given (clips clustered with includeReviewed): the same answer links two clips, different
  // answers keep them apart.
  const mustLink: [number, number][] = [];
  const answered = sample.map((u, j) => [j, rows.get(usable[u].clipId)] as const).filter(([, r]) => r?.reviewed && r.currentLabel);
  for (let a = 0; a < answered.length; a++)
    for (let b = a + 1; b < answered.length; b++) (answered[a][1]!.currentLabel === answered[b][1]!.currentLabel ? mustLink : cannotLink).push([answered[a][0], answered[b][0]]);
  const g = groupClips(sample.map((i) => features[i]), {
    mustLink,
    cut: DISCOVERY_DEFAULTS.groupCut,
    minGroupSize: opts.minGroupSize ?? DISCOVERY_DEFAULTS.minGroupSize,
    stabilityRounds: DISCOVERY_DEFAULTS.stabilityRounds,
    seed: opts.seed,
    cannotLink,
  });
  // Members as indices into `usable`; a clip outside the sample joins the nearest group's centroid when it is
  // within the cut (cosine distance of unit rows = squared distance / 2), else it stays single.
  const members = g.groups.map((c) => c.members.map((j) => sample[j]));
  const singles = g.singles.map((j) => sample[j]);
  if (sample.length < usable.length) {
    const centroids = members.map((m) => unitRows([centroid(m.map((i) => features[i]))])[0]);
    const inSample = new Set(sample);
    for (let i = 0; i < usable.length; i++) {
      if (inSample.has(i)) continue;
      let best = -1;
      for (let c = 0; c < centroids.length; c++) if (best < 0 || sqDist(features[i], centroids[c]) < sqDist(features[i], centroids[best])) best = c;
      if (best >= 0 && sqDist(features[i], centroids[best]) / 2 <= DISCOVERY_DEFAULTS.groupCut) members[best].push(i);
      else singles.push(i);
    }
  }

  const describe = (m: number[]) => {
    const labels: Record<string, number> = {};
    for (const i of m) {
      const l = rows.get(usable[i].clipId)?.currentLabel ?? '';
      labels[l] = (labels[l] ?? 0) + 1;
    }
    const pad = meanPad(m.map((i) => pads[i]));
    return { pad: pad.map(round) as unknown as Pad, suggestions: suggestWords(pad), labels };
  };
  const clusters: UnknownCluster[] = members
    .map((m, gi) => ({
      id: 0,
      // Listening order: the group's own (medoid first); clips added from outside the sample at the end.
      clipIds: m.map((i) => usable[i].clipId),
      ...describe(m),
      stability: round(g.groups[gi].stability),
      spread: round(g.groups[gi].spread),
    }))
    .sort((a, b) => b.clipIds.length - a.clipIds.length)
    .map((c, i) => ({ ...c, id: i + 1 }));

  const clusterOf = new Map(clusters.flatMap((c) => c.clipIds.map((id) => [id, c.id] as const)));
  return {
    ...result,
    clustered: usable.length,
    clusters,
    singles: singles.map((i) => usable[i].clipId).sort((a, b) => a - b),
    points: usable.map((p) => ({ clipId: p.clipId, pad: p.pad, cluster: clusterOf.get(p.clipId) ?? 0 })),
  };
}

function allClipRows(store: ProjectStore): Map<number, ClipRow> {
  const out = new Map<number, ClipRow>();
  const page = 10_000;
  for (let offset = 0; ; offset += page) {
    const { rows, total } = store.listClipRows({ offset, limit: page });
    for (const r of rows) out.set(r.id, r);
    if (offset + page >= total || rows.length === 0) return out;
  }
}

/** Indices 0..n-1, or a seeded sample of `max` of them (sorted) when n is larger. */
function seededSample(n: number, max: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  const rng = makeRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, max).sort((a, b) => a - b);
}

function centroid(rows: readonly ArrayLike<number>[]): Float64Array {
  const c = new Float64Array(rows[0].length);
  for (const r of rows) for (let j = 0; j < c.length; j++) c[j] += r[j];
  for (let j = 0; j < c.length; j++) c[j] /= rows.length;
  return c;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
