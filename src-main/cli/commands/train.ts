// eodn train <project> [--known a,b,c] [--encoder KIND] [--labels majority|distribution] [--gpu]: trains a new model version on the project's labelled
// clips (in this process; the studio uses a worker), makes it active, and prints a summary: classes, accuracy,
// and how the clips were decided (accepted / ambiguous / unknown).
import type { CAC } from 'cac';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelMetrics, ModelSettings } from '../../pipeline';
import { DEFAULT_ENCODER, epsilonRhoChoice, trainModel } from '../../pipeline';
import { deviceForEncoder, embedProjectClips, embedRunMessage } from '../../jobs/embedding-cache';
import { DEFAULT_EPSILON_RHO } from '../../../shared/defaults';
import { ProjectStore } from '../../store/project-store';
import { parseEncoderOption } from './embed';

export interface TrainCommandOptions {
  project: string;
  known?: string;
  encoder?: string;
  epsilon?: number;
  rho?: number;
  tune?: boolean;
  name?: string;
  /** What the heads are fitted on: the current labels (majority, default) or the votes' distribution. */
  labels?: string;
  /** Embed on a GPU when one is usable (the hybrid job, as the studio's "Embedding device"); else the CPU, saying why. */
  gpu?: boolean;
  log?: (line: string) => void;
}

export interface TrainSummary {
  versionId: number;
  parentId: number | null;
  classes: string[];
  epsilon: number;
  rho: number;
  thresholdSource: ModelSettings['thresholdSource'];
  /** What the heads were fitted on. */
  labels: 'majority' | 'distribution';
  metrics: ModelMetrics;
}

export async function runTrain(opts: TrainCommandOptions): Promise<TrainSummary> {
  const file = resolve(opts.project);
  if (!existsSync(file)) throw new Error(`no project file at ${file}`);
  const log = opts.log ?? ((l: string) => console.error(l));
  const known = opts.known?.split(',').map((s) => s.trim()).filter(Boolean);
  const labels = opts.labels?.trim().toLowerCase();
  if (labels !== undefined && labels !== 'majority' && labels !== 'distribution') throw new Error(`--labels is "${opts.labels}": expected majority or distribution`);
  const encoder = opts.encoder ? parseEncoderOption(opts.encoder) : DEFAULT_ENCODER;
  const store = ProjectStore.open(file);
  try {
    if (opts.gpu) {
      // The embeddings first, on the device asked for (the studio's training host does the same); the training
      // then finds them cached.
      const { device, reason } = deviceForEncoder(encoder, 'gpu');
      const r = await embedProjectClips(store, { encoder, device, keepVectors: false });
      log(`  ${embedRunMessage(r)}${reason ? ` (${reason})` : ''}`);
    }
    let lastStage = '';
    const v = await trainModel(store, {
      known: known?.length ? known : undefined,
      encoder,
      epsilonRho: epsilonRhoChoice(opts),
      name: opts.name,
      labels,
      onProgress: (p) => {
        if (p.stage !== lastStage) log(`  ${p.message}`);
        lastStage = p.stage;
      },
    });
    const s = v.settings as ModelSettings & { labels?: 'distribution' };
    return { versionId: v.id, parentId: v.parentId, classes: v.classes, epsilon: s.epsilon, rho: s.rho, thresholdSource: s.thresholdSource, labels: s.labels ?? 'majority', metrics: v.metrics as ModelMetrics };
  } finally {
    store.close();
  }
}

export function formatTrainSummary(s: TrainSummary): string {
  const m = s.metrics;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const d = m.decisions;
  return [
    `model version ${s.versionId}${s.parentId ? ` (parent ${s.parentId})` : ''} is active`,
    `classes: ${s.classes.map((c) => `${c} (${m.perClass[c] ?? 0})`).join(', ')}`,
    `training clips: ${m.nTrain}; accuracy on them ${pct(m.trainAccuracy)} (the head's own data: a fit, not a measure)`,
    ...(s.labels === 'distribution' ? ['heads fitted on the distribution of the annotators\' votes where two or more voted (held-out accuracy: heads fitted on the labels)'] : []),
    m.cv
      ? `held-out (${m.cv.scheme}, ${m.cv.folds} folds${m.cv.clips !== undefined ? `, ${m.cv.clips} clips` : ''}): accuracy ${pct(m.cv.accuracy)}, UAR ${pct(m.cv.uar)}`
      : 'held-out accuracy: not measured (too few clips to hold any out)',
    `thresholds: ε = ${s.epsilon}, ρ = ${s.rho} (statistics from ${s.thresholdSource === 'heldout' ? 'held-out' : 'training'} probabilities of the detection head)`,
    `decisions on ${m.predicted} clips: accepted ${d.accepted}, ambiguous-accepted ${d['ambiguous-accepted']}, ambiguous-unknown ${d['ambiguous-unknown']}, unknown ${d.unknown}`,
    `labelled clips outside the known classes: ${m.labelledOutside.n}, called unknown: ${m.labelledOutside.calledUnknown}`,
    ...(m.unknownDetector ? [unknownDetectorLine(m.unknownDetector)] : []),
    ...(m.embedErrors ? [`clips that could not be embedded: ${m.embedErrors}`] : []),
    `took ${m.seconds.toFixed(1)} s`,
  ].join('\n');
}

/** What flags unknowns for Discover: the fused detector with its threshold and simulated F1/AUROC, or the triplet rule and why. */
function unknownDetectorLine(u: NonNullable<ModelMetrics['unknownDetector']>): string {
  if (u.name !== 'fusion') return `unknowns flagged by ${u.label}: ${u.flagged ?? '?'} clips (${u.reason ?? 'no fused detector'})`;
  const f = (x: number | undefined) => (x === undefined ? '?' : x.toFixed(3));
  return `unknowns flagged by ${u.label}: ${u.flagged ?? '?'} clips (threshold ${f(u.threshold)}${u.fallback ? ', guard fell back' : ''}; on simulated unknowns F1 ${f(u.f1)}, AUROC ${f(u.auroc)})`;
}

export function registerTrain(cli: CAC): void {
  cli
    .command('train <project>', 'Train a new model version on the labelled clips of a project and make it active')
    .option('--known <classes>', 'Known classes, comma-separated (default: every class with at least 5 labelled clips)')
    .option('--encoder <kind>', 'speech-embedding (default: speech_embedding + functionals), speech-embedding-only, functionals, or a manifest .json')
    .option('--epsilon <x>', `ε of eq. 2 (default ${DEFAULT_EPSILON_RHO.epsilon})`)
    .option('--rho <x>', `ρ of eq. 3 (default ${DEFAULT_EPSILON_RHO.rho})`)
    .option('--tune', 'Choose ε and ρ on simulated unknowns instead (triplet statistics then from held-out probabilities)')
    .option('--name <name>', 'Name of the version')
    .option('--labels <kind>', 'Fit the heads on the current labels (majority, default) or, where two or more annotators voted, on the distribution of their votes (distribution)')
    .option('--gpu', 'Embed on a GPU when one is usable (CUDA, then WebGPU); otherwise the CPU, and it says why')
    .option('--json', 'Print the summary as JSON')
    .action(async (project: string, o: { known?: string; encoder?: string; epsilon?: string; rho?: string; tune?: boolean; name?: string; labels?: string; gpu?: boolean; json?: boolean }) => {
      const num = (x: string | undefined) => (x === undefined ? undefined : Number(x));
      const summary = await runTrain({ project, known: o.known, encoder: o.encoder, epsilon: num(o.epsilon), rho: num(o.rho), tune: o.tune, name: o.name, labels: o.labels, gpu: o.gpu });
      console.log(o.json ? JSON.stringify(summary, null, 2) : formatTrainSummary(summary));
    });
}
