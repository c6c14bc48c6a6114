// What a model version stores as its bundle: everything needed to predict a clip from its embedding
// (encoder, standardizer, head weights, PAD regressor, the classes' PAD vectors), and the one function that
// turns embeddings into predictions (probabilities → eq. 1-3 decision → eq. 4 / ridge PAD → eq. 5 words).
import { DECISION_KINDS, type DecisionKind, type Pad, type PadTerm } from '../../shared/domain';
import { padTermNameFor } from '../../shared/pad-names';
import { padTable, type PadTableId } from '../../shared/pad-tables';
import type { EncoderSpec } from '../engine/encoders/create';
import type { FusedDetectorJSON } from '../engine/detectors/fusion';
import { decide, Head, Standardizer, type HeadJSON, type MuRule, type StandardizerJSON, type TripletThresholds } from '../engine/odn';
import { classPadsFor, padFromProbs, PadRidge, suggestTerms, type PadRidgeJSON } from '../engine/pad';
import type { ModelVersion, NewPrediction } from '../store/models';
import type { ProjectStore } from '../store/project-store';
import type { FittedDetectors } from './detector-verdicts';
import { fusedVerdicts, loadFusedDetector } from './fused-detector';
import { PipelineError } from './project-data';
import type { DecisionCounts, ModelSettings, PadMethod } from './types';

export interface ModelBundle {
  format: 'eodn-model/1';
  encoder: EncoderSpec;
  standardizer: StandardizerJSON;
  /** The label head (classifier, light L2): its logits are what discovery clusters. */
  head: HeadJSON;
  /**
   * The detection head (stronger L2, less over-confident probabilities): every stored probability vector and
   * Decision (p1, p2, η, μ, δ, accepted label = its top-1) comes from it, so what the DecisionPanel shows is
   * one head's numbers. Absent in versions made with one head: then `head` does both.
   */
  detectorHead?: HeadJSON;
  /** Features → PAD, trained on the known clips with their class vector as target; null without PAD vectors. */
  padRidge: PadRidgeJSON | null;
  /** F_j of each class in head order (null: the class has no PAD vector, then eq. 4 is not computed). */
  classPads: (Pad | null)[];
  /**
   * Thresholds of the other detectors (detector-verdicts.ts) whose verdicts each prediction stores; for
   * information only (their fitted state is not kept: nothing re-scores them later). Absent in older versions.
   */
  detectors?: { name: string; threshold: number }[];
  /**
   * The fused detector that flags unknown clips (pipeline/fused-detector.ts): its members fitted under the
   * detection head, rank references and threshold, enough to re-score any clip identically. Absent in versions
   * made before it and where none could be fitted: then the triplet rule flags (Discover says so).
   */
  fusedDetector?: FusedDetectorJSON;
}

export function isModelBundle(x: unknown): x is ModelBundle {
  return typeof x === 'object' && x !== null && (x as ModelBundle).format === 'eodn-model/1';
}

/** The version's bundle, settings and thresholds, checked. */
export function loadVersion(v: ModelVersion): { bundle: ModelBundle; settings: ModelSettings; thresholds: TripletThresholds } {
  if (!isModelBundle(v.bundle)) throw new PipelineError(`model version ${v.id} was not made by this pipeline`);
  return { bundle: v.bundle, settings: v.settings as ModelSettings, thresholds: v.thresholds as TripletThresholds };
}

/** F_j per class: the project's own PAD for the class if set, else the table term its name maps to. */
export function resolveClassPads(store: ProjectStore, classes: readonly string[], table: PadTableId): (Pad | null)[] {
  const own = new Map(store.classes().map((c) => [c.name, c.pad]));
  const fromTable = classPadsFor(classes, padTable(table));
  return classes.map((c, i) => own.get(c) ?? fromTable[i]);
}

export interface Predictor {
  classes: readonly string[];
  /** The head whose probabilities make the decisions (the detection head, or the only head). */
  head: Head;
  standardizer: Standardizer;
  padRidge: PadRidge | null;
  /** Standardized rows for raw embeddings. */
  standardize(X: readonly Float32Array[], speakers: readonly (string | null)[]): Float32Array[];
  /**
   * Predictions for standardized rows, with each row's speaker (the fused detector z-scores its members within
   * each speaker over the rows predicted together: pass every clip of the project).
   */
  predict(ids: readonly number[], Z: readonly Float32Array[], speakers: readonly (string | null)[]): NewPrediction[];
}

/**
 * `detectors`: fitted under this bundle's deciding head; their verdicts are stored in each decision's JSON.
 * `words`: the preferred words (suggested-words.ts: the project's other classes, Table 1) tried before the table.
 */
export function makePredictor(
  bundle: ModelBundle,
  classes: readonly string[],
  thresholds: TripletThresholds,
  settings: Pick<ModelSettings, 'muRule' | 'padTable' | 'padMethod'>,
  detectors?: FittedDetectors,
  words?: { terms: readonly PadTerm[]; exclude: readonly string[] },
): Predictor {
  const head = Head.fromJSON(bundle.detectorHead ?? bundle.head);
  const standardizer = Standardizer.fromJSON(bundle.standardizer);
  const padRidge = bundle.padRidge ? PadRidge.fromJSON(bundle.padRidge) : null;
  const table = padTable(settings.padTable);
  const pads = bundle.classPads.every((p): p is Pad => p !== null) ? (bundle.classPads as Pad[]) : null;
  // Read back from the bundle as stored, so the flags a version records are those its reloaded state gives.
  const fused = loadFusedDetector(bundle);
  // The decision already names the class; the words suggest what else the clip may be, so the known
  // classes' own terms are left out (eq. 5 over the rest of the table).
  const exclude = words?.exclude ?? classes.map((c) => padTermNameFor(c) ?? c);
  return {
    classes,
    head,
    standardizer,
    padRidge,
    standardize: (X, speakers) => standardizer.transform(X, speakers),
    predict(ids, Z, speakers) {
      const P = head.predictProba(Z);
      const ridge = padRidge && Z.length ? padRidge.predict(Z) : null;
      const verdicts = detectors?.verdicts(Z);
      const flags = fused ? fusedVerdicts(fused, head, Z, speakers) : null;
      return P.map((p, i) => {
        const decided = decide(p, thresholds, classes, { muRule: settings.muRule });
        // The flagging detector's verdict first, then the others (MSP, Mahalanobis) for comparison.
        const all = [...(flags ? [flags[i]] : []), ...(verdicts?.[i] ?? [])];
        const decision = flags || verdicts ? { ...decided, detectors: all } : decided;
        const pad = pointFor(settings.padMethod, pads ? padFromProbs(p, pads) : null, ridge?.[i] ?? null);
        const nearest = pad ? suggestTerms(pad, words?.terms ?? [], table, { k: 3, exclude }).map((t) => ({ name: t.term.name, distance: round(t.distance) })) : [];
        return { clipId: ids[i], probs: Float32Array.from(p), decision, pad: pad ? (pad.map(round) as unknown as Pad) : null, nearest };
      });
    },
  };
}

function pointFor(method: PadMethod, eq4: Pad | null, ridge: Pad | null): Pad | null {
  return method === 'ridge' ? (ridge ?? eq4) : (eq4 ?? ridge);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** A zero for each decision kind, in `DECISION_KINDS` order. */
export function emptyDecisionCounts(): DecisionCounts {
  return Object.fromEntries(DECISION_KINDS.map((k) => [k, 0])) as DecisionCounts;
}

export function countDecisions(preds: readonly { decision: { kind: DecisionKind } }[]): DecisionCounts {
  const c = emptyDecisionCounts();
  for (const p of preds) c[p.decision.kind]++;
  return c;
}
