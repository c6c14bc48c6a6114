// The known classes' standard vectors F_j, looked up by class name.

import type { Pad, PadTerm } from '../../../shared/domain';
import { padTermNameFor } from '../../../shared/pad-names';
import { findPadTerm } from '../../../shared/pad-tables';

/**
 * F_j for each class name: the table term the name maps to (pad-names.ts), else a term of that exact name;
 * null for a class with no vector (the caller must supply one, e.g. from the annotator or a discovered PAD point).
 */
export function classPadsFor(classNames: readonly string[], table: readonly PadTerm[]): (Pad | null)[] {
  return classNames.map((name) => {
    const mapped = padTermNameFor(name);
    const term = (mapped && findPadTerm(table, mapped)) ?? findPadTerm(table, name);
    return term ? term.pad : null;
  });
}
