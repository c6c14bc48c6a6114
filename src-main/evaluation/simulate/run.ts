// `eodn simulate`: how many of a curator's decisions it takes to reach a correctly labelled dataset, new
// emotions included, measured on clips no model was fitted on. Leave-one-speaker-out: in each fold the test
// speaker's clips are the unlabelled pool, the first model knows only the known classes of the other speakers,
// and a simulated annotator (true labels, or a share of wrong ones) drives each way of labelling the pool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DETECTOR_HEAD_OVERRIDES } from '../../../shared/defaults';
import { padTable } from '../../../shared/pad-tables';
import type { EncoderSpec } from '../../engine/encoders/create';
import { expectedCalibrationError, type CalibrationReport } from '../../engine/metrics';
import { ProjectStore } from '../../store/project-store';
import { loadDataset } from '../dataset';
import { encoderReportName } from '../encoder-name';
import { termFor } from '../pad-naming';
import { SimulatedAnnotator } from './annotator';
import { automaticLabels, closedSetReview, handLabelling } from './baselines';
import { areaUnderCurve, decisionsTo, pooledCurve, type CurvePoint, type FoldCurve } from './curves';
import { buildTemplate, copyProject, foldProject, type Template } from './fold-project';
import type { DecisionAct, PoolLabels } from './ledger';
import { modelView, type ModelView } from './pool-state';
import { DEFAULT_STUDIO_LOOP, loopUnknownDetector, runStudioLoop, type StudioLoopSettings } from './studio-loop';

export const POLICIES = ['hand', 'closed_set_review', 'automatic', 'studio'] as const;
export type Policy = (typeof POLICIES)[number];
export const TARGETS = ['0.90', '0.95'] as const;

export interface SimulateOptions {
  unknown: string[];
  encoder: EncoderSpec;
  /** Error rates of the annotator besides 0 (each gets its own section `noisy_<rate>`). */
  noise?: number[];
  loop?: Partial<StudioLoopSettings>;
  /** L2 of the detection head of every model the simulation trains (default: the studio's, `DETECTOR_HEAD_OVERRIDES`). */
  detectorL2?: number;
  seed?: number;
  /** Only these test speakers (default: every speaker): for quick runs and tests. */
  speakers?: string[];
  workerPath?: string;
  log?: (line: string) => void;
}

export interface PolicyCurves {
  annotator_error_rate: number;
  /** Answers of the annotator that were wrong, over all pools. */
  wrong_answers: number;
  curves: Record<Policy, CurvePoint[]>;
  aulc: Record<Policy, number>;
  decisions_to: Record<(typeof TARGETS)[number], Record<Policy, number | null>>;
  /** How the studio's decisions were spent. */
  studio_decisions: Record<DecisionAct, number>;
}

export interface SimulationReport extends PolicyCurves {
  dataset: string;
  /** The features every model was trained on: a bundled encoder's kind, or `manifest:<id>`. */
  encoder: string;
  unknown: string[];
  known: string[];
  folds: number;
  pool_clips: number;
  /**
   * Calibration of the first model's confidence in the label each pool clip keeps (its accepted label, or its
   * top-1 guess where it says unknown), on held-out speakers: `ece` and `bins` of the calibrated chance the
   * studio's estimate of labels right counts (the version's map, pipeline/labels-estimate.ts), `ece_raw` and
   * `bins_raw` of p1 itself; `known_classes` the same on the pool clips of the known classes only (the map is
   * fitted on such clips); `estimate` the share of the pool's labels the studio would call likely right before
   * any answer, against the share actually right (and the share it would say if clips called unknown counted
   * 0); `calibrated_folds` the folds whose first model had a map.
   */
  calibration: {
    ece: number;
    ece_raw: number;
    clips: number;
    bins: CalibrationReport['bins'];
    bins_raw: CalibrationReport['bins'];
    known_classes: { clips: number; ece: number; ece_raw: number; likely_right: number; right: number };
    estimate: { likely_right: number; right: number; likely_right_unknown_as_wrong: number };
    calibrated_folds: number;
    measured_on: string;
  };
  loop: StudioLoopSettings;
  /** L2 of every model's detection head (whose probabilities make the decisions, the queue's order and the batches). */
  detector_l2: number;
  per_fold: { speaker: string; pool: number; train_seconds: number; studio_decisions: number; classes_added: string[]; finetunes: number }[];
  seconds: number;
  [noisy: `noisy_${string}`]: PolicyCurves;
}

interface FoldRun {
  speaker: string;
  truth: string[];
  ledgers: Record<number, Record<Exclude<Policy, 'automatic'>, (d: number) => PoolLabels> & { automatic: PoolLabels; wrong: number; acts: Record<DecisionAct, number>; classesAdded: string[]; finetunes: number }>;
  view: ModelView[];
  trainSeconds: number;
}

export async function runSimulation(input: string, opts: SimulateOptions): Promise<SimulationReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const ds = loadDataset(input);
  const dir = mkdtempSync(join(tmpdir(), 'eodn-simulate-'));
  try {
    log(`dataset: ${ds.clips.length} clips, ${new Set(ds.clips.map((c) => c.speaker)).size} speakers`);
    const template = await buildTemplate(dir, ds.clips, opts.encoder, { workerPath: opts.workerPath, log });
    log(`embedded in ${template.embedSeconds.toFixed(1)} s`);
    const report = await simulateOnTemplate(template, dir, input, opts);
    report.seconds = (performance.now() - t0) / 1000;
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The simulation over a template project (every clip embedded, unlabelled); fold projects go to `dir`. */
export async function simulateOnTemplate(template: Template, dir: string, dataset: string, opts: SimulateOptions): Promise<SimulationReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 7;
  const loop: StudioLoopSettings = { ...DEFAULT_STUDIO_LOOP, ...opts.loop };
  const detectorHead = { l2: opts.detectorL2 ?? DETECTOR_HEAD_OVERRIDES.l2 };
  const rates = [0, ...(opts.noise ?? [0.1, 0.2]).filter((r) => r > 0)];
  const labels = [...new Set(template.clips.map((c) => c.label))].sort();
  const missing = opts.unknown.filter((u) => !labels.includes(u));
  if (missing.length) throw new Error(`unknown class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} not in the dataset (labels: ${labels.join(', ')})`);
  const known = labels.filter((l) => !opts.unknown.includes(l));
  if (known.length < 2) throw new Error('at least 2 known classes are needed');
  const allSpeakers = [...new Set(template.clips.map((c) => c.speaker))].sort();
  if (allSpeakers.length < 2) throw new Error(`leave-one-speaker-out needs at least 2 speakers (found ${allSpeakers.length})`);
  const speakers = opts.speakers ?? allSpeakers;
  const unheard = speakers.filter((s) => !allSpeakers.includes(s));
  if (unheard.length) throw new Error(`no speaker ${unheard.join(', ')} in the dataset (speakers: ${allSpeakers.join(', ')})`);
  const table = padTable('eodn');
  const labelOfWord = new Map<string, string>();
  for (const l of labels) {
    const t = termFor(l, table);
    if (t) labelOfWord.set(t.name, l);
  }
  const knownWords = new Set(known.map((k) => termFor(k, table)?.name).filter((w): w is string => !!w));
  log(`known: ${known.join(', ')}; unknown: ${opts.unknown.join(', ')}`);
  const runs: FoldRun[] = [];
  for (const [k, speaker] of speakers.entries()) {
    const tf = performance.now();
    const base = join(dir, `fold-${k}.eodn`);
    const { poolIds, trainSeconds } = await foldProject(template, base, { testSpeaker: speaker, known, encoder: opts.encoder, workerPath: opts.workerPath, unknownDetector: loopUnknownDetector(loop), detectorHead });
    const pool = template.clips.filter((c) => poolIds.includes(c.id));
    const truth = pool.map((c) => c.label);
    const poolTruth = new Map(pool.map((c) => [c.id, c.label]));
    const baseStore = ProjectStore.open(base, { readonly: true });
    const view = modelView(baseStore, poolIds);
    baseStore.close();
    const run: FoldRun = { speaker, truth, view, trainSeconds, ledgers: {} };
    const automatic = automaticLabels(view, labelOfWord, knownWords); // no decisions: the same whoever answers
    for (const rate of rates) {
      const annotator = new SimulatedAnnotator(poolTruth, labels, rate, seed * 1000 + k * 17 + Math.round(rate * 100));
      const hand = handLabelling(pool, annotator);
      const closed = closedSetReview(view, annotator);
      const copy = join(dir, `fold-${k}-noise-${rate}.eodn`);
      await copyProject(base, copy);
      const store = ProjectStore.open(copy);
      let studio;
      try {
        studio = await runStudioLoop(store, poolIds, annotator, loop, { detectorHead });
      } finally {
        store.close();
      }
      run.ledgers[rate] = {
        hand: (d) => hand.labelsAt(d),
        closed_set_review: (d) => closed.labelsAt(d),
        studio: (d) => studio.ledger.labelsAt(d),
        automatic,
        wrong: annotator.wrongAnswers(poolTruth),
        acts: studio.ledger.costByAct(),
        classesAdded: studio.classesAdded,
        finetunes: studio.finetunes,
      };
      rmSync(copy, { force: true });
      ['-wal', '-shm'].forEach((s) => rmSync(copy + s, { force: true }));
    }
    runs.push(run);
    const clean = run.ledgers[0];
    log(`fold ${k + 1}/${speakers.length} (speaker ${speaker}, pool ${pool.length}): trained in ${trainSeconds.toFixed(1)} s, studio classes added: ${clean.classesAdded.join(', ') || 'none'}; ${((performance.now() - tf) / 1000).toFixed(1)} s`);
  }

  const section = (rate: number): PolicyCurves => {
    const foldsFor = (p: Policy): FoldCurve[] =>
      runs.map((r) => {
        const l = r.ledgers[rate];
        return { truth: r.truth, labelsAt: p === 'automatic' ? () => l.automatic : l[p] };
      });
    const curves = Object.fromEntries(POLICIES.map((p) => [p, pooledCurve(foldsFor(p))])) as Record<Policy, CurvePoint[]>;
    const acts: Record<DecisionAct, number> = { review: 0, 'name-cluster': 0, 'dismiss-cluster': 0, 'batch-accept': 0 };
    for (const r of runs) for (const [a, n] of Object.entries(r.ledgers[rate].acts)) acts[a as DecisionAct] += n;
    return {
      annotator_error_rate: rate,
      wrong_answers: runs.reduce((s, r) => s + r.ledgers[rate].wrong, 0),
      curves,
      aulc: Object.fromEntries(POLICIES.map((p) => [p, areaUnderCurve(curves[p])])) as Record<Policy, number>,
      decisions_to: Object.fromEntries(TARGETS.map((t) => [t, Object.fromEntries(POLICIES.map((p) => [p, decisionsTo(curves[p], Number(t))]))])) as PolicyCurves['decisions_to'],
      studio_decisions: acts,
    };
  };

  // Calibration: the first model's confidence in the label a pool clip keeps (its accepted label, or its top-1
  // guess where it says unknown: pool-state.ts poolLabels), raw p1 and the calibrated chance, against whether
  // that label is right. Every pool clip's speaker was left out of that model's training and of the held-out
  // predictions its map was fitted on; clips of the unknown classes are in the pool but never in the map.
  const held = runs.flatMap((r) => r.view.map((v, i) => ({ v, right: v.top1 === r.truth[i], knownClass: known.includes(r.truth[i]) })));
  const eceOf = (xs: typeof held) => ({
    raw: expectedCalibrationError(xs.map((x) => x.v.p1), xs.map((x) => x.right)),
    calibrated: expectedCalibrationError(xs.map((x) => x.v.pRight), xs.map((x) => x.right)),
  });
  const onPool = eceOf(held);
  const knownPool = held.filter((x) => x.knownClass);
  const onKnown = eceOf(knownPool);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const calibration: SimulationReport['calibration'] = {
    ece: onPool.calibrated.ece,
    ece_raw: onPool.raw.ece,
    clips: held.length,
    bins: onPool.calibrated.bins,
    bins_raw: onPool.raw.bins,
    known_classes: {
      clips: knownPool.length,
      ece: onKnown.calibrated.ece,
      ece_raw: onKnown.raw.ece,
      likely_right: mean(knownPool.map((x) => x.v.pRight)),
      right: mean(knownPool.map((x) => (x.right ? 1 : 0))),
    },
    estimate: {
      likely_right: mean(held.map((x) => x.v.pRight)),
      right: mean(held.map((x) => (x.right ? 1 : 0))),
      // The other rule the studio could use: a clip the model calls unknown counts 0 instead of its guess's chance.
      likely_right_unknown_as_wrong: mean(held.map((x) => (x.v.label === null ? 0 : x.v.pRight))),
    },
    calibrated_folds: runs.filter((r) => r.view.some((v) => v.calibrated)).length,
    measured_on: 'every pool clip, by the label the first model gives it (its top-1: accepted, or its best guess for an unknown), each fold’s model and calibration map fitted without that speaker',
  };
  const report: SimulationReport = {
    dataset,
    encoder: encoderReportName(opts.encoder),
    unknown: opts.unknown,
    known,
    folds: runs.length,
    pool_clips: runs.reduce((s, r) => s + r.truth.length, 0),
    ...section(0),
    calibration,
    loop,
    detector_l2: detectorHead.l2,
    per_fold: runs.map((r) => ({
      speaker: r.speaker,
      pool: r.truth.length,
      train_seconds: r.trainSeconds,
      studio_decisions: Object.values(r.ledgers[0].acts).reduce((a, b) => a + b, 0),
      classes_added: r.ledgers[0].classesAdded,
      finetunes: r.ledgers[0].finetunes,
    })),
    seconds: 0,
  };
  for (const rate of rates.slice(1)) report[`noisy_${rate}`] = section(rate);
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
