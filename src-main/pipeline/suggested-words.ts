// The words the studio suggests for a PAD point (Review's nearest words, Discover's group words), in tiers:
// the project's classes the model does not know yet (a clip may well be one of them), then the paper's Table 1
// (common emotion words), and the full table only to fill up (engine/pad `suggestTerms`). The model's own
// classes are left out: the decision already names them.
import { padTermNameFor } from '../../shared/pad-names';
import { EODN_TABLE1, findPadTerm } from '../../shared/pad-tables';
import type { PadTerm } from '../../shared/domain';
import type { ProjectStore } from '../store/project-store';

export interface PreferredWords {
  /** Project classes first, then the common words they do not shadow. */
  terms: PadTerm[];
  /** Which tier each preferred word came from. */
  tier: Map<string, 'class' | 'common'>;
  /** Names never to suggest: the model's classes and their table words. */
  exclude: string[];
}

export function preferredWords(store: ProjectStore, modelClasses: readonly string[], table: readonly PadTerm[]): PreferredWords {
  const known = new Set(modelClasses.map((c) => c.toLowerCase()));
  const project: PadTerm[] = [];
  for (const c of store.classes()) {
    if (known.has(c.name.toLowerCase())) continue;
    const pad = c.pad ?? findPadTerm(table, padTermNameFor(c.name) ?? c.name)?.pad;
    if (pad) project.push({ name: c.name, pad, source: 'project class' });
  }
  // A project class stands for its table word ("fear" for Fearful): that word is not offered twice.
  const shadowed = new Set(project.flatMap((t) => [t.name, padTermNameFor(t.name) ?? t.name]).map((n) => n.toLowerCase()));
  const common = EODN_TABLE1.filter((t) => !shadowed.has(t.name.toLowerCase()));
  const tier = new Map<string, 'class' | 'common'>([...project.map((t) => [t.name, 'class'] as const), ...common.map((t) => [t.name, 'common'] as const)]);
  const exclude = [...modelClasses.flatMap((c) => [c, padTermNameFor(c) ?? c]), ...EODN_TABLE1.filter((t) => shadowed.has(t.name.toLowerCase())).map((t) => t.name)];
  return { terms: [...project, ...common], tier, exclude };
}
