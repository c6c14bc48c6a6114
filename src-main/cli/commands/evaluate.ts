import type { CAC } from 'cac';
import { writeReportFile } from '../report-files';
import type { EncoderSpec } from '../../engine/encoders/create';
import { formatReport, runEvaluation, type DetectorName, type EvaluationSettings } from '../../evaluation';

interface EvaluateOptions {
  unknown?: string;
  json?: string;
  table?: string;
  encoder?: string;
  detector?: string;
  labelling?: string;
  padTable?: string;
  hidden?: string;
  standardize?: string;
  workers?: string;
  cache?: boolean;
  seed?: string;
  thresholdSource?: string;
  detectorL2?: string;
  clusterSpace?: string;
}

const ENCODERS = ['functionals', 'speech-embedding', 'speech-embedding-only'];

export function registerEvaluate(cli: CAC): void {
  cli
    .command('evaluate <dataset>', 'Leave-one-speaker-out evaluation of detection, PAD labelling, discovery and incremental learning (dataset: manifest CSV, its folder, or an EmoDB/RAVDESS folder)')
    .option('--unknown <classes>', 'Comma-separated classes held out as unknown (required), e.g. disgust,fear')
    .option('--json <file>', 'Write the full report as JSON')
    .option('--table <file>', 'Also write the printed table to a file')
    .option('--encoder <kind>', `Features: ${ENCODERS.join(' | ')} (default speech-embedding)`)
    .option('--detector <name>', 'Detector driving discovery and incremental learning (default msp+mahalanobis)')
    .option('--labelling <kind>', 'PAD point used to name new classes: ridge | convex (default ridge)')
    .option('--pad-table <id>', 'PAD terms: eodn | russell-mehrabian | combined (default eodn)')
    .option('--hidden <n>', 'Hidden units of the head (0 = softmax regression, default)')
    .option('--standardize <mode>', 'per-speaker | global (default per-speaker)')
    .option('--workers <n>', 'Embedding worker threads (default: one per core)')
    .option('--no-cache', 'Do not read or write the embedding cache under the OS temp folder')
    .option('--seed <n>', 'Seed of every fit and split')
    .option('--threshold-source <src>', 'Triplet statistics from: train | heldout (default train)')
    .option('--detector-l2 <x>', 'L2 of the separate detection head (default 0.1); "none" = detectors use the classifier head')
    .option('--cluster-space <space>', 'Flagged clips are clustered on: features | logits (default logits)')
    .action(async (dataset: string, o: EvaluateOptions) => {
      if (!o.unknown) throw new Error('--unknown is required, e.g. --unknown disgust,fear');
      const encoder = o.encoder ?? 'speech-embedding';
      if (!ENCODERS.includes(encoder)) throw new Error(`--encoder must be one of ${ENCODERS.join(', ')}`);
      const settings: Partial<EvaluationSettings> = { unknown: o.unknown.split(',').map((s) => s.trim()).filter(Boolean) };
      if (o.detector) settings.detector = o.detector as DetectorName;
      if (o.labelling) {
        if (o.labelling !== 'ridge' && o.labelling !== 'convex') throw new Error('--labelling must be ridge or convex');
        settings.labelling = o.labelling;
      }
      if (o.padTable) settings.padTable = o.padTable as EvaluationSettings['padTable'];
      if (o.standardize) settings.standardize = o.standardize as EvaluationSettings['standardize'];
      if (o.hidden !== undefined) settings.head = { hidden: Number(o.hidden) };
      if (o.seed !== undefined) settings.seed = Number(o.seed);
      if (o.thresholdSource !== undefined) {
        if (o.thresholdSource !== 'train' && o.thresholdSource !== 'heldout') throw new Error('--threshold-source must be train or heldout');
        settings.thresholdSource = o.thresholdSource;
      }
      if (o.detectorL2 !== undefined) {
        const raw = String(o.detectorL2);
        const l2 = Number(raw);
        if (raw === 'none') settings.detectorHead = null;
        else if (!Number.isFinite(l2) || l2 < 0) throw new Error('--detector-l2 must be a number ≥ 0 or "none"');
        else settings.detectorHead = { l2 };
      }
      if (o.clusterSpace !== undefined) {
        if (o.clusterSpace !== 'features' && o.clusterSpace !== 'logits') throw new Error('--cluster-space must be features or logits');
        settings.clusterSpace = o.clusterSpace;
      }
      const report = await runEvaluation(dataset, {
        settings,
        encoder: { kind: encoder } as EncoderSpec,
        embed: { workers: o.workers !== undefined ? Number(o.workers) : undefined, cacheDir: o.cache === false ? null : undefined },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const table = formatReport(report);
      process.stdout.write(`${table}\n`);
      if (o.json) writeReportFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
      if (o.table) writeReportFile(o.table, `${table}\n`);
    });
}
