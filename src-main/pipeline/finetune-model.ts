// addClassAndFinetune: the incremental step (paper section 3.3). The active head grows one output column
// initialised by eq. 6 from the new class's PAD point, is fine-tuned on the new class's clips plus a replay
// sample of known clips (new column learning faster), gets thresholds recomputed for all classes, and
// re-predicts every clip. A two-head version grows both heads the same way: the detection head decides (its
// thresholds come from its own training probabilities here, whatever the base used), the label head's logits
// keep serving discovery. The result is a new version whose parent is the base; nothing is overwritten.
import type { Pad } from '../../shared/domain';
import { weightedAccuracy } from '../engine/metrics';
import { DEFAULT_FINETUNE_SETTINGS, finetune, growHead, Head, rethreshold, Standardizer, type FinetuneSettings, type GrowWeighting } from '../engine/odn';
import { meanPad } from '../engine/pad';
import type { ModelVersion } from '../store/models';
import type { ProjectStore } from '../store/project-store';
import { crossValidateFinetune } from './cross-validate';
import { inheritCalibration } from './labels-estimate';
import { fitDetectors } from './detector-verdicts';
import { fitStudioFusedDetector, fusedDetectorJSON, TRIPLET_ASKED, unknownDetectorInfo } from './fused-detector';
import { countDecisions, loadVersion, makePredictor, resolveClassPads, type ModelBundle } from './model-bundle';
import { preferredWords } from './suggested-words';
import { padTable } from '../../shared/pad-tables';
import { cancelRequested, checkCancelled, PipelineError, projectClips, projectVectors } from './project-data';
import { saveVersion } from './save-version';
import { fitPadRidge, flaggedCount, outsideStats } from './train-model';
import type { ModelMetrics, ModelSettings, RunHooks, EmbedRunOptions, UnknownDetectorChoice } from './types';

export interface FinetuneOptions extends RunHooks {
  /** The new class's name (created as a 'discovered' class when the project does not have it yet). */
  name: string;
  /** Its PAD point f of eq. 6; default: the class's own PAD, else its table term, else the mean eq. 4 point of its clips. */
  pad?: Pad;
  /** Clips of the new class: they are labelled with it (annotation 'new-class') unless they already are. */
  clipIds: number[];
  annotator?: string;
  /** Version to grow (default: the active one). */
  baseVersionId?: number;
  settings?: Partial<FinetuneSettings>;
  weighting?: GrowWeighting;
  versionName?: string;
  activate?: boolean;
  embed?: EmbedRunOptions;
  /** As TrainOptions.unknownDetector: 'triplet' skips refitting the fused detector. */
  unknownDetector?: UnknownDetectorChoice;
}

export async function addClassAndFinetune(store: ProjectStore, opts: FinetuneOptions): Promise<ModelVersion> {
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const name = opts.name?.trim();
  if (!name) throw new PipelineError('the new class needs a name');
  const baseId = opts.baseVersionId ?? store.activeModelVersionId();
  if (baseId === null) throw new PipelineError('there is no model to grow: train one first');
  const base = store.getModelVersion(baseId);
  const { bundle, settings: baseSettings, thresholds: baseThresholds } = loadVersion(base);
  if (base.classes.includes(name)) throw new PipelineError(`model version ${baseId} already has the class "${name}"`);
  const clipIds = [...new Set(opts.clipIds)];
  if (clipIds.length === 0) throw new PipelineError(`no clips given for the new class "${name}"`);
  for (const id of clipIds) store.getClip(id); // not-found for a clip outside the project

  progress({ stage: 'prepare', done: 0, total: 1, message: `adding the class "${name}"` });
  const { f, padSource } = newClassPad(store, base.id, name, clipIds, opts.pad, baseSettings.padTable);
  const knownPads = bundle.classPads;
  if (!knownPads.every((p): p is Pad => p !== null)) {
    throw new PipelineError(`eq. 6 needs a PAD vector for every known class; missing for ${base.classes.filter((_, i) => !knownPads[i]).join(', ')}`);
  }
  // The class and the clips' labels are recorded first: they are the annotator's answer, valid whatever
  // happens to the fine-tuning run.
  store.write(() => {
    const existing = store.classes().find((c) => c.name === name);
    if (!existing) store.addClass({ name, pad: f, origin: 'discovered' });
    const clips = new Map(projectClips(store).map((c) => [c.id, c]));
    const toLabel = clipIds.filter((id) => clips.get(id)?.label !== name);
    store.annotateMany(toLabel.map((clipId) => ({ clipId, annotator: opts.annotator ?? 'studio', action: 'new-class' as const, label: name, modelVersionId: base.id })));
  });

  const hooks = { onProgress: opts.onProgress, signal: opts.signal, shouldAbort: opts.shouldAbort };
  const emb = await projectVectors(store, bundle.encoder, opts.embed ?? {}, hooks);
  const clips = projectClips(store).filter((c) => emb.vectors.has(c.id));
  const standardizer = Standardizer.fromJSON(bundle.standardizer);
  const Zall = standardizer.transform(clips.map((c) => emb.vectors.get(c.id)!), clips.map((c) => c.speaker));
  const rowOf = new Map(clips.map((c, i) => [c.id, i]));
  const newSet = new Set(clipIds);
  const newClips = clips.filter((c) => newSet.has(c.id));
  if (newClips.length === 0) throw new PipelineError(`none of the new class's clips could be embedded`);
  // A known class renamed or merged since the base was trained (store/class-rename.ts) is still that class: its
  // clips, labelled with the name it has now, replay under the base's own name.
  const baseIndex = new Map<string, number>();
  base.classes.forEach((k, i) => {
    baseIndex.set(k, i);
    const now = store.currentClassName(k);
    if (!baseIndex.has(now)) baseIndex.set(now, i);
  });
  const knownClips = clips
    .filter((c) => !newSet.has(c.id) && c.label !== null && baseIndex.has(c.label))
    .map((c) => ({ ...c, label: base.classes[baseIndex.get(c.label!)!] }));
  const knownX = knownClips.map((c) => Zall[rowOf.get(c.id)!]);
  const knownY = Int32Array.from(knownClips, (c) => base.classes.indexOf(c.label!));
  const newX = newClips.map((c) => Zall[rowOf.get(c.id)!]);
  const C = base.classes.length;
  const classes = [...base.classes, name];

  const baseHead = Head.fromJSON(bundle.detectorHead ?? bundle.head);
  const ft = { ...DEFAULT_FINETUNE_SETTINGS, ...opts.settings };
  // Forgetting and learning measured on held-out clips (the version's own head has seen every clip).
  const heldOut = crossValidateFinetune(
    {
      knownX,
      knownY,
      knownSpeakers: knownClips.map((c) => c.speaker),
      newX,
      newSpeakers: newClips.map((c) => c.speaker),
      headSettings: baseSettings.detectorHead ?? baseSettings.head,
      pad: f,
      knownPads,
      weighting: opts.weighting ?? 'paper',
      finetune: ft,
      kFolds: 5,
    },
    hooks,
  );
  // The grown head's calibration of p1 from the same held-out folds; without any, the base version's map.
  const calibration = heldOut?.calibration ?? inheritCalibration(store, base.id);
  const grow = (h: Head, what: string) => {
    const grown = growHead(h, f, knownPads, opts.weighting ?? 'paper');
    const r = finetune(
      grown.head,
      { newX, newY: new Int32Array(newX.length).fill(C), knownX, knownY },
      ft,
      {
        shouldAbort: () => cancelRequested(opts),
        onEpoch: (epoch, loss, accuracy) => progress({ stage: 'fit', done: epoch, total: ft.epochs, message: `fine-tuning${what}: epoch ${epoch} of ${ft.epochs}`, epoch, loss, accuracy }),
      },
    );
    checkCancelled(hooks);
    return r;
  };
  const result = grow(baseHead, bundle.detectorHead ? ' the detection head' : '');
  const head = result.head;
  const labelHead = bundle.detectorHead ? grow(Head.fromJSON(bundle.head), ' the label head').head : null;

  progress({ stage: 'thresholds', done: 0, total: 1, message: 'recomputing triplet thresholds' });
  const allX = [...knownX, ...newX];
  const allY = Int32Array.from([...knownY, ...new Array<number>(newX.length).fill(C)]);
  const thresholds = rethreshold(head, allX, allY, { epsilon: baseThresholds.epsilon, rho: baseThresholds.rho });
  const classPads = [...knownPads, f];
  const padRidge = fitPadRidge(allX, [...knownClips, ...newClips.map((c) => ({ ...c, label: name }))], classes, classPads);
  // Refitted on the same clips as the thresholds, under the grown detection head (the old ones know C classes).
  const detectors = fitDetectors(head, allX, allY);
  // The fused detector is refitted, not inherited: the base's state knows C classes under the base head (its
  // OpenMax class means and Weibull tails, its Mahalanobis class means, its rank references of that head's
  // scores), while this version decides with a grown, fine-tuned head of C + 1 classes whose new class is now
  // known and must not be flagged. Simulations as at training (inner folds over the project's speakers, each
  // of the C + 1 classes held out in turn), fresh heads with the base's detection-head settings.
  progress({ stage: 'thresholds', done: 0, total: 1, message: 'refitting the fused unknown detector on simulated unknowns' });
  const allSpeakers = [...knownClips.map((c) => c.speaker), ...newClips.map((c) => c.speaker)];
  const fused =
    opts.unknownDetector === 'triplet'
      ? TRIPLET_ASKED
      : fitStudioFusedDetector(allX, allY, allSpeakers, classes.length, head, baseSettings.detectorHead ?? baseSettings.head, hooks);
  checkCancelled(hooks);

  const settings: ModelSettings = {
    ...baseSettings,
    known: classes,
    epsilonRhoSource: 'inherited',
    thresholdSource: 'train',
    finetune: { ...ft, newClass: name, newClassPad: f, padSource },
  };
  const heads = labelHead ? { head: labelHead.toJSON(), detectorHead: head.toJSON() } : { head: head.toJSON() };
  const { fusedDetector: _baseFused, ...baseBundle } = bundle;
  const newBundle: ModelBundle = { ...baseBundle, ...heads, padRidge: padRidge?.toJSON() ?? null, classPads, detectors: detectors.thresholds, ...fusedDetectorJSON(fused) };
  progress({ stage: 'predict', done: 0, total: clips.length, message: `predicting ${clips.length} clips` });
  const predictions = makePredictor(newBundle, classes, thresholds, settings, detectors, preferredWords(store, classes, padTable(settings.padTable))).predict(clips.map((c) => c.id), Zall, clips.map((c) => c.speaker));
  checkCancelled(hooks);
  const perClass = Object.fromEntries(classes.map((k, i) => [k, allY.filter((y) => y === i).length]));
  const metrics: ModelMetrics = {
    nTrain: allX.length,
    perClass,
    trainAccuracy: weightedAccuracy(allY, head.predict(allX)),
    cv: heldOut?.cv ?? null,
    decisions: countDecisions(predictions),
    predicted: predictions.length,
    embedErrors: emb.errors.length,
    labelledOutside: outsideStats(clips, classes, predictions),
    ...(calibration ? { calibration } : {}),
    unknownDetector: unknownDetectorInfo(fused, flaggedCount(fused.detector !== null, predictions)),
    forgetting: {
      ...(heldOut?.forgetting ?? { knownAccuracyBefore: NaN, knownAccuracyAfter: NaN, newClassAccuracy: NaN, heldOut: { scheme: 'k-fold', folds: 0, knownClips: 0, newClips: 0 } }),
      nNew: newX.length,
      replayed: result.replayIndices.length,
    },
    seconds: (performance.now() - t0) / 1000,
  };
  progress({ stage: 'save', done: 0, total: 1, message: 'saving the model version' });
  return saveVersion(store, {
    parentId: base.id,
    name: opts.versionName?.trim() || `+ ${name} (fine-tuned from v${base.id})`,
    classes,
    bundle: newBundle,
    thresholds,
    settings,
    metrics,
    predictions,
    activate: opts.activate ?? true,
  });
}

/** f of eq. 6: given, else the project's PAD for the class, else its table term, else the mean eq. 4 point of its clips under the base model. */
function newClassPad(store: ProjectStore, baseId: number, name: string, clipIds: readonly number[], given: Pad | undefined, table: ModelSettings['padTable']): { f: Pad; padSource: string } {
  if (given) return { f: given, padSource: 'given' };
  const [own] = resolveClassPads(store, [name], table);
  if (own) return { f: own, padSource: store.classes().some((c) => c.name === name && c.pad) ? 'class' : 'table' };
  const points = store.listPredictions(baseId, clipIds).flatMap((p) => (p.pad ? [p.pad] : []));
  if (points.length === 0) throw new PipelineError(`no PAD point for "${name}": give one (the base model has no PAD predictions for its clips)`);
  return { f: meanPad(points), padSource: 'clips' };
}
