// The Discover view's pure parts: the name a cluster's new class starts with, how a cluster's labels read,
// and the PAD plot's cloud.
import type { UnknownCluster } from '../../shared/api';
import type { ClipRow, Pad } from '../../shared/domain';

/**
 * The top suggested word that is not already a class of the project (case-insensitive); the user edits it
 * freely. Falls back to "new class" when every suggestion is taken.
 */
export function defaultClassName(cluster: Pick<UnknownCluster, 'suggestions'>, existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.trim().toLowerCase()));
  return cluster.suggestions.find((s) => !taken.has(s.name.toLowerCase()))?.name ?? 'new class';
}

/** Why a name cannot name a class at all (empty, too long), or null when it can. */
export function newClassNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Give the class a name.';
  if (n.length > 100) return 'The name is longer than 100 characters.';
  return null;
}

/** Why a name cannot be used for the new class, or null when it can. */
export function classNameProblem(name: string, modelClasses: readonly string[]): string | null {
  const n = name.trim();
  const basic = newClassNameProblem(n);
  if (basic) return basic;
  if (modelClasses.some((c) => c.toLowerCase() === n.toLowerCase())) return `The model already has a class “${n}”: send the clips there instead.`;
  return null;
}

/** A checked clip that had another label than the new class's name: imported with it, or answered. */
export interface Relabelled {
  id: number;
  name: string;
  from: string;
  source: 'imported' | 'answered';
}

/** What creating (or adding to) a class from the checked clips will change, shown before it acts. */
export interface CreatePlan {
  /** The name as it will be used: the existing class's spelling when the name exists. */
  name: string;
  /** Clips whose label becomes the class's name. */
  changed: number;
  /** Of those, the ones that had another label. */
  relabelled: Relabelled[];
  /** The name is already a class of the project (not of the model): the clips are added to it. */
  exists: boolean;
}

export function createPlan(
  name: string,
  clipIds: readonly number[],
  rows: ReadonlyMap<number, Pick<ClipRow, 'name' | 'currentLabel' | 'reviewed'>>,
  projectClasses: readonly string[],
): CreatePlan {
  const n = name.trim();
  const existing = projectClasses.find((c) => c.toLowerCase() === n.toLowerCase());
  const label = existing ?? n;
  let changed = 0;
  const relabelled: Relabelled[] = [];
  for (const id of clipIds) {
    const r = rows.get(id);
    if (r?.currentLabel === label) continue;
    changed++;
    if (r?.currentLabel) relabelled.push({ id, name: r.name, from: r.currentLabel, source: r.reviewed ? 'answered' : 'imported' });
  }
  return { name: label, changed, relabelled, exists: existing !== undefined };
}

/** The plan in sentences: "fear exists: the clips will be added to it. 5 clips get the label …". */
export function createPlanText(p: CreatePlan): string[] {
  const lines: string[] = [];
  if (p.exists) lines.push(`“${p.name}” exists: the clips will be added to it.`);
  lines.push(`${p.changed} ${p.changed === 1 ? 'clip gets' : 'clips get'} the label “${p.name}”.`);
  if (p.relabelled.length) {
    const by = new Map<string, number>();
    for (const r of p.relabelled) {
      const k = `${r.source === 'imported' ? 'imported as' : 'answered'} ${r.from}`;
      by.set(k, (by.get(k) ?? 0) + 1);
    }
    const parts = [...by].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, c]) => `${c} ${k}`);
    lines.push(`${p.relabelled.length} of them had another label, which this replaces: ${parts.join(', ')}.`);
  } else lines.push('None of them had another label.');
  return lines;
}

/** "fear 9 · disgust 7 · unlabelled 1", most frequent first. */
export function labelSummary(labels: Readonly<Record<string, number>>): string {
  return Object.entries(labels)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([l, n]) => `${l || 'unlabelled'} ${n}`)
    .join(' · ');
}

export function formatPad(p: Pad): string {
  const f = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
  return `P ${f(p[0])} · A ${f(p[1])} · D ${f(p[2])}`;
}

/**
 * Every grouped clip as a cloud point, labelled with its group (0: a single; shown on hover); the points of
 * the `selected` group are marked to be highlighted.
 */
export function clusterCloud(
  points: readonly { clipId: number; pad: Pad; cluster: number }[],
  names: ReadonlyMap<number, string> = new Map(),
  selected: number | null = null,
): { pad: Pad; label: string; highlight?: boolean }[] {
  return points.map((p) => ({
    pad: p.pad,
    label: `${p.cluster === 0 ? 'single' : `group ${p.cluster}`}${names.has(p.clipId) ? ` · ${names.get(p.clipId)}` : ''}`,
    ...(selected !== null && p.cluster === selected ? { highlight: true } : {}),
  }));
}

/**
 * A group's majority among its clips' current labels, as a card prints it ("mostly fear: 8 of 12 (67 %)"),
 * or null when none of its clips has a label yet.
 */
export function majorityText(labels: Readonly<Record<string, number>>): string | null {
  const total = Object.values(labels).reduce((a, b) => a + b, 0);
  const [top] = Object.entries(labels)
    .filter(([l]) => l !== '')
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!top || total === 0) return null;
  return `mostly ${top[0]}: ${top[1]} of ${total} (${Math.round((100 * top[1]) / total)} %)`;
}

/**
 * After the groups are made again (a clip taken out, a new model), the group to keep showing: the one that
 * now holds the first of the previous group's clips, the taken-out clip skipped; null if none does.
 */
export function followGroup<T extends { id: number; clipIds: number[] }>(previous: readonly number[], removed: number | null, groups: readonly T[]): T | null {
  for (const id of previous) {
    if (id === removed) continue;
    const g = groups.find((c) => c.clipIds.includes(id));
    if (g) return g;
  }
  return null;
}

/** The next index in a list of n after a step, clamped (keyboard navigation of the members). */
export function step(index: number, delta: number, n: number): number {
  return n === 0 ? 0 : Math.min(n - 1, Math.max(0, index + delta));
}
