// CREMA-D's tabulatedVotes.csv (Cao et al. 2014) as a vote table. Every clip has one row per rating
// condition; the first column is a row id whose first digit is the condition (1 voice only, 2 face only,
// 3 audio-visual), 7,442 rows each. A,D,F,H,N,S count the raters who chose each emotion. The file name is
// ActorID_Sentence_Emotion_Level; its emotion is the one the actor was asked to play (the intended one).
// Pure: the caller reads and splits the CSV.
import type { VoteTable, VoteUnit } from './votes';

export const CREMA_CONDITIONS = ['voice', 'face', 'audio-visual'] as const;
export type CremaCondition = (typeof CREMA_CONDITIONS)[number];
const CONDITION_DIGIT: Record<CremaCondition, string> = { voice: '1', face: '2', 'audio-visual': '3' };

/** The vote columns, in the file's order, and the category each counts. */
export const CREMA_VOTE_COLUMNS = ['A', 'D', 'F', 'H', 'N', 'S'] as const;
export const CREMA_CATEGORIES = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness'];
const INTENDED: Record<string, number> = { ANG: 0, DIS: 1, FEA: 2, HAP: 3, NEU: 4, SAD: 5 };

export interface CremaRecord {
  line: number;
  fields: string[];
}

/**
 * The units of one condition. `records[0]` is the header. Fails with the line on a malformed row: a count
 * that is not a non-negative integer, a numResponses that is not their sum, an unknown emotion code, or a
 * clip that appears twice in the condition.
 */
export function cremaVoteTable(records: readonly CremaRecord[], condition: CremaCondition): VoteTable {
  if (!CREMA_CONDITIONS.includes(condition)) throw new Error(`unknown condition "${condition}": one of ${CREMA_CONDITIONS.join(', ')}`);
  if (records.length === 0) throw new Error('the vote table is empty');
  const header = records[0].fields.map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the vote table has no column "${name}" (a CREMA-D tabulatedVotes.csv has ${[...CREMA_VOTE_COLUMNS].join(', ')}, fileName, numResponses)`);
    return i;
  };
  const voteCols = CREMA_VOTE_COLUMNS.map(col);
  const fileCol = col('fileName');
  const totalCol = col('numResponses');
  const idCol = 0;
  const digit = CONDITION_DIGIT[condition];
  const units: VoteUnit[] = [];
  const seen = new Set<string>();
  for (const r of records.slice(1)) {
    const id = r.fields[idCol]?.trim() ?? '';
    if (!/^[1-3]\d+$/.test(id)) throw new Error(`line ${r.line}: row id "${id}" does not start with a condition digit 1-3`);
    if (id[0] !== digit) continue;
    const name = r.fields[fileCol]?.trim() ?? '';
    const parts = name.split('_');
    const intended = INTENDED[parts[2]];
    if (parts.length !== 4 || intended === undefined) throw new Error(`line ${r.line}: file name "${name}" is not ActorID_Sentence_Emotion_Level with a known emotion`);
    const counts = voteCols.map((c) => {
      const v = r.fields[c]?.trim() ?? '';
      if (!/^\d+$/.test(v)) throw new Error(`line ${r.line}: vote count "${v}" is not a non-negative integer`);
      return Number(v);
    });
    const total = Number(r.fields[totalCol]);
    if (total !== counts.reduce((s, v) => s + v, 0)) throw new Error(`line ${r.line}: numResponses ${r.fields[totalCol]} is not the sum of the votes`);
    if (seen.has(name)) throw new Error(`line ${r.line}: ${name} appears twice in the ${condition} condition`);
    seen.add(name);
    units.push({ id: name, group: parts[0], intended, counts });
  }
  return { categories: [...CREMA_CATEGORIES], units };
}
