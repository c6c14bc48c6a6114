// What `eodn import` makes of the studio's own exports and of folders named by dataset conventions: a CSV/JSONL
// with segment columns gives each row its own segment and label; reviewed rows come back as answers; a Hugging
// Face audiofolder is read by its metadata, every value as text; naming schemes are chosen per file, with a
// warning when a folder mixes them; broken rows are refused with the line and the reason.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectSource, importDataset, ImportSourceError, resolveSource } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../helpers';

const dir = tempDir('eodn-own-');
const names = demoClipNames();
const demo = (i: number) => join(DEMO_CLIPS, names[i]);
let n = 0;
const stores: ProjectStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));
const project = () => {
  const s = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'p' });
  stores.push(s);
  return s;
};
const folder = (name: string) => {
  const d = join(dir, `${name}-${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const row = (s: ProjectStore, id: number) => s.db.prepare('SELECT segment_start, segment_end, import_label, current_label, reviewed, speaker FROM clips WHERE id = ?').get(id);

describe('the studio’s CSV and JSONL exports as manifests', () => {
  it('a cut recording’s rows become its segments, each with its own label, not the first row’s for the whole file', async () => {
    const csv = join(folder('csv'), 'export.csv');
    writeFileSync(
      csv,
      [
        'id,path,segment_start,segment_end,speaker,import_label,label,reviewed,annotator',
        `1,${demo(0)},0.25,0.75,s1,neutral,neutral,0,`,
        `2,${demo(0)},1,1.5,s1,neutral,surprise,1,ann`,
        `3,${demo(0)},1.5,2,s1,neutral,,1,bob`,
        `4,${demo(1)},,,03,fear,fear,0,`,
      ].join('\n'),
    );
    const s = project();
    const r = await importDataset(s, csv);
    expect(r).toMatchObject({ kind: 'manifest', total: 4, added: 4, errors: [], duplicates: [] });
    expect(r.addedIds.map((id) => row(s, id))).toEqual([
      { segment_start: 0.25, segment_end: 0.75, import_label: 'neutral', current_label: 'neutral', reviewed: 0, speaker: 's1' },
      { segment_start: 1, segment_end: 1.5, import_label: 'neutral', current_label: 'surprise', reviewed: 1, speaker: 's1' },
      { segment_start: 1.5, segment_end: 2, import_label: 'neutral', current_label: null, reviewed: 1, speaker: 's1' },
      { segment_start: null, segment_end: null, import_label: 'fear', current_label: 'fear', reviewed: 0, speaker: '03' },
    ]);
    expect(s.clipHistory(r.addedIds[1]).map((a) => [a.annotator, a.action, a.label])).toEqual([['ann', 'relabel', 'surprise']]);
    expect(s.clipHistory(r.addedIds[2]).map((a) => [a.annotator, a.action, a.label])).toEqual([['bob', 'reject', 'neutral']]);
    expect(s.getClip(r.addedIds[0]).durationSec).toBe(0.5);
    expect(s.db.prepare('SELECT file_duration_sec FROM clips WHERE id = ?').pluck().get(r.addedIds[0])).toBe(2);
    // Imported again: every segment is already there.
    const again = await importDataset(s, csv);
    expect(again).toMatchObject({ added: 0, skippedDuplicates: 4 });
  });

  it('JSON Lines with the same keys; a segment past the file’s end is that row’s error', async () => {
    const jsonl = join(folder('jsonl'), 'export.jsonl');
    writeFileSync(
      jsonl,
      [
        { path: demo(2), segment_start: 0, segment_end: 1, label: 'anger', speaker: '07', reviewed: false, import_label: 'anger' },
        { path: demo(2), segment_start: 1, segment_end: 99, label: 'anger', reviewed: false },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
    );
    const s = project();
    const r = await importDataset(s, jsonl);
    expect(r).toMatchObject({ kind: 'manifest', added: 1 });
    expect(r.errors).toEqual([{ file: `${demo(2)} [1-99 s]`, reason: expect.stringMatching(/^the segment ends after the file does/) }]);
    expect(row(s, r.addedIds[0])).toMatchObject({ segment_start: 0, segment_end: 1, speaker: '07', current_label: 'anger' });
  });

  it('refuses broken segment and review columns with the line and the reason, before anything is imported', () => {
    const bad = (name: string, text: string) => {
      const f = join(folder('bad'), name);
      writeFileSync(f, text);
      return () => resolveSource(f);
    };
    expect(bad('a.csv', 'path,label,segment_start\nx.wav,a,1\n')).toThrow(/one of segment_start, segment_end but not both/);
    expect(bad('b.csv', 'path,label,segment_start,segment_end\nx.wav,a,2,1\n')).toThrow(/line 2: segment 2-1 s is not a stretch of time/);
    expect(bad('c.csv', 'path,label,segment_start,segment_end\nx.wav,a,1,\n')).toThrow(/line 2: a segment needs both/);
    expect(bad('d.csv', 'path,label,reviewed\nx.wav,a,yes\n')).toThrow(/line 2: reviewed is "yes": expected 1, 0, true or false/);
    expect(bad('e.jsonl', '{"path":"x.wav","label":"a"}\n[1]\n')).toThrow(/line 2: expected one JSON object per line/);
    expect(bad('f.jsonl', '{"path":"x.wav","label":"a"}\n{"path": \n')).toThrow(/line 2: not valid JSON/);
    expect(bad('g.jsonl', '{"path":"x.wav","label":["a"]}\n')).toThrow(ImportSourceError);
  });
});

describe('a Hugging Face audiofolder', () => {
  it('is read by its metadata.csv: file_name, label and speaker as text ("03" stays "03"); unlisted audio is named', async () => {
    const root = folder('hf');
    mkdirSync(join(root, 'audio'));
    copyFileSync(demo(0), join(root, 'audio', 'a.wav'));
    copyFileSync(demo(1), join(root, 'audio', 'b.wav'));
    copyFileSync(demo(2), join(root, 'stray.wav'));
    writeFileSync(join(root, 'metadata.csv'), 'file_name,label,speaker\naudio/a.wav,anger,03\naudio/b.wav,,0007\n');
    expect(detectSource(root)).toEqual({ kind: 'hf-audiofolder', root });
    const s = project();
    const r = await importDataset(s, root);
    expect(r).toMatchObject({ kind: 'hf-audiofolder', total: 2, added: 2, errors: [] });
    expect(r.skipped).toEqual([{ file: join(root, 'stray.wav'), reason: expect.stringContaining('not listed in') }]);
    expect(r.addedIds.map((id) => row(s, id))).toMatchObject([
      { import_label: 'anger', speaker: '03' },
      { import_label: null, speaker: '0007' },
    ]);
  });

  it('a folder that holds some other metadata.csv is not taken for one', () => {
    const root = folder('not-hf');
    mkdirSync(join(root, 'anger'));
    copyFileSync(demo(0), join(root, 'anger', 'a.wav'));
    writeFileSync(join(root, 'metadata.csv'), 'recorded_by,date\nme,2024\n');
    expect(detectSource(root)).toEqual({ kind: 'folders', root });
  });
});

describe('file-naming schemes, chosen per file', () => {
  const ravdess = ['03-01-05-01-01-01-02.wav', '03-01-08-01-01-01-02.wav', '03-01-01-01-01-01-02.wav'];

  it('one "(copy)" file does not turn a RAVDESS folder into folder-per-class: it is imported unlabelled, with a warning', async () => {
    const root = folder('ravdess');
    mkdirSync(join(root, 'Actor_02'));
    mkdirSync(join(root, 'Actor_01'));
    ravdess.forEach((f, i) => copyFileSync(demo(i), join(root, 'Actor_02', f)));
    copyFileSync(demo(3), join(root, 'Actor_01', '03-01-05-01-01-01-02 (copy).wav'));
    expect(detectSource(root)).toEqual({ kind: 'ravdess', root });
    const s = project();
    const r = await importDataset(s, root);
    expect(r.added).toBe(4);
    expect(r.warnings).toEqual(['1 file follows no RAVDESS naming (03-01-05-01-01-01-02 (copy).wav): imported without label or speaker']);
    const labels = r.addedIds.map((id) => row(s, id) as { import_label: string | null; speaker: string | null });
    expect(labels.map((l) => [l.import_label, l.speaker])).toEqual([
      [null, null],
      ['neutral', '02'],
      ['anger', '02'],
      ['surprise', '02'],
    ]);
    expect(s.classes().map((c) => c.name)).not.toContain('Actor_01');
  });

  it('a folder mixing EmoDB and RAVDESS names reads each file by its own scheme, and says so', () => {
    const root = folder('mixed');
    copyFileSync(demo(0), join(root, '03a01Fa.wav'));
    copyFileSync(demo(1), join(root, '03a01Wa.wav'));
    copyFileSync(demo(2), join(root, ravdess[1]));
    const r = resolveSource(root);
    expect(r.source).toEqual({ kind: 'emodb', root });
    expect(r.entries.map((e) => [e.label, e.speaker])).toEqual([
      ['surprise', '02'],
      ['happiness', '03'],
      ['anger', '03'],
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^the folder mixes file-naming schemes: 2 EmoDB \(03a01Fa\.wav, 03a01Wa\.wav\), 1 RAVDESS \(03-01-08-01-01-01-02\.wav\)/)]);
  });

  it('a folder-per-class dataset where a few names happen to follow a scheme stays folder-per-class', () => {
    const root = folder('classes');
    for (const [cls, files] of [['calm', ['x.wav', 'y.wav']], ['angry', ['z.wav', '03a01Wa.wav']]] as const) {
      mkdirSync(join(root, cls));
      files.forEach((f, i) => copyFileSync(demo(i), join(root, cls, f)));
    }
    expect(detectSource(root)).toEqual({ kind: 'folders', root });
  });
});
