// The report as a readable plain-text table (what `eodn evaluate` prints).
import type { EvaluationReport } from './aggregate';

const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '   -  ' : x.toFixed(3).padStart(6));

export function formatReport(r: EvaluationReport): string {
  const L: string[] = [];
  const s = r.settings;
  L.push(`E-ODN evaluation: ${r.folds} leave-one-speaker-out folds, ${r.clips} clips, ${r.unknown_clips} unknown (${s.unknown.join(', ')})`);
  L.push(`encoder ${String(s.encoder ?? '?')}, ${s.standardize} z-score, head hidden=${s.head.hidden ?? 0}, detector for discovery/incremental: ${s.detector}, PAD table ${s.padTable}`);
  L.push('');
  L.push(`Unknown detection (unknown = positive; thresholds from simulated unknowns on training speakers; scores ${s.scoreNorm === 'per-speaker' ? 'z-scored per speaker' : 'raw'})`);
  L.push('  detector           F1      P      R    AUROC  flagged  F1 ceiling');
  for (const [k, v] of Object.entries(r.unknown_detection))
    L.push(`  ${k.padEnd(16)} ${f(v.f1)} ${f(v.precision)} ${f(v.recall)} ${f(v.auroc)} ${String(v.flagged).padStart(6)}   ${f(v.f1_ceiling)}`);
  L.push('  (F1 ceiling: each fold\'s threshold picked on its own test labels; no threshold rule on these scores can beat it)');
  const fell = Object.entries(r.unknown_detection).filter(([, v]) => v.fallback_folds?.length);
  L.push(
    fell.length
      ? `  threshold fell back (max-F1 threshold flagged < 5 % or > 80 % of the simulations; 15 % known-FPR rule used) in folds: ${fell.map(([k, v]) => `${k} ${v.fallback_folds.join(',')}`).join('; ')}`
      : '  no threshold fell back (every max-F1 threshold flagged 5-80 % of the simulations)',
  );
  L.push('');
  L.push('Unknown labelling (every truly unknown clip; word = nearest PAD term)');
  L.push('  variant          word acc  mean dist' + (Object.values(r.unknown_labelling).some((v) => v.ccc) ? '  CCC P/A/D/mean' : ''));
  for (const [k, v] of Object.entries(r.unknown_labelling))
    L.push(`  ${k.padEnd(16)}  ${f(v.pad_word_accuracy)}    ${f(v.mean_pad_distance)}` + (v.ccc ? `  ${[v.ccc.p, v.ccc.a, v.ccc.d, v.ccc.mean].map(f).join(' ')}` : ''));
  L.push('');
  const d = r.unknown_discovery;
  L.push(`Discovery among flagged clips (${d.detector}), all test speakers pooled: ${d.flagged} clips in ${d.groups} groups ` +
    `(mean size ${f(d.mean_size).trim()}, stability ${f(d.stability_mean).trim()}) and ${d.singles} singles; ${d.groups_unknown_majority} groups with an unknown majority`);
  L.push(`  purity: strict ${f(d.purity_strict).trim()}, known classes pooled ${f(d.purity_pooled).trim()}, unknown clips only ${f(d.purity_unknown_only).trim()}; ` +
    `labelling every flagged clip: ${d.decisions} decisions (${f(d.decisions_per_flagged).trim()} per clip)`);
  L.push(`  suggested word (Table 1) right for the unknown-majority groups: nearest ${f(d.common_word_top1).trim()}, in the 3 nearest ${f(d.common_word_top3).trim()}`);
  const k = d.automatic_clusters;
  L.push(`  automatic mode's per-fold clusters: ${k.clusters}, purity ${f(k.purity).trim()} / pooled ${f(k.purity_known_pooled).trim()} / unknown only ${f(k.purity_unknown_only).trim()}, ` +
    `true word in top 3 for ${f(k.true_word_in_top3).trim()} of ${k.clusters_with_unknown_majority} unknown-majority clusters`);
  L.push('');
  L.push('Classification of all test clips                 WA      UA  micro-F1');
  const row = (name: string, a: { wa: number; ua: number; micro_f1: number }) => L.push(`  ${name.padEnd(46)} ${f(a.wa)}  ${f(a.ua)}  ${f(a.micro_f1)}`);
  const a = r.after_incremental.automatic;
  const c = r.after_incremental.confirmed;
  row('known-only baseline (unknowns always wrong)', r.known_only_baseline);
  row('after incremental, automatic (PAD-named)', a);
  row(`  unseen: the ${a.unseen.clips} clips not fine-tuned on`, a.unseen);
  row(`  dataset labels right (${a.dataset_labels.decisions} decisions)`, a.dataset_labels);
  row('  same head, new classes given majority label', r.after_incremental.automatic_mapped);
  row('after incremental, confirmed (annotator)', c);
  row(`  unseen: the ${c.unseen.clips} clips the annotator left`, c.unseen);
  row(`  dataset labels right (${c.dataset_labels.decisions} decisions)`, c.dataset_labels);
  row('closed-set baseline (all classes trained)', r.closed_set_baseline);
  row(`  on the same ${r.closed_set_baseline.unseen_confirmed.clips} clips as confirmed unseen`, r.closed_set_baseline.unseen_confirmed);
  L.push('  (rows without "unseen" score every test clip, the ones the fine-tuning was fitted on included;');
  L.push('   "dataset labels right" counts every clip the annotator labelled as right)');
  L.push(`  known-only head on known clips: WA ${f(r.known_only_baseline.wa_known_clips).trim()}`);
  const nc = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
  L.push(`New classes created (over folds): automatic ${nc(r.new_classes.automatic)}; confirmed ${nc(r.new_classes.confirmed)}`);
  L.push(`${r.seconds.toFixed(1)} s`);
  return L.join('\n');
}
