// Label Studio: the export's audio URLs (local-files storage or a URL prefix), its labeling config, the import
// label and every annotator's current answer as annotations, the active model as predictions; and the round
// trip: the exported JSON imported into a new project gives the same clips with the same labels.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLabelStudio, labelStudioConfig, labelStudioTasks } from '../../../../src-main/store/export';
import { commonFolder, currentLabelsByAnnotator, labelStudioAudio } from '../../../../src-main/store/export/label-studio';
import { importDataset, taskAudioPath } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_DIR, DEMO_MANIFEST, tempDir } from '../helpers';

const dir = tempDir('eodn-ls-');
const docRoot = dirname(DEMO_DIR); // resources/: the clips are demo/clips/<name>.wav under it
let store: ProjectStore;
type Task = {
  data: Record<string, unknown>;
  meta: { eodn: { clip_id: number; annotators: string[] } };
  annotations?: { result: { from_name: string; to_name: string; type: string; value: { choices: string[] } }[]; created_at?: string }[];
  predictions?: { model_version: string; score: number; result: { value: { choices: string[] } }[] }[];
};
let tasks: Task[];
const file = join(dir, 'tasks.json');

beforeAll(async () => {
  store = ProjectStore.create(join(dir, 'src.eodn'), { name: 'src' });
  await importDataset(store, DEMO_MANIFEST);
  // Clip 1: ann relabels, bob accepts the import label later: a tie of two annotators (current-label.ts), no label.
  store.annotate(1, { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(1, { annotator: 'bob', action: 'accept', label: 'fear' });
  // Clip 2: ann relabels, then undoes it: no answer stands.
  store.annotate(2, { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(2, { annotator: 'ann', action: 'undo' });
  // Clip 3: ann rejects its import label: it is left with none.
  const clip3 = store.getClip(3);
  store.annotate(3, { annotator: 'ann', action: 'reject', label: clip3.importLabel });
  // Clip 4: a new class.
  store.annotate(4, { annotator: 'cy', action: 'new-class', label: 'contempt' });
  const v = store.insertModelVersion({ parentId: null, name: 'first model', classes: ['anger', 'fear'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
  store.setActiveModelVersion(v.id);
  store.upsertPredictions(v.id, [
    { clipId: 5, probs: [0.8, 0.2], pad: null, nearest: [], decision: { kind: 'accepted', top1: 0, top2: 1, p1: 0.8, p2: 0.2, eta: 0.5, mu: 0.2, delta: 0.1, label: 'anger', reason: '' } },
  ]);
  expect(exportLabelStudio(store, file, { localFilesRoot: docRoot })).toBe(80);
  tasks = JSON.parse(readFileSync(file, 'utf8'));
});
afterAll(() => store.close());

const currentLabel = (s: ProjectStore, id: number) => s.db.prepare('SELECT current_label FROM clips WHERE id = ?').pluck().get(id) as string | null;
const choices = (t: Task) => (t.annotations ?? []).map((a) => a.result[0]?.value.choices[0] ?? null);

describe('Label Studio export', () => {
  it('points data.audio at the local-files storage, relative to its document root', () => {
    for (const t of tasks) {
      const clip = store.getClip(t.data.clip_id as number);
      expect(t.data.audio).toBe(`/data/local-files/?d=demo/clips/${encodeURIComponent(basename(clip.path))}`);
      expect(clip.path.startsWith(docRoot)).toBe(true);
    }
  });

  it('writes the labeling config beside the tasks, one Choice per class', () => {
    const xml = readFileSync(`${file}.config.xml`, 'utf8');
    expect(xml).toContain('<Audio name="audio" value="$audio"/>');
    expect(xml).toMatch(/<Choices name="emotion" toName="audio"/);
    const values = [...xml.matchAll(/<Choice value="([^"]*)"\/>/g)].map((m) => m[1]);
    expect(values.sort()).toEqual(store.classes().map((c) => c.name).sort());
    expect(values).toContain('contempt');
    expect(labelStudioConfig(['a "b" <c>'])).toContain('<Choice value="a &quot;b&quot; &lt;c&gt;"/>');
  });

  it('carries the import label and each annotator’s current answer as annotations, the last being the current label', () => {
    const [t1, t2, t3, t4, t5] = tasks;
    expect(t1.data).toMatchObject({ clip_id: 1, speaker: 'emodb-13', import_label: 'fear', label: null, reviewed: true, segment_start: null, segment_end: null });
    expect(choices(t1)).toEqual(['fear', 'anger', 'fear']);
    expect(t1.meta.eodn.annotators).toEqual(['import', 'ann', 'bob']);
    expect(t1.annotations![0].result[0]).toEqual({ from_name: 'emotion', to_name: 'audio', type: 'choices', value: { choices: ['fear'] } });
    expect(t1.annotations![1].created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(choices(t2)).toEqual([store.getClip(2).importLabel]);
    expect(t3.annotations).toHaveLength(2);
    expect(t3.annotations![1].result).toEqual([]); // the reject left no label
    expect(t3.data.label).toBeNull();
    expect(choices(t4).at(-1)).toBe('contempt');
    for (const t of tasks) expect(t.data.label).toBe(currentLabel(store, t.data.clip_id as number));
    // Where one annotation stands beside the import label, it is the label.
    expect(choices(t4).at(-1)).toBe(currentLabel(store, 4));
    expect(t5.predictions).toEqual([{ model_version: 'first model', score: expect.closeTo(0.8, 6), result: [{ from_name: 'emotion', to_name: 'audio', type: 'choices', value: { choices: ['anger'] } }] }]);
    expect(t5.data.decision).toBe('accepted');
    expect(tasks.filter((t) => t.predictions)).toHaveLength(1);
  });

  it('replays undo across annotators when it finds each one’s current answer', () => {
    const row = (annotator: string, action: 'accept' | 'relabel' | 'undo' | 'reject', label: string | null) => ({ clip_id: 1, annotator, action, label, created_at: 't' });
    expect(currentLabelsByAnnotator('fear', [row('a', 'relabel', 'anger'), row('b', 'relabel', 'joy'), row('b', 'undo', null)])).toEqual([{ annotator: 'a', label: 'anger', createdAt: 't' }]);
    expect(currentLabelsByAnnotator('fear', [row('a', 'reject', 'anger')])).toEqual([{ annotator: 'a', label: 'fear', createdAt: 't' }]);
  });

  it('a URL prefix: the path relative to the audio root, encoded per segment, and mapped back on import', () => {
    const paths = ['/data/set a/x#1.wav', '/data/set a/sub/ü?.wav'];
    expect(commonFolder(paths)).toBe('/data/set a');
    const { url, mapping } = labelStudioAudio(paths, { audioUrlPrefix: 'https://host/audio/' });
    expect(url(paths[0])).toBe('https://host/audio/x%231.wav');
    expect(url(paths[1])).toBe('https://host/audio/sub/%C3%BC%3F.wav');
    for (const p of paths) expect(taskAudioPath({ data: { audio: url(p) }, meta: { eodn: { audio: mapping } } })).toBe(p);
    const local = labelStudioAudio(paths, { localFilesRoot: '/data' });
    expect(local.url(paths[0])).toBe('/data/local-files/?d=set%20a/x%231.wav');
    expect(taskAudioPath({ data: { audio: local.url(paths[1]) } }, { localFilesRoot: '/data' })).toBe(paths[1]);
    expect(() => labelStudioAudio(paths, { localFilesRoot: '/elsewhere' })).toThrow(/is not under \/elsewhere/);
    expect(() => labelStudioTasks(store, { audioUrlPrefix: 'http://h/', audioRoot: join(docRoot, 'nowhere') })).toThrow(/--audio-root/);
    expect(taskAudioPath({ data: { audio: 'https://other/x.wav' } })).toMatchObject({ reason: expect.stringContaining('cannot map') });
  });
});

describe('Label Studio import', () => {
  it('imports the exported JSON into a new project: same clips, import labels, answers, labels and speakers', async () => {
    const dest = ProjectStore.create(join(dir, 'dest.eodn'), { name: 'dest' });
    try {
      const r = await importDataset(dest, file); // the local-files root comes from the tasks' meta
      expect(r).toMatchObject({ kind: 'label-studio', total: 80, added: 80, errors: [], skipped: [] });
      // Each clip, by its content: the same import label, each annotator's standing answer replayed, so the same
      // current label (none for clips 1 and 3) and review state.
      const view = (s: ProjectStore, id: number) => {
        const c = s.getClip(id);
        const votes = s.clipHistory(id).filter((a) => a.action !== 'undo').map((a) => a.annotator);
        return { label: currentLabel(s, id), importLabel: c.importLabel, speaker: c.speaker, reviewed: s.db.prepare('SELECT reviewed FROM clips WHERE id = ?').pluck().get(id), annotators: [...new Set(votes)].sort() };
      };
      const want = new Map(store.clipIds().map((id) => [store.getClip(id).hash, view(store, id)]));
      const got = new Map(dest.clipIds().map((id) => [dest.getClip(id).hash, view(dest, id)]));
      expect(got.size).toBe(80);
      expect(got.get(store.getClip(3).hash)!.label).toBeNull();
      expect(got.get(store.getClip(1).hash)).toMatchObject({ label: null, importLabel: 'fear', annotators: ['ann', 'bob'] });
      // Clip 2's undone answer is not replayed: no annotator, not reviewed.
      expect(got.get(store.getClip(2).hash)).toMatchObject({ reviewed: 0, annotators: [] });
      for (const [hash, g] of got) expect(g).toEqual({ ...want.get(hash), annotators: hash === store.getClip(2).hash ? [] : want.get(hash)!.annotators });
      expect(dest.classes().map((c) => c.name)).toContain('contempt');
    } finally {
      dest.close();
    }
  });
});
