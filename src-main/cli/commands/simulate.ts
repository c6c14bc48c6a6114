// eodn simulate: the studio's loop driven by a simulated annotator against the baselines (see
// src-main/evaluation/simulate/run.ts): decisions → labels right, as JSON, an SVG plot and a table.
import type { CAC } from 'cac';
import { DETECTOR_HEAD_OVERRIDES } from '../../../shared/defaults';
import { writeReportFile } from '../report-files';
import { curvesSvg } from '../../evaluation/simulate/plot';
import { POLICIES, runSimulation, TARGETS, type PolicyCurves, type SimulationReport } from '../../evaluation/simulate/run';
import { DEFAULT_STUDIO_LOOP, type StudioLoopSettings } from '../../evaluation/simulate/studio-loop';
import { parseEncoderOption } from './embed';

/** An option's text as typed: the parser turns "03" into the number 3, and speaker ids keep their zeros. */
function rawOption(name: string): string | undefined {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export function formatSimulation(r: SimulationReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `${r.dataset}: ${r.folds} leave-one-speaker-out folds, ${r.pool_clips} pool clips; known ${r.known.join(', ')}; unknown ${r.unknown.join(', ')}; encoder ${r.encoder}; detection head L2 ${r.detector_l2}`,
    `calibration of the first model's labels (held-out speakers, top-1 of every pool clip): ECE ${r.calibration.ece_raw.toFixed(3)} raw → ${r.calibration.ece.toFixed(3)} calibrated over ${r.calibration.clips} clips; known-class clips ${r.calibration.known_classes.ece_raw.toFixed(3)} → ${r.calibration.known_classes.ece.toFixed(3)} over ${r.calibration.known_classes.clips}`,
    `labels likely right (the studio's estimate at 0 decisions): ${pct(r.calibration.estimate.likely_right)}; actually right: ${pct(r.calibration.estimate.right)}`,
  ];
  const sections: [string, PolicyCurves][] = [['annotator always right', r]];
  for (const [k, v] of Object.entries(r)) if (k.startsWith('noisy_')) sections.push([`annotator wrong ${pct(Number(k.slice(6)))} of the time`, v as PolicyCurves]);
  for (const [name, s] of sections) {
    lines.push('', `${name}${s.wrong_answers ? ` (${s.wrong_answers} wrong answers)` : ''}:`);
    lines.push(`  ${'way of labelling'.padEnd(20)} ${'UA at 0'.padStart(8)} ${'AULC'.padStart(7)} ${TARGETS.map((t) => `to ${Number(t) * 100} %`.padStart(16)).join('')}`);
    for (const p of POLICIES) {
      const to = TARGETS.map((t) => {
        const d = s.decisions_to[t][p];
        return (d === null ? 'never' : `${d} (${pct(d / r.pool_clips)})`).padStart(16);
      }).join('');
      lines.push(`  ${p.padEnd(20)} ${pct(s.curves[p][0].ua).padStart(8)} ${s.aulc[p].toFixed(3).padStart(7)} ${to}`);
    }
    lines.push(`  studio decisions: ${Object.entries(s.studio_decisions).map(([a, n]) => `${a} ${n}`).join(', ')}`);
  }
  lines.push('', `took ${r.seconds.toFixed(0)} s`);
  return lines.join('\n');
}

/** `key=value,…` over StudioLoopSettings: numbers, true/false, or null. */
export function parseLoopSettings(text: string): Partial<StudioLoopSettings> {
  const out: Record<string, unknown> = {};
  for (const pair of list(text)) {
    const [k, v] = pair.split('=').map((x) => x.trim());
    if (!(k in DEFAULT_STUDIO_LOOP)) throw new Error(`--loop: no setting "${k}" (settings: ${Object.keys(DEFAULT_STUDIO_LOOP).join(', ')})`);
    const value = v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : Number(v);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`--loop: ${k}=${v} is not a number`);
    out[k] = value;
  }
  return out as Partial<StudioLoopSettings>;
}

export function registerSimulate(cli: CAC): void {
  cli
    .command('simulate <dataset>', 'Decisions to a correctly labelled dataset: the studio\'s loop vs labelling by hand, closed-set review and automatic E-ODN, with a simulated annotator, leave-one-speaker-out')
    .option('--unknown <classes>', 'Comma-separated classes the first model does not know (required), e.g. disgust,fear')
    .option('--json <file>', 'Write the full report (curves, AULC, decisions to 90/95 %, calibration) as JSON')
    .option('--svg <file>', 'Write the curves as an SVG plot')
    .option('--noise <rates>', 'Annotator error rates besides 0 (default 0.1,0.2)')
    .option('--speakers <ids>', 'Only these test speakers (default: all)')
    .option('--encoder <kind>', 'Features: speech-embedding (default: speech_embedding + functionals) | speech-embedding-only | functionals | an encoder manifest .json (docs/encoders)')
    .option('--seed <n>', 'Seed of the annotator\'s errors')
    .option('--loop <settings>', 'Settings of the studio\'s loop, e.g. retrainEvery=15,batchAcceptMin=0.9 (see StudioLoopSettings)')
    .option('--detector-l2 <x>', `L2 of every model's detection head (default ${DETECTOR_HEAD_OVERRIDES.l2}, the studio's)`)
    .action(async (dataset: string, o: { unknown?: string; json?: string; svg?: string; noise?: string; speakers?: string; encoder?: string; seed?: string; loop?: string; detectorL2?: string }) => {
      if (!o.unknown) throw new Error('--unknown is required, e.g. --unknown disgust,fear');
      const encoder = parseEncoderOption(o.encoder);
      const noise = o.noise === undefined ? undefined : list(String(o.noise)).map(Number);
      if (noise?.some((x) => !(x > 0 && x < 1))) throw new Error('--noise takes error rates between 0 and 1, e.g. 0.1,0.2');
      const detectorL2 = o.detectorL2 === undefined ? undefined : Number(o.detectorL2);
      if (detectorL2 !== undefined && !(Number.isFinite(detectorL2) && detectorL2 >= 0)) throw new Error('--detector-l2 must be a number ≥ 0, e.g. 0.01');
      const report = await runSimulation(dataset, {
        unknown: list(o.unknown),
        encoder,
        noise,
        speakers: o.speakers !== undefined ? list(rawOption('--speakers') ?? String(o.speakers)) : undefined,
        seed: o.seed !== undefined ? Number(o.seed) : undefined,
        loop: o.loop ? parseLoopSettings(String(o.loop)) : undefined,
        detectorL2,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${formatSimulation(report)}\n`);
      if (o.json) writeReportFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
      if (o.svg) writeReportFile(o.svg, await curvesSvg(report));
    });
}
