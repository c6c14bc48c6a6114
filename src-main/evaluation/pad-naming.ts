// Class names ↔ PAD table terms, and the PAD labelling variants compared by the evaluation.
import type { Pad, PadTerm } from '../../shared/domain';
import { padTermNameFor } from '../../shared/pad-names';
import { findPadTerm } from '../../shared/pad-tables';
import { discoverClusters } from '../engine/discovery/discover';
import type { Head } from '../engine/odn/head';
import type { Rows } from '../engine/odn/rows';
import { nearestTerms, padDistance, padFromProbs } from '../engine/pad/project';
import type { LabellingVariant } from './settings';

/** The table term a class name stands for (pad-names.ts, else a term of that exact name), or null. */
export function termFor(className: string, table: readonly PadTerm[]): PadTerm | null {
  const mapped = padTermNameFor(className);
  return (mapped ? findPadTerm(table, mapped) : null) ?? findPadTerm(table, className);
}

/** A class's standard vector; throws for a class the table cannot place (eq. 4 and eq. 6 need one). */
export function classPad(className: string, table: readonly PadTerm[]): Pad {
  const t = termFor(className, table);
  if (!t) throw new Error(`class "${className}" has no PAD vector in the table (name it like a table term, e.g. anger, fear, neutral)`);
  return t.pad;
}

export interface Labelled {
  /** Suggested word per clip (null when no candidate is left). */
  words: (string | null)[];
  pads: Pad[];
}

export interface LabellingContext {
  head: Head;
  /** PAD regressor's predictions for the clips. */
  ridgePads: Pad[];
  knownNames: readonly string[];
  table: readonly PadTerm[];
  maxClusters: number;
  seed: number;
}

const top1 = (f: Pad, table: readonly PadTerm[], exclude: readonly string[]) => nearestTerms(f, table, { k: 1, exclude })[0]?.term.name ?? null;

/** Names each of `features`' clips (standardized rows) with one labelling variant. */
export function labelClips(variant: LabellingVariant, features: Rows, ctx: LabellingContext): Labelled {
  const knownPads = ctx.knownNames.map((n) => classPad(n, ctx.table));
  const knownWords = ctx.knownNames.map((n) => termFor(n, ctx.table)!.name);
  switch (variant) {
    case 'convex':
    case 'convex-novel': {
      const exclude = variant === 'convex' ? [] : knownWords;
      const pads = ctx.head.predictProba(features).map((p) => padFromProbs(p, knownPads));
      return { pads, words: pads.map((f) => top1(f, ctx.table, exclude)) };
    }
    case 'ridge-novel':
      return { pads: ctx.ridgePads, words: ctx.ridgePads.map((f) => top1(f, ctx.table, knownWords)) };
    case 'ridge-cluster': {
      const n = features.length;
      if (n < 2) return { pads: ctx.ridgePads, words: ctx.ridgePads.map((f) => top1(f, ctx.table, knownWords)) };
      const d = discoverClusters(features, ctx.ridgePads, ctx.table, { maxK: ctx.maxClusters, seed: ctx.seed, topWords: 1, exclude: knownWords });
      const pads = new Array<Pad>(n);
      const words = new Array<string | null>(n).fill(null);
      for (const c of d.clusters)
        for (const i of c.members) {
          pads[i] = c.pad;
          words[i] = c.suggestions[0]?.term.name ?? null;
        }
      return { pads, words };
    }
  }
}

export { padDistance };
