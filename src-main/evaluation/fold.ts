// One leave-one-speaker-out fold: train on the known classes of the training speakers, then on the test
// speaker(s) detect unknown clips, name them by PAD, discover clusters, grow and fine-tune (automatic and
// confirmed modes), and the two baselines. Returns per-clip outcomes; aggregate.ts turns folds into metrics.
import type { Pad } from '../../shared/domain';
import { padTable } from '../../shared/pad-tables';
import { discoverClusters } from '../engine/discovery/discover';
import { Head } from '../engine/odn/head';
import type { Rows } from '../engine/odn/rows';
import { Standardizer } from '../engine/odn/standardize';
import { meanPad, nearestTerms, padFromProbs } from '../engine/pad/project';
import { PadRidge } from '../engine/pad/ridge';
import { fitDetectorSuite } from './detection';
import { growAndFinetune, type NewClass } from './incremental';
import { classPad, labelClips, termFor } from './pad-naming';
import { DETECTORS, LABELLING_VARIANTS, type DetectorName, type EvaluationSettings, type LabellingVariant } from './settings';

export interface FoldData {
  /** Raw (unstandardized) feature rows. */
  X: Rows;
  labels: readonly string[];
  speakers: readonly string[];
  /** Per-clip P, A, D labels, when the dataset has them. */
  pads?: readonly (Pad | null)[];
}

export interface FoldResult {
  testSpeakers: string[];
  knownClasses: string[];
  /** True label of each test clip. */
  truth: string[];
  isUnknown: boolean[];
  /** fallback: the flag-rate guard refused the max-F1 threshold and the fallback rule set it (detection.ts). */
  detection: Record<DetectorName, { scores: number[]; threshold: number; flagged: boolean[]; fallback?: boolean }>;
  tuned: { epsilon: number; rho: number; f1: number; simulatedCases: number };
  /** Per labelling variant, over the truly unknown test clips (test indices in `clips`). */
  labelling: Record<LabellingVariant, { clips: number[]; words: (string | null)[]; correct: boolean[]; pads: Pad[]; truePads: Pad[] }>;
  /**
   * The clips the chosen detector flagged (test indices), their label-head logits and PAD points (the
   * `labelling` variant's): discovery's groups pool these over folds (discovery-groups.ts).
   */
  flagged: { clips: number[]; logits: number[][]; pads: Pad[] };
  /** Clusters of the clips the chosen detector flagged (test indices), with their top-3 words (automatic mode). */
  discovery: { members: number[]; words: string[]; pad: Pad; silhouette: number }[];
  /**
   * automatic: a created class counts only under the dataset label its PAD word stands for (a class named
   * "Surprise" is wrong for every clip); automaticMapped: the same head with each created class renamed to
   * the majority true label of the clips it was made from (oracle naming: separates discovery from naming).
   */
  predictions: { knownOnly: string[]; closedSet: string[]; automatic: string[]; automaticMapped: string[]; confirmed: string[] };
  /**
   * Test clips (test indices) whose rows the incremental step was fitted on, so scoring them measures recall of
   * the training data, not classification: automatic = the members of the clusters that became new classes;
   * confirmed = every flagged clip (the simulated annotator gave each its true label: unknown ones make the new
   * classes, known ones join the fine-tuning as known rows). The "unseen" scores leave these clips out.
   */
  fitted: { automatic: number[]; confirmed: number[] };
  newClasses: { automatic: { word: string; label: string | null; size: number; majority: string }[]; confirmed: string[] };
}

const select = <T>(a: readonly T[], idx: readonly number[]): T[] => idx.map((i) => a[i]);

export function evaluateFold(train: FoldData, test: FoldData, s: EvaluationSettings): FoldResult {
  const table = padTable(s.padTable);
  const unknownSet = new Set(s.unknown);
  const knownNames = [...new Set(train.labels)].filter((l) => !unknownSet.has(l)).sort();
  const knownIndex = new Map(knownNames.map((n, i) => [n, i]));
  const knownPads = knownNames.map((n) => classPad(n, table));
  const knownWords = knownNames.map((n) => termFor(n, table)!.name);
  // Label-free speaker statistics use every clip of a speaker; labels come from known classes only.
  const std = new Standardizer({ mode: s.standardize });
  const Ztrain = std.fitTransform(train.X, train.speakers);
  const Ztest = std.transform(test.X, test.speakers);
  const kIdx = train.labels.map((_, i) => i).filter((i) => knownIndex.has(train.labels[i]));
  const kX = select(Ztrain, kIdx);
  const kY = Int32Array.from(kIdx, (i) => knownIndex.get(train.labels[i])!);
  const kSpk = select(train.speakers, kIdx);
  const makeHead = () => new Head({ ...s.head, seed: s.seed });
  const makeDetectorHead = s.detectorHead ? () => new Head({ ...s.head, ...s.detectorHead, seed: s.seed }) : makeHead;

  // Detection (on its own head when detectorHead is set; the classifier head then is fitted separately).
  const suite = fitDetectorSuite(kX, kY, kSpk, knownNames.length, makeDetectorHead, { innerFolds: s.innerFolds, seed: s.seed, thresholdSource: s.thresholdSource, scoreNorm: s.scoreNorm, detectors: s.detectors });
  let head = suite.head;
  if (s.detectorHead) {
    head = makeHead();
    head.fit(kX, kY, { nClasses: knownNames.length });
  }
  const scores = suite.score(Ztest, test.speakers);
  const detection = {} as FoldResult['detection'];
  for (const d of DETECTORS) {
    const th = suite.thresholds[d];
    detection[d] = { scores: Array.from(scores[d]), threshold: th, flagged: Array.from(scores[d], (v) => v > th), fallback: suite.fallback[d] };
  }
  const truth = [...test.labels];
  const isUnknown = truth.map((l) => !knownIndex.has(l));

  // PAD regressor: the clips' own P, A, D when every known training clip has one, else class vectors.
  const ownPads = train.pads && kIdx.every((i) => train.pads![i]) ? kIdx.map((i) => train.pads![i]!) : null;
  const ridge = new PadRidge({ lambda: s.ridgeLambda }).fit(kX, ownPads ?? Array.from(kY, (c) => knownPads[c]));
  const ridgeTest = ridge.predict(Ztest);

  // Labelling of the truly unknown clips, every variant.
  const uIdx = truth.map((_, i) => i).filter((i) => isUnknown[i]);
  const truePadOf = (i: number): Pad => test.pads?.[i] ?? classPad(truth[i], table);
  const labelling = {} as FoldResult['labelling'];
  for (const v of LABELLING_VARIANTS) {
    if (uIdx.length === 0) {
      labelling[v] = { clips: [], words: [], correct: [], pads: [], truePads: [] };
      continue;
    }
    const r = labelClips(v, select(Ztest, uIdx), { head, ridgePads: select(ridgeTest, uIdx), knownNames, table, maxClusters: s.maxClusters, seed: s.seed });
    labelling[v] = {
      clips: uIdx,
      words: r.words,
      correct: r.words.map((w, k) => w !== null && w === termFor(truth[uIdx[k]], table)?.name),
      pads: r.pads,
      truePads: uIdx.map(truePadOf),
    };
  }

  // Discovery among the flagged clips.
  const flagged = detection[s.detector].flagged;
  const fIdx = truth.map((_, i) => i).filter((i) => flagged[i]);
  const padsFor = (idx: number[]): Pad[] =>
    s.labelling === 'ridge' ? select(ridgeTest, idx) : head.predictProba(select(Ztest, idx)).map((p) => padFromProbs(p, knownPads));
  const discovery: FoldResult['discovery'] = [];
  if (fIdx.length >= 2) {
    const space = s.clusterSpace === 'logits' ? head.logits(select(Ztest, fIdx)) : select(Ztest, fIdx);
    const d = discoverClusters(space, padsFor(fIdx), table, {
      maxK: s.maxClusters,
      seed: s.seed,
      topWords: 3,
      exclude: knownWords,
      distance: s.clusterDistance,
      minClusterSize: s.minClusterSizeForK,
    });
    for (const c of d.clusters) discovery.push({ members: c.members.map((m) => fIdx[m]), words: c.suggestions.map((t) => t.term.name), pad: c.pad, silhouette: c.silhouette });
  }

  const predictWith = (h: Head, names: readonly string[]) => Array.from(h.predict(Ztest), (c) => names[c]);
  const incr = { knownX: kX, knownY: kY, knownNames, knownPads, head, epochs: s.finetuneEpochs, newColumnLrScale: s.newColumnLrScale, replayPerClass: s.replayPerClass, seed: s.seed };

  // Automatic: each large-enough cluster becomes a class named by its nearest novel word; clusters sharing a
  // word become one class. A word maps back to a dataset label when it is that label's term.
  const labelOfWord = new Map<string, string>();
  for (const l of new Set([...train.labels, ...truth])) {
    const t = termFor(l, table);
    if (t) labelOfWord.set(t.name, l);
  }
  const byWord = new Map<string, number[]>();
  for (const c of discovery) {
    if (c.members.length < s.minClusterSize || c.words.length === 0) continue;
    // Only a coherent cluster becomes a class; the clips of the others stay with the known classes' head.
    if (c.silhouette < s.minClusterSilhouette) continue;
    // The paper's premise (section 3.2): an unknown class's PAD point lies away from the known vectors. A
    // cluster whose point is nearest to a known class's own vector is taken for flagged known clips.
    if (s.automaticGate && knownWords.includes(nearestTerms(c.pad, table, { k: 1 })[0].term.name)) continue;
    byWord.set(c.words[0], [...(byWord.get(c.words[0]) ?? []), ...c.members]);
  }
  const autoClasses: NewClass[] = [...byWord].map(([word, members]) => ({ name: word, pad: meanPad(padsFor(members)), rows: select(Ztest, members) }));
  const auto = growAndFinetune({ ...incr, newClasses: autoClasses });
  const automatic = predictWith(auto.head, auto.names.map((n, c) => (c < knownNames.length ? n : labelOfWord.get(n) ?? `word:${n}`)));
  const majorityOf = (members: number[]) => {
    const counts = new Map<string, number>();
    for (const i of members) counts.set(truth[i], (counts.get(truth[i]) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0][0];
  };
  const autoMajority = [...byWord].map(([, m]) => majorityOf(m));
  const automaticMapped = predictWith(auto.head, auto.names.map((n, c) => (c < knownNames.length ? n : autoMajority[c - knownNames.length])));

  // Confirmed: flagged clips get their true labels.
  const confirmedNew = new Map<string, number[]>();
  const extraIdx: number[] = [];
  for (const i of fIdx) {
    if (isUnknown[i]) confirmedNew.set(truth[i], [...(confirmedNew.get(truth[i]) ?? []), i]);
    else extraIdx.push(i);
  }
  const confClasses: NewClass[] = [...confirmedNew].map(([name, members]) => ({
    name,
    pad: termFor(name, table)?.pad ?? meanPad(select(ridgeTest, members)),
    rows: select(Ztest, members),
  }));
  const conf = growAndFinetune({ ...incr, newClasses: confClasses, extraKnownX: select(Ztest, extraIdx), extraKnownY: extraIdx.map((i) => knownIndex.get(truth[i])!) });
  const confirmed = predictWith(conf.head, conf.names);

  // Baselines: the known-class head as it is, and a head trained on every class (closed set).
  const knownOnly = predictWith(head, knownNames);
  const allNames = [...new Set(train.labels)].sort();
  const allIndex = new Map(allNames.map((n, i) => [n, i]));
  const closed = makeHead();
  closed.fit(Ztrain, Int32Array.from(train.labels, (l) => allIndex.get(l)!), { nClasses: allNames.length });
  const closedSet = predictWith(closed, allNames);

  return {
    testSpeakers: [...new Set(test.speakers)],
    knownClasses: knownNames,
    truth,
    isUnknown,
    detection,
    tuned: { ...suite.tuned, simulatedCases: suite.simulatedCases },
    labelling,
    flagged: { clips: fIdx, logits: fIdx.length ? head.logits(select(Ztest, fIdx)).map((r) => Array.from(r)) : [], pads: fIdx.length ? padsFor(fIdx) : [] },
    discovery,
    predictions: { knownOnly, closedSet, automatic, automaticMapped, confirmed },
    fitted: { automatic: [...byWord.values()].flat().sort((a, b) => a - b), confirmed: [...fIdx] },
    newClasses: {
      automatic: [...byWord].map(([word, m], k) => ({ word, label: labelOfWord.get(word) ?? null, size: m.length, majority: autoMajority[k] })),
      confirmed: [...confirmedNew.keys()],
    },
  };
}
