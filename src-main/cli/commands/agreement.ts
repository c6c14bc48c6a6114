// eodn agreement: how far annotators agree. Either a crowd vote table (CREMA-D's tabulatedVotes.csv, one
// condition at a time) or a project's own answers (each annotator's current answer per clip). The statistics
// are engine/agreement's; this file only reads, prints and writes.
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { agreementReport, cremaVoteTable, CREMA_CONDITIONS, type CremaCondition } from '../../engine/agreement';
import { readRegularFileSync } from '../../engine/regular-file';
import { table } from '../../bench/table';
import { annotatorVotes } from '../../store/annotator-votes';
import { parseCsv } from '../../store/import/csv';
import { ProjectStore } from '../../store/project-store';
import { writeReportFile } from '../report-files';

type Report = ReturnType<typeof agreementReport>;

export interface AgreementOptions {
  votes?: string;
  condition?: string;
}

/** The report of a vote table file (one condition) or of a project; `source` says which. */
export function agreementFor(project: string | undefined, opts: AgreementOptions): Report & { source: Record<string, unknown> } {
  if (project && opts.votes) throw new Error('give a project or --votes <csv>, not both');
  if (opts.votes) {
    const condition = (opts.condition ?? 'voice') as CremaCondition;
    if (!CREMA_CONDITIONS.includes(condition)) throw new Error(`--condition must be one of ${CREMA_CONDITIONS.join(', ')}, not "${opts.condition}"`);
    const file = resolve(opts.votes);
    const records = parseCsv(readRegularFileSync(file).toString('utf8'));
    const votes = cremaVoteTable(records, condition);
    if (votes.units.length === 0) throw new Error(`${file}: no rows for the ${condition} condition`);
    return { source: { votes: file, condition }, ...agreementReport(votes) };
  }
  if (!project) throw new Error('give a project file or --votes <csv>');
  if (opts.condition) throw new Error('--condition goes with --votes');
  const store = ProjectStore.open(resolve(project), { readonly: true });
  try {
    const v = annotatorVotes(store);
    return { source: { project: store.file }, ...agreementReport(v.table, { coders: v.coders, pads: v.pads }) };
  } finally {
    store.close();
  }
}

const f3 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const pct = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');

/** The report as text: the overall figures, then per class, then per actor (or speaker), then annotator pairs. */
export function formatAgreement(r: Record<string, any>): string {
  const out: string[] = [];
  const src = r.source.votes ? `${r.source.votes} (${r.source.condition})` : r.source.project;
  const rpu = r.raters_per_unit;
  out.push(`${src}: ${r.units} units, ${r.ratings} ratings, ${rpu.min}-${rpu.max} per unit (mean ${rpu.mean.toFixed(2)})`);
  if (r.pairable_units === 0) {
    out.push('no clip has answers from two annotators yet: nothing to compare');
    return out.join('\n');
  }
  const pad = r.krippendorff_alpha.interval_pad;
  const m = r.majority_vs_intended;
  out.push(
    table(
      ['statistic', 'value'],
      [
        ["Krippendorff's alpha, nominal", f3(r.krippendorff_alpha.nominal)],
        ["Krippendorff's alpha, interval: pleasure", f3(pad.pleasure)],
        ['  arousal', f3(pad.arousal)],
        ['  dominance', f3(pad.dominance)],
        ["Fleiss' kappa", f3(r.fleiss_kappa)],
        ['majority = intended', `${pct(m.share)} of ${m.clips}`],
        ['  ties split', pct(m.share_ties_split)],
        ['  ties', String(m.ties)],
      ],
    ),
  );
  if (pad.categories_without_pad.length) out.push(`(no PAD vector, left out of the interval alphas: ${pad.categories_without_pad.join(', ')})`);
  out.push('');
  out.push(
    table(
      ['class', 'share', 'kappa_j', 'specific', 'intended', 'majority = intended'],
      r.categories.map((c: string) => {
        const p = r.per_class[c];
        return [c, pct(p.proportion), f3(p.fleiss_kappa), f3(p.specific_agreement), String(p.majority_vs_intended.clips), pct(p.majority_vs_intended.share)];
      }),
    ),
  );
  const actors = Object.entries(r.per_actor as Record<string, any>);
  if (actors.length) {
    out.push('');
    out.push(
      table(
        [r.source.votes ? 'actor' : 'speaker', 'clips', 'alpha', 'kappa', 'majority = intended'],
        actors.map(([a, s]) => [a, String(s.clips), f3(s.krippendorff_alpha_nominal), f3(s.fleiss_kappa), pct(s.majority_vs_intended.share)]),
      ),
    );
  }
  if (r.pairwise_cohen?.length) {
    out.push('');
    out.push(table(['annotators', 'clips', "Cohen's kappa", 'agreement'], r.pairwise_cohen.map((p: any) => [`${p.a} / ${p.b}`, String(p.units), f3(p.kappa), pct(p.observed_agreement)])));
  }
  return out.join('\n');
}

export function registerAgreement(cli: CAC): void {
  cli
    .command('agreement [project]', "Agreement between annotators: Krippendorff's alpha, Fleiss' kappa, per class and per actor, majority vs intended; from a project's answers or a crowd vote table")
    .option('--votes <csv>', "A vote table (CREMA-D's tabulatedVotes.csv) instead of a project")
    .option('--condition <condition>', `With --votes: ${CREMA_CONDITIONS.join(', ')} (default voice)`)
    .option('--json [file]', 'Write the full report as JSON to a file (without one: to stdout, instead of the tables)')
    .example('eodn agreement --votes ../shared/data/crema-d/tabulatedVotes.csv --condition voice --json voice.json')
    .example('eodn agreement lab.eodn')
    .action((project: string | undefined, opts: { votes?: string; condition?: string; json?: string | boolean }) => {
      const report = agreementFor(project, { votes: opts.votes, condition: opts.condition });
      // NaN (an undefined alpha or kappa) becomes null in JSON.
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (opts.json === true || opts.json === '') process.stdout.write(json);
      else {
        if (opts.json) writeReportFile(String(opts.json), json);
        console.log(formatAgreement(report));
      }
    });
}
