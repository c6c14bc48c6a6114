// Discovery of new classes among the clips a model version calls unknown: the label head's logits of their
// standardized embeddings (the same rows the head saw, from the project's embedding cache) are clustered by
// engine/discovery with cosine distance, and each cluster is described by its clips' mean PAD point, its own
// silhouette, and the nearest table words, the known classes' own words left out. The words are a suggestion
// for the annotator, who listens and names the class. Why logits: in the few dimensions shaped by the known
// emotions silhouettes mean more than in hundreds of raw ones; on EmoDB every purity reading rose. k and the
// smallest cluster: `DISCOVERY_DEFAULTS` (shared/defaults.ts); a larger k changed nothing there, k being capped
// by the cluster-size rule anyway. Figures: docs/eval/README.md ("What was measured").
import type { DiscoverResult, UnknownCluster } from '../../shared/api';
import { DISCOVERY_DEFAULTS } from '../../shared/defaults';
import type { ClipRow, DecisionKind, Pad } from '../../shared/domain';
import { padTermNameFor } from '../../shared/pad-names';
import { padTable } from '../../shared/pad-tables';
import { discoverClusters, sqDist, unitRows } from '../engine/discovery';
import { Head, makeRng, Standardizer } from '../engine/odn';
import { labelGroup } from '../engine/pad';
import type { ProjectStore } from '../store/project-store';
import { loadVersion } from './model-bundle';
import { projectClips, projectVectors } from './project-data';
import type { EmbedRunOptions } from './types';

export interface DiscoverOptions {
  /** Default: the active version. */
  versionId?: number;
  /** Decisions that count as unknown (default: unknown and ambiguous-unknown). */
  decisions?: readonly DecisionKind[];
  /** Also cluster clips the annotator already answered (default false: their label is decided). */
  includeReviewed?: boolean;
  /** Largest k tried (default `DISCOVERY_DEFAULTS.maxK`). */
  maxK?: number;
  /** A k whose clustering has a smaller cluster is not chosen (default `DISCOVERY_DEFAULTS.minClusterSize`). */
  minClusterSize?: number;
  seed?: number;
  /**
   * Most clips clustered directly (default 600): the silhouette that picks k costs O(n²·d), so above this a
   * seeded sample is clustered and the other clips join the cluster with the nearest centroid.
   */
  maxClustered?: number;
  embed?: EmbedRunOptions;
}

const DEFAULT_DECISIONS: readonly DecisionKind[] = ['unknown', 'ambiguous-unknown'];

export async function discoverUnknownClusters(store: ProjectStore, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const versionId = opts.versionId ?? store.activeModelVersionId();
  const empty: DiscoverResult = { versionId, classes: [], flagged: 0, clustered: 0, silhouette: 0, tried: [], clusters: [], points: [] };
  if (versionId === null) return empty;
  const version = store.getModelVersion(versionId);
  const { bundle, settings } = loadVersion(version);
  empty.classes = version.classes;

  const decisions = new Set(opts.decisions ?? DEFAULT_DECISIONS);
  const rows = allClipRows(store);
  const flaggedPreds = store
    .listPredictions(versionId)
    .filter((p) => decisions.has(p.decision.kind) && (opts.includeReviewed || !rows.get(p.clipId)?.reviewed));
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

  // The label head (the classifier; the only head in one-head versions). Unit rows for cosine distance, also
  // for the nearest-centroid step below.
  const labelHead = Head.fromJSON(bundle.head);
  const logits = labelHead.logits(usable.map((p) => Z[rowOf.get(p.clipId)!]));
  const features = DISCOVERY_DEFAULTS.distance === 'cosine' ? unitRows(logits) : logits;
  const pads = usable.map((p) => p.pad);
  const table = padTable(settings.padTable);
  // The version's classes are already decided: their words would only repeat what the model knows.
  const exclude = version.classes.flatMap((c) => [c, padTermNameFor(c) ?? c]);

  const sample = seededSample(usable.length, opts.maxClustered ?? 600, opts.seed ?? 11);
  const d = discoverClusters(
    sample.map((i) => features[i]),
    sample.map((i) => pads[i]),
    table,
    {
      maxK: opts.maxK ?? DISCOVERY_DEFAULTS.maxK,
      minClusterSize: opts.minClusterSize ?? DISCOVERY_DEFAULTS.minClusterSize,
      distance: DISCOVERY_DEFAULTS.distance,
      seed: opts.seed,
      exclude,
    },
  );
  // Members as indices into `usable`; clips outside the sample join the nearest centroid.
  const members = d.clusters.map((c) => c.members.map((j) => sample[j]));
  const silhouettes = d.clusters.map((c) => c.silhouette);
  if (sample.length < usable.length) {
    const centroids = members.map((m) => centroid(m.map((i) => features[i])));
    const inSample = new Set(sample);
    for (let i = 0; i < usable.length; i++) {
      if (inSample.has(i)) continue;
      let best = 0;
      for (let c = 1; c < centroids.length; c++) if (sqDist(features[i], centroids[c]) < sqDist(features[i], centroids[best])) best = c;
      members[best].push(i);
    }
  }

  const clusters: UnknownCluster[] = members
    .map((m, ci) => {
      const g = labelGroup(m.map((i) => pads[i]), table, { k: 3, exclude });
      const labels: Record<string, number> = {};
      for (const i of m) {
        const l = rows.get(usable[i].clipId)?.currentLabel ?? '';
        labels[l] = (labels[l] ?? 0) + 1;
      }
      return {
        id: 0,
        clipIds: m.map((i) => usable[i].clipId).sort((a, b) => a - b),
        pad: g.pad.map(round) as unknown as Pad,
        suggestions: g.nearest.map((n) => ({ name: n.term.name, distance: round(n.distance) })),
        labels,
        silhouette: round(silhouettes[ci]),
      };
    })
    .sort((a, b) => b.clipIds.length - a.clipIds.length)
    .map((c, i) => ({ ...c, id: i + 1 }));

  const clusterOf = new Map(clusters.flatMap((c) => c.clipIds.map((id) => [id, c.id] as const)));
  return {
    ...result,
    clustered: usable.length,
    silhouette: round(d.silhouette),
    tried: d.tried.map((t) => ({ k: t.k, silhouette: round(t.silhouette) })),
    clusters,
    points: usable.map((p) => ({ clipId: p.clipId, pad: p.pad, cluster: clusterOf.get(p.clipId)! })),
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
