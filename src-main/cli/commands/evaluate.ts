import type { CAC } from 'cac';
import { DETECTOR_HEAD_OVERRIDES } from '../../../shared/defaults';
import { writeReportFile } from '../report-files';
import { parseEncoderOption } from './embed';
import { formatReport, runEvaluation, type DetectorName, type EvaluationSettings } from '../../evaluation';
import { formatSplitsReport, runUnknownSplits } from '../../evaluation/unknown-splits';

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
  groupCut?: string;
  unknownSplits?: string;
  scoreNorm?: string;
}

export function registerEvaluate(cli: CAC): void {
  cli
    .command('evaluate <dataset>', 'Leave-one-speaker-out evaluation of detection, PAD labelling, discovery and incremental learning (dataset: manifest CSV, its folder, or an EmoDB/RAVDESS folder)')
    .option('--unknown <classes>', 'Comma-separated classes held out as unknown (required), e.g. disgust,fear')
    .option('--json <file>', 'Write the full report as JSON')
    .option('--table <file>', 'Also write the printed table to a file')
    .option('--encoder <kind>', 'Features: speech-embedding (default: speech_embedding + functionals) | speech-embedding-only | functionals | an encoder manifest .json')
    .option('--detector <name>', 'Detector driving discovery and incremental learning (default fusion)')
    .option('--labelling <kind>', 'PAD point used to name new classes: ridge | convex (default ridge)')
    .option('--pad-table <id>', 'PAD terms: eodn | russell-mehrabian | combined (default eodn)')
    .option('--hidden <n>', 'Hidden units of the head (0 = softmax regression, default)')
    .option('--standardize <mode>', 'per-speaker | global (default per-speaker)')
    .option('--workers <n>', 'Embedding worker threads (default: one per core)')
    .option('--no-cache', 'Do not read or write the embedding cache under the OS temp folder')
    .option('--seed <n>', 'Seed of every fit and split')
    .option('--threshold-source <src>', 'Triplet statistics from: train | heldout (default train)')
    .option('--detector-l2 <x>', `L2 of the separate detection head (default ${DETECTOR_HEAD_OVERRIDES.l2}); "none" = detectors use the classifier head`)
    .option('--cluster-space <space>', 'Flagged clips are clustered on: features | logits (default logits)')
    .option('--group-cut <d>', "Discovery's groups merge while their mean cosine distance stays under this (default 0.2)")
    .option('--unknown-splits <kind>', 'Instead of --unknown: "pairs" runs every pair of classes as the unknowns (detection only) and reports each detector\'s mean, sd and min F1 and AUROC over the splits')
    .option('--score-norm <mode>', 'Detector scores: none | per-speaker (z-scored within each speaker, no label; default per-speaker)')
    .action(async (dataset: string, o: EvaluateOptions) => {
      if (!o.unknown && !o.unknownSplits) throw new Error('--unknown is required, e.g. --unknown disgust,fear (or --unknown-splits pairs)');
      if (o.unknown && o.unknownSplits) throw new Error('give --unknown or --unknown-splits, not both');
      const encoder = parseEncoderOption(o.encoder);
      const settings: Partial<EvaluationSettings> = { unknown: (o.unknown ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
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
      if (o.groupCut !== undefined) {
        const cut = Number(o.groupCut);
        if (!(cut > 0 && cut <= 2)) throw new Error('--group-cut must be a cosine distance in (0, 2]');
        settings.groupCut = cut;
      }
      if (o.clusterSpace !== undefined) {
        if (o.clusterSpace !== 'features' && o.clusterSpace !== 'logits') throw new Error('--cluster-space must be features or logits');
        settings.clusterSpace = o.clusterSpace;
      }
      if (o.scoreNorm !== undefined) {
        if (o.scoreNorm !== 'none' && o.scoreNorm !== 'per-speaker') throw new Error('--score-norm must be none or per-speaker');
        settings.scoreNorm = o.scoreNorm;
      }
      if (o.unknownSplits !== undefined) {
        if (o.unknownSplits !== 'pairs') throw new Error('--unknown-splits must be pairs');
        const splits = await runUnknownSplits(dataset, 'pairs', {
          settings,
          encoder,
          embed: { workers: o.workers !== undefined ? Number(o.workers) : undefined, cacheDir: o.cache === false ? null : undefined },
          log: (line) => process.stderr.write(`${line}\n`),
        });
        const text = formatSplitsReport(splits);
        process.stdout.write(`${text}\n`);
        if (o.json) writeReportFile(o.json, `${JSON.stringify(splits, null, 2)}\n`);
        if (o.table) writeReportFile(o.table, `${text}\n`);
        return;
      }
      const report = await runEvaluation(dataset, {
        settings,
        encoder,
        embed: { workers: o.workers !== undefined ? Number(o.workers) : undefined, cacheDir: o.cache === false ? null : undefined },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const table = formatReport(report);
      process.stdout.write(`${table}\n`);
      if (o.json) writeReportFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
      if (o.table) writeReportFile(o.table, `${table}\n`);
    });
}
