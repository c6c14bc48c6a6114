// A class's PAD vector for plotting: its own (discovered classes carry one), else its table term by name.
import type { EmotionClass, Pad, PadTerm } from '../../shared/domain';
import { padTermNameFor } from '../../shared/pad-names';
import { findPadTerm } from '../../shared/pad-tables';

export function classPads(classes: readonly EmotionClass[], table: readonly PadTerm[], only?: readonly string[]): { name: string; pad: Pad }[] {
  const out: { name: string; pad: Pad }[] = [];
  for (const c of classes) {
    if (only && !only.includes(c.name)) continue;
    const pad = c.pad ?? findPadTerm(table, padTermNameFor(c.name) ?? c.name)?.pad ?? null;
    if (pad) out.push({ name: c.name, pad });
  }
  return out;
}
