// eodn discover <project>: what Discover shows for the active model version — the flagged clips, their groups
// (size, stability, suggested words) and singles — with each group's clips counted by their current label
// where they have one (imported or answered), so a curator can see before listening how mixed a group is.
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import type { DiscoverResult } from '../../../shared/api';
import { table } from '../../bench/table';
import { discoverUnknownClusters } from '../../pipeline/discover';
import { ProjectStore } from '../../store/project-store';
import { writeReportFile } from '../report-files';

export interface DiscoverReport extends Omit<DiscoverResult, 'points'> {
  project: string;
  /** Per group (same order as `clusters`): its clips' current labels and counts, most frequent first ('' = none). */
  labels: { label: string; clips: number }[][];
  /** Over the groups' labelled clips: the share that have their group's most frequent label (NaN with none). */
  majority_share: number;
}

export async function runDiscover(project: string): Promise<DiscoverReport> {
  const store = ProjectStore.open(resolve(project));
  try {
    const { points: _points, ...d } = await discoverUnknownClusters(store);
    const labelOf = new Map<number, string>();
    const ids = [...d.clusters.flatMap((c) => c.clipIds), ...d.singles];
    for (let i = 0; i < ids.length; i += 5000)
      for (const r of store.listClipRows({ offset: 0, limit: 5000, filter: { ids: ids.slice(i, i + 5000) } }).rows) labelOf.set(r.id, r.currentLabel ?? '');
    let inMajority = 0, labelled = 0;
    const labels = d.clusters.map((c) => {
      const counts = new Map<string, number>();
      for (const id of c.clipIds) {
        const l = labelOf.get(id) ?? '';
        counts.set(l, (counts.get(l) ?? 0) + 1);
      }
      const sorted = [...counts].map(([label, clips]) => ({ label, clips })).sort((a, b) => b.clips - a.clips || (a.label < b.label ? -1 : 1));
      const named = sorted.filter((x) => x.label !== '');
      labelled += named.reduce((a, x) => a + x.clips, 0);
      inMajority += named[0]?.clips ?? 0;
      return sorted;
    });
    return { project: store.file, ...d, labels, majority_share: labelled ? inMajority / labelled : NaN };
  } finally {
    store.close();
  }
}

export function formatDiscover(r: DiscoverReport): string {
  const out: string[] = [];
  const by = r.flaggedBy;
  out.push(`model #${r.versionId ?? '-'}: ${r.flagged} clips flagged${by ? ` by ${by.label}` : ''}` +
    (by?.labelledKnown ? `; ${by.labelledKnown} more already labelled with a known class (not grouped)` : '') +
    (by?.tripletOnly ? `; ${by.tripletOnly} more the triplet rule calls unknown (left in Review)` : ''));
  if (r.versionId === null) return out.concat('no model version yet: train one first (eodn train)').join('\n');
  out.push(
    table(
      ['group', 'clips', 'stability', 'suggested words', 'current labels'],
      r.clusters.map((c, i) => [
        String(c.id),
        String(c.clipIds.length),
        c.stability === undefined ? '-' : c.stability.toFixed(2),
        c.suggestions.map((s) => s.name).join(', '),
        r.labels[i].map((x) => `${x.label || 'none'} ${x.clips}`).join(', '),
      ]),
    ),
  );
  out.push(`${r.singles.length} singles (close to no group)`);
  if (Number.isFinite(r.majority_share)) out.push(`grouped clips with a label that have their group's most frequent label: ${(100 * r.majority_share).toFixed(1)}%`);
  return out.join('\n');
}

export function registerDiscover(cli: CAC): void {
  cli
    .command('discover <project>', "What Discover shows for the active model version: the flagged clips' groups and singles, each group's suggested words and its clips' current labels")
    .option('--json <file>', 'Also write the report as JSON')
    .action(async (project: string, o: { json?: string }) => {
      const r = await runDiscover(project);
      console.log(formatDiscover(r));
      if (o.json) writeReportFile(o.json, JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
    });
}
