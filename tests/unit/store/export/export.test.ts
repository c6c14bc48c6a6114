import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../../../src-main/store/check';
import { exportCsv, exportEaf, exportHfAudiofolder, exportJsonl, exportLabelStudio, exportTextGrids, outputNames, CSV_COLUMNS } from '../../../../src-main/store/export';
import { importDataset, parseCsv, parseTextGrid, sha256 } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../helpers';

const dir = tempDir();
let store: ProjectStore;

beforeAll(async () => {
  store = ProjectStore.create(join(dir, 'x.eodn'), { name: 'export' });
  await importDataset(store, DEMO_MANIFEST);
  store.annotate(1, { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(2, { annotator: 'ann', action: 'new-class', label: 'say "hi", ok' });
  const v = store.insertModelVersion({ parentId: null, name: 'v1', classes: ['anger', 'fear'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
  store.setActiveModelVersion(v.id);
  store.upsertPredictions(v.id, [
    { clipId: 3, probs: [0.7, 0.3], pad: null, nearest: [], decision: { kind: 'accepted', top1: 0, top2: 1, p1: 0.7, p2: 0.3, eta: 0.5, mu: 0.2, delta: 0.1, label: 'anger', reason: '' } },
  ]);
  // Segments of one long recording (rows only; TextGrid needs no audio).
  store.insertClips([
    { path: '/rec/long.wav', hash: 'long', sizeBytes: 1, durationSec: 1.5, fileDurationSec: 10, sampleRate: 16000, channels: 1, segmentStartSec: 1, segmentEndSec: 2.5, importLabel: 'fear' },
    { path: '/rec/long.wav', hash: 'long', sizeBytes: 1, durationSec: 2, fileDurationSec: 10, sampleRate: 16000, channels: 1, segmentStartSec: 4, segmentEndSec: 6, importLabel: null },
  ]);
});
afterAll(() => store.close());

describe('exports', () => {
  it('CSV and JSON Lines parse back to the same rows', () => {
    const csv = join(dir, 'out.csv');
    const jsonl = join(dir, 'out.jsonl');
    expect(exportCsv(store, csv)).toBe(82);
    expect(exportJsonl(store, jsonl)).toBe(82);
    const recs = parseCsv(readFileSync(csv, 'utf8'));
    expect(recs[0].fields).toEqual([...CSV_COLUMNS]);
    const rows = recs.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r.fields[i]])));
    const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(82);
    expect(rows[1]).toMatchObject({ id: '2', label: 'say "hi", ok', reviewed: '1' });
    expect(lines[1]).toMatchObject({ id: 2, label: 'say "hi", ok', reviewed: true, import_label: 'disgust' });
    expect(lines[2]).toMatchObject({ decision: 'accepted', predicted_label: 'anger', model_version: 1 });
    expect(lines[80]).toMatchObject({ segment_start: 1, segment_end: 2.5, label: 'fear' });
    rows.forEach((r, i) => expect(r.path).toBe(lines[i].path));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('Label Studio tasks carry annotations, predictions and segment offsets', () => {
    const file = join(dir, 'ls.json');
    expect(exportLabelStudio(store, file, { audioUrl: (p) => `/data/local-files/?d=${encodeURIComponent(p)}` })).toBe(82);
    const tasks = JSON.parse(readFileSync(file, 'utf8'));
    expect(tasks[0].annotations.at(-1).result[0]).toEqual({ from_name: 'emotion', to_name: 'audio', type: 'choices', value: { choices: ['anger'] } });
    expect(tasks[0].data.audio).toMatch(/^\/data\/local-files\/\?d=%2F/);
    expect(tasks[2].predictions[0]).toMatchObject({ model_version: 'v1', score: expect.closeTo(0.7, 5) });
    expect(tasks[3].annotations).toHaveLength(1); // the import label only
    expect(tasks[80].predictions).toBeUndefined();
    expect(tasks[80].data).toMatchObject({ segment_start: 1, segment_end: 2.5, label: 'fear' });
    expect(existsSync(`${file}.config.xml`)).toBe(true);
  });

  it('Hugging Face audiofolder: refuses while a cut recording\'s audio is missing, naming it', async () => {
    await expect(exportHfAudiofolder(store, join(dir, 'hf-missing'))).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('(/rec/long.wav)') });
    expect(existsSync(join(dir, 'hf-missing'))).toBe(false);
  });

  it('Hugging Face audiofolder: metadata.csv and copied audio', async () => {
    const out = join(dir, 'hf');
    // The demo clips alone (the fake recording's cut is tested on real audio in round-trip.test.ts).
    const demo = ProjectStore.create(join(dir, 'hf.eodn'), { name: 'hf' });
    await importDataset(demo, DEMO_MANIFEST);
    demo.annotate(1, { annotator: 'ann', action: 'relabel', label: 'anger' });
    expect(await exportHfAudiofolder(demo, out)).toEqual({ written: 80, cutSegments: 0 });
    demo.close();
    const recs = parseCsv(readFileSync(join(out, 'metadata.csv'), 'utf8'));
    expect(recs[0].fields.slice(0, 2)).toEqual(['file_name', 'label']);
    for (const r of recs.slice(1)) {
      const f = join(out, r.fields[0]);
      expect(existsSync(f)).toBe(true);
      expect(sha256(readFileSync(f))).toBe(r.fields[5]);
    }
    expect(recs[1].fields[1]).toBe('anger');
    expect(recs[1].fields.slice(9, 11)).toEqual(['1', 'ann']); // reviewed, by whom
    expect(recs[2].fields.slice(9, 11)).toEqual(['0', '']);
  });

  it('Praat TextGrid: one per recording, whole clips too, with label and prediction tiers tiling it', () => {
    const out = join(dir, 'tg');
    const files = exportTextGrids(store, out);
    expect(files).toHaveLength(81);
    // Named by the path relative to the folder holding every recording: same-named files stay apart.
    const long = files.find((f) => f.endsWith('/rec/long.TextGrid'))!;
    const tg = parseTextGrid(readFileSync(long, 'utf8'));
    expect(tg.xmax).toBe(10);
    expect(tg.tiers.map((t) => t.name)).toEqual(['label', 'prediction']);
    expect(tg.tiers[0].intervals).toEqual([
      { xmin: 0, xmax: 1, text: '' },
      { xmin: 1, xmax: 2.5, text: 'fear' },
      { xmin: 2.5, xmax: 4, text: '' },
      { xmin: 4, xmax: 6, text: '' },
      { xmin: 6, xmax: 10, text: '' },
    ]);
    // A whole clip: one interval over the file; the model's label on its own tier.
    const third = store.getClip(3);
    const clip = parseTextGrid(readFileSync(files.find((f) => f.endsWith(`/${basename(third.path, '.wav')}.TextGrid`))!, 'utf8'));
    expect(clip.tiers[0].intervals).toEqual([{ xmin: 0, xmax: third.durationSec, text: third.importLabel }]);
    expect(clip.tiers[1].intervals).toEqual([{ xmin: 0, xmax: third.durationSec, text: 'anger' }]);
    const index = parseCsv(readFileSync(join(out, 'index.csv'), 'utf8'));
    expect(index[0].fields).toEqual(['file', 'audio', 'duration_sec', 'clips', 'tiers']);
    expect(index.find((r) => r.fields[1] === '/rec/long.wav')!.fields).toEqual([long.slice(out.length + 1), '/rec/long.wav', '10', '2', 'label|prediction']);
  });

  it('names each recording by its path under the folder holding them all: same-named files stay apart', () => {
    const names = outputNames(['/d/a/session.wav', '/d/b/session.wav', '/d/b/session.flac', '/d/b/Session.mp3', '/d/top.wav']);
    expect([...names.values()]).toEqual(['a/session', 'b/session', 'b/session-2', 'b/Session-3', 'top']);
  });

  it('refuses a TextGrid or ELAN target that is a file, not a folder', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => exportTextGrids(store, file)).toThrow(/it exists and is not a folder/);
    expect(() => exportEaf(store, file)).toThrow(/it exists and is not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('ELAN: one document per recording, its media linked, labels escaped', () => {
    const out = join(dir, 'eaf');
    const files = exportEaf(store, out);
    expect(files).toHaveLength(81);
    const second = store.getClip(2);
    const xml = readFileSync(files.find((f) => f.endsWith(`/${basename(second.path, '.wav')}.eaf`))!, 'utf8');
    expect(xml).toContain(`MEDIA_URL="file://${second.path}"`);
    expect(xml).toContain('<ANNOTATION_VALUE>say &quot;hi&quot;, ok</ANNOTATION_VALUE>');
    expect(xml).toMatch(/<TIER LINGUISTIC_TYPE_REF="emotion" TIER_ID="label">[\s\S]*<TIER LINGUISTIC_TYPE_REF="emotion" TIER_ID="prediction">/);
    expect(readFileSync(join(out, 'index.csv'), 'utf8')).toContain('/rec/long.wav,10,2,label|prediction');
  });

  it('checkProject finds a broken invariant', () => {
    expect(checkProject(store.file).ok).toBe(true);
    // Simulate a bug elsewhere: the derived label drifts from the history.
    store.db.prepare("UPDATE clips SET current_label = 'fear' WHERE id = 1").run();
    const r = checkProject(store.file);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/current label differs/);
    store.db.prepare("UPDATE clips SET current_label = 'anger' WHERE id = 1").run();
    expect(checkProject(store.file).ok).toBe(true);
  });
});
