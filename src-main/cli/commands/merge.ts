// eodn merge <into> <from...>: gathers the answers of annotators' project copies into one project (see
// store/merge.ts for what travels and how clips are matched).
import type { CAC } from 'cac';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeProjects, type MergeReport } from '../../store/merge';
import { ProjectStore } from '../../store/project-store';

export function mergeInto(into: string, from: readonly string[]): MergeReport {
  const file = resolve(into);
  if (!existsSync(file)) throw new Error(`no project file at ${file}`);
  if (from.length === 0) throw new Error('name at least one project to merge from');
  const store = ProjectStore.open(file);
  try {
    return mergeProjects(store, from.map((f) => resolve(f)));
  } finally {
    store.close();
  }
}

export function registerMerge(cli: CAC): void {
  cli
    .command('merge <into> [...from]', "Merge the annotation history of project copies of the same audio (clips matched by content hash) into one project")
    .example('eodn merge team.eodn ann.eodn bob.eodn')
    .action((into: string, from: string[]) => {
      const r = mergeInto(into, from);
      for (const s of r.sources) {
        const undone = s.undone ? `, ${s.undone} undos or undone answers left out` : '';
        console.log(`${s.file}: ${s.decisions} decisions, ${s.added} added, ${s.alreadyThere} already there${undone}${s.renamed ? `, ${s.renamed} under a class's new name` : ''}`);
        // Not an error (a copy may hold more audio), but never silent: these answers are not in the target.
        if (s.unmatched) console.warn(`eodn merge: warning: ${s.unmatched} decisions of ${s.file} are on clips ${resolve(into)} does not have (matched by content hash and segment); they were not merged`);
      }
      console.log(`${r.added} decisions added on ${r.clipsTouched} clips${r.classesAdded.length ? `; new classes: ${r.classesAdded.join(', ')}` : ''}`);
    });
}
