// Soft labels in the exports (issue 14): a project with three annotators' votes (a majority, a three-way split,
// a tie settled by an adjudicator, one annotator alone, a reject beside a vote, an undone vote, a clip nobody
// answered) exported as CSV, JSON Lines and a Hugging Face audiofolder carries every vote, the votes'
// distribution and the step of the label rule that gave each label. The expected values are written out by hand
// from the scripted answers, not computed by the exporters' code. An annotator's name with a comma, a colon,
// a semicolon and quotes stays unambiguous (the columns are JSON).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv, exportHfAudiofolder, exportJsonl, exportLabelStudio } from '../../../../src-main/store/export';
import { importDataset, parseCsv } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../helpers';

const dir = tempDir('eodn-soft-labels-');
let store: ProjectStore;
const CY = 'cy, jr.: "c"; 3';
/** A clip's current label as the store keeps it. */
const labelOf = (s: ProjectStore, id: number) => (s.db.prepare('SELECT current_label FROM clips WHERE id = ?').get(id) as { current_label: string | null }).current_label;

interface Expected {
  label: string | null;
  votes: Record<string, string>;
  distribution: Record<string, number>;
  rule: 'single' | 'majority' | 'adjudicated' | 'unresolved' | 'none';
}

/** By clip id: what every export must say of it. */
const EXPECTED: Record<number, Expected> = {
  1: { label: 'fear', votes: { ada: 'fear', ben: 'disgust', [CY]: 'fear' }, distribution: { disgust: 1 / 3, fear: 2 / 3 }, rule: 'majority' },
  2: { label: null, votes: { ada: 'anger', ben: 'fear', [CY]: 'sadness' }, distribution: { anger: 1 / 3, fear: 1 / 3, sadness: 1 / 3 }, rule: 'unresolved' },
  3: { label: 'anger', votes: { ada: 'anger', ben: 'fear' }, distribution: { anger: 0.5, fear: 0.5 }, rule: 'adjudicated' },
  4: { label: 'happiness', votes: { ada: 'happiness' }, distribution: { happiness: 1 }, rule: 'single' },
  5: { label: 'boredom', votes: { ben: 'boredom' }, distribution: { boredom: 1 }, rule: 'majority' },
  6: { label: 'anger', votes: { ada: 'anger' }, distribution: { anger: 1 }, rule: 'single' },
  7: { label: null, votes: {}, distribution: {}, rule: 'none' }, // its import label (set below)
};

beforeAll(async () => {
  store = ProjectStore.create(join(dir, 'votes.eodn'), { name: 'votes' });
  await importDataset(store, DEMO_MANIFEST);
  EXPECTED[7].label = store.getClip(7).importLabel;
  expect(EXPECTED[7].label).not.toBeNull();
  store.annotateMany([
    { clipId: 1, annotator: 'ada', action: 'relabel', label: 'fear' },
    { clipId: 1, annotator: 'ben', action: 'relabel', label: 'disgust' },
    { clipId: 1, annotator: CY, action: 'accept', label: 'fear' },
    { clipId: 2, annotator: 'ada', action: 'relabel', label: 'anger' },
    { clipId: 2, annotator: 'ben', action: 'relabel', label: 'fear' },
    { clipId: 2, annotator: CY, action: 'relabel', label: 'sadness' },
    { clipId: 3, annotator: 'ada', action: 'relabel', label: 'anger' },
    { clipId: 3, annotator: 'ben', action: 'relabel', label: 'fear' },
    { clipId: 3, annotator: 'judge', action: 'relabel', label: 'anger', adjudicated: true },
    { clipId: 4, annotator: 'ada', action: 'accept', label: 'happiness' },
    { clipId: 5, annotator: 'ada', action: 'reject', label: 'disgust' },
    { clipId: 5, annotator: 'ben', action: 'relabel', label: 'boredom' },
    { clipId: 6, annotator: 'ada', action: 'relabel', label: 'anger' },
    { clipId: 6, annotator: CY, action: 'relabel', label: 'neutral' },
    { clipId: 6, annotator: CY, action: 'undo' },
  ]);
  for (const [id, e] of Object.entries(EXPECTED)) expect(labelOf(store, Number(id)), `clip ${id}`).toBe(e.label);
});
afterAll(() => store.close());

/** The columns of a CSV file as objects, one per row. */
function csvObjects(file: string): Record<string, string>[] {
  const recs = parseCsv(readFileSync(file, 'utf8'));
  const head = recs[0].fields;
  return recs.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, r.fields[i]])));
}

/** What a row says of the votes, the CSV cells read as JSON. */
const fromCells = (r: Record<string, string>) => ({ votes: JSON.parse(r.votes), distribution: JSON.parse(r.vote_distribution), rule: r.label_rule });

function expectSoftLabels(got: { votes: unknown; distribution: unknown; rule: unknown }, want: Expected, what: string): void {
  expect(got.votes, what).toEqual(want.votes);
  expect(got.rule, what).toBe(want.rule);
  const d = got.distribution as Record<string, number>;
  expect(Object.keys(d), what).toEqual(Object.keys(want.distribution)); // sorted by class name
  for (const [k, v] of Object.entries(want.distribution)) expect(d[k], `${what} ${k}`).toBeCloseTo(v, 12);
  if (Object.keys(d).length) expect(Object.values(d).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
}

describe('soft labels in the exports', () => {
  it('CSV: every vote, the distribution and the rule, as JSON text in a cell', () => {
    const file = join(dir, 'votes.csv');
    exportCsv(store, file);
    const rows = csvObjects(file);
    expect(rows).toHaveLength(80);
    for (const [id, want] of Object.entries(EXPECTED)) {
      const r = rows.find((x) => x.id === id)!;
      expect(r.label, `clip ${id}`).toBe(want.label ?? '');
      expectSoftLabels(fromCells(r), want, `csv clip ${id}`);
    }
    // The votes in the annotators' name order, the cell as written.
    expect(rows.find((x) => x.id === '1')!.votes).toBe(`{"ada":"fear","ben":"disgust","cy, jr.: \\"c\\"; 3":"fear"}`);
    expect(rows.find((x) => x.id === '3')!.annotator).toBe('judge'); // the adjudicator decided; not a vote
    expect(rows.filter((r) => !(r.id in EXPECTED)).every((r) => r.votes === '{}' && r.vote_distribution === '{}' && r.label_rule === 'none')).toBe(true);
  });

  it('JSON Lines: the same as JSON objects', () => {
    const file = join(dir, 'votes.jsonl');
    exportJsonl(store, file);
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(80);
    for (const [id, want] of Object.entries(EXPECTED)) {
      const r = rows.find((x) => x.id === Number(id));
      expect(r.label, `clip ${id}`).toBe(want.label);
      expectSoftLabels({ votes: r.votes, distribution: r.vote_distribution, rule: r.label_rule }, want, `jsonl clip ${id}`);
    }
    expect(rows[10]).toMatchObject({ votes: {}, vote_distribution: {}, label_rule: 'none' });
  });

  it('Hugging Face audiofolder: the same columns in metadata.csv', async () => {
    const out = join(dir, 'hf');
    await exportHfAudiofolder(store, out, { copyAudio: false });
    const rows = csvObjects(join(out, 'metadata.csv'));
    expect(rows).toHaveLength(80);
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    for (const [id, want] of Object.entries(EXPECTED)) {
      const r = byHash.get(store.getClip(Number(id)).hash)!;
      expect(r, `clip ${id}`).toBeDefined();
      expect(r.label, `clip ${id}`).toBe(want.label ?? '');
      expectSoftLabels(fromCells(r), want, `hf clip ${id}`);
    }
  });

  it('Label Studio: one annotation per annotator, the distribution and the rule in data', () => {
    const file = join(dir, 'votes-ls.json');
    exportLabelStudio(store, file);
    const tasks = JSON.parse(readFileSync(file, 'utf8')) as { data: Record<string, unknown>; meta: { eodn: { annotators: string[] } } }[];
    const t1 = tasks.find((t) => t.data.clip_id === 1)!;
    expect(t1.meta.eodn.annotators).toEqual(['import', 'ada', 'ben', CY]);
    expectSoftLabels({ votes: EXPECTED[1].votes, distribution: t1.data.vote_distribution, rule: t1.data.label_rule }, EXPECTED[1], 'label studio clip 1');
    const t3 = tasks.find((t) => t.data.clip_id === 3)!;
    expect(t3.meta.eodn.annotators).toEqual(['import', 'ada', 'ben', 'judge']);
    expect(t3.data.label_rule).toBe('adjudicated');
  });

  it('the re-import reads the deciding answer and ignores the vote columns', async () => {
    for (const file of [join(dir, 'votes.csv'), join(dir, 'votes.jsonl')]) {
      const back = ProjectStore.create(join(dir, `back-${file.split('.').at(-1)}.eodn`), { name: 'back' });
      const r = await importDataset(back, file);
      expect(r.errors).toEqual([]);
      expect(labelOf(back, 1)).toBe('fear');
      expect(back.clipHistory(1).map((h) => h.annotator)).toEqual([CY]); // the latest answer with the label
      expect(labelOf(back, 3)).toBe('anger');
      back.close();
    }
  });
});
