import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkProject } from '../../../../src-main/store/check';
import { importDataset, ImportSourceError, parseCsv, parseEmodbName, parseRavdessName, relinkByHash } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, DEMO_MANIFEST, demoClipNames, tempDir } from '../helpers';

const dir = tempDir();
let n = 0;
let store: ProjectStore;
beforeEach(() => {
  store = ProjectStore.create(join(dir, `i${n++}.eodn`), { name: 'import' });
  return () => store.close();
});
const sub = (name: string) => {
  const d = join(dir, `${name}-${n}`);
  mkdirSync(d, { recursive: true });
  return d;
};

describe('importDataset', () => {
  it('imports the demo manifest (80 clips) and a re-run adds nothing', async () => {
    const progress: number[] = [];
    const r = await importDataset(store, DEMO_MANIFEST, { onProgress: (p) => progress.push(p.done) });
    expect(r).toMatchObject({ kind: 'manifest', total: 80, added: 80, skippedDuplicates: 0, errors: [], cancelled: false });
    expect(progress).toHaveLength(80);
    const info = store.info();
    expect(info.clipCount).toBe(80);
    expect(info.speakers).toEqual(['emodb-13', 'emodb-15']);
    expect(info.classes.map((c) => [c.name, c.origin])).toEqual(
      ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'neutral', 'sadness'].map((c) => [c, 'import']),
    );
    const clip = store.listClipRows({ offset: 0, limit: 1, filter: { search: '13a01Ac' } }).rows[0];
    expect(clip).toMatchObject({ name: '13a01Ac.wav', importLabel: 'fear', currentLabel: 'fear', speaker: 'emodb-13', durationSec: 2 });
    expect(store.getClip(clip.id)).toMatchObject({ sampleRate: 22050, channels: 1, path: join(DEMO_CLIPS, '13a01Ac.wav') });
    const again = await importDataset(store, DEMO_MANIFEST);
    expect(again).toMatchObject({ added: 0, skippedDuplicates: 80, errors: [] });
    expect(store.info().clipCount).toBe(80);
    store.close();
    expect(checkProject(store.file).ok).toBe(true);
  });

  it('reads EmoDB names (SSTTTEV.wav) from a folder, detected or named', async () => {
    const folder = sub('emodb');
    const names = demoClipNames().slice(0, 14);
    for (const f of names) copyFileSync(join(DEMO_CLIPS, f), join(folder, f));
    const r = await importDataset(store, folder);
    expect(r).toMatchObject({ kind: 'emodb', added: 14, errors: [] });
    const rows = store.listClipRows({ offset: 0, limit: 100 }).rows;
    for (const row of rows) {
      const letter = row.name[5];
      expect(row.importLabel).toBe({ W: 'anger', L: 'boredom', E: 'disgust', A: 'fear', F: 'happiness', T: 'sadness', N: 'neutral' }[letter]);
      expect(row.speaker).toBe(row.name.slice(0, 2));
    }
    expect(parseEmodbName('03a01Wa.wav')).toEqual({ speaker: '03', label: 'anger' });
    expect(parseEmodbName('03a01Xa.wav')).toBeNull();
    expect((await importDataset(store, { kind: 'emodb', root: folder })).added).toBe(0);
  });

  it('reads RAVDESS names, folders per class and unlabelled folders', async () => {
    const names = demoClipNames();
    const rav = sub('ravdess');
    copyFileSync(join(DEMO_CLIPS, names[0]), join(rav, '03-01-05-02-01-01-07.wav'));
    copyFileSync(join(DEMO_CLIPS, names[1]), join(rav, '03-01-08-01-02-02-12.wav'));
    expect(parseRavdessName('03-01-05-02-01-01-07.wav')).toEqual({ label: 'anger', speaker: '07' });
    const r1 = await importDataset(store, rav);
    expect(r1).toMatchObject({ kind: 'ravdess', added: 2 });
    expect(store.listClipRows({ offset: 0, limit: 9, sort: { by: 'name', dir: 'asc' } }).rows.map((r) => [r.importLabel, r.speaker])).toEqual([
      ['anger', '07'],
      ['surprise', '12'],
    ]);
    const byClass = sub('byclass');
    mkdirSync(join(byClass, 'calm', 'deeper'), { recursive: true });
    mkdirSync(join(byClass, 'tense'));
    copyFileSync(join(DEMO_CLIPS, names[2]), join(byClass, 'calm', 'deeper', 'a.wav'));
    copyFileSync(join(DEMO_CLIPS, names[3]), join(byClass, 'tense', 'b.WAV'));
    writeFileSync(join(byClass, 'tense', 'notes.txt'), 'ignored');
    const r2 = await importDataset(store, byClass);
    expect(r2).toMatchObject({ kind: 'folders', added: 2, errors: [] });
    expect(store.listClipRows({ offset: 0, limit: 2, filter: { search: 'deeper' } }).rows[0].importLabel).toBe('calm');
    const flat = sub('flat');
    mkdirSync(join(flat, 'x'));
    copyFileSync(join(DEMO_CLIPS, names[4]), join(flat, 'top.wav'));
    copyFileSync(join(DEMO_CLIPS, names[5]), join(flat, 'x', 'nested.wav'));
    const r3 = await importDataset(store, flat);
    expect(r3).toMatchObject({ kind: 'unlabelled', added: 2 });
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { label: null } }).total).toBe(2);
  });

  it('collects per-file errors and goes on', async () => {
    const folder = sub('errors');
    const names = demoClipNames();
    copyFileSync(join(DEMO_CLIPS, names[0]), join(folder, 'good.wav'));
    copyFileSync(join(DEMO_CLIPS, names[0]), join(folder, 'same-bytes.wav'));
    writeFileSync(join(folder, 'empty.wav'), '');
    writeFileSync(join(folder, 'text.wav'), 'this is not audio at all, just text pretending to be a wav file');
    const manifest = join(folder, 'm.csv');
    writeFileSync(
      manifest,
      'path,label,speaker\ngood.wav,anger,s1\nempty.wav,anger,s1\ntext.wav,fear,s1\nmissing.wav,fear,s1\nsame-bytes.wav,fear,s2\n' +
        `${join(DEMO_CLIPS, names[1])},fear,s2\n`,
    );
    const r = await importDataset(store, manifest);
    expect(r.added).toBe(2);
    expect(r.skippedDuplicates).toBe(1);
    expect(r.duplicates).toEqual([{ file: join(folder, 'same-bytes.wav'), sameAs: join(folder, 'good.wav') }]);
    // Reasons come from the decoder; only their gist is pinned here.
    expect(r.errors.map((e) => [e.file.split('/').pop(), e.reason])).toEqual([
      ['empty.wav', expect.stringMatching(/empty/)],
      ['text.wav', expect.stringMatching(/not an audio file/)],
      ['missing.wav', 'file not found'],
    ]);
  });

  it('refuses hostile manifests with a clear error and changes nothing', async () => {
    const folder = sub('hostile');
    copyFileSync(join(DEMO_CLIPS, demoClipNames()[0]), join(folder, 'a.wav'));
    const cases: [string, string | Buffer, RegExp][] = [
      ['nocol.csv', 'file,emotion\na.wav,anger\n', /lacks columns path, label/],
      ['nolabel.csv', 'path,speaker\na.wav,s1\n', /lacks column label/],
      ['fields.csv', 'path,label,speaker\na.wav,anger\n', /line 2: expected 3 fields, found 2/],
      ['types.csv', 'path,label,P,A,D\na.wav,anger,high,0.2,0.1\n', /line 2: column P is "high", not a number/],
      ['partpad.csv', 'path,label,P,A\na.wav,anger,1,2\n', /P, A, D/],
      ['long.csv', 'path,label\na.wav,' + 'x'.repeat(1024 * 1024) + '\n', /line 2: record longer than/],
      ['latin1.csv', Buffer.concat([Buffer.from('path,label\na.wav,'), Buffer.from([0x66, 0xe9, 0xff]), Buffer.from('\n')]), /not valid UTF-8/],
      ['quote.csv', 'path,label\n"a.wav,anger\n', /never closed/],
      ['empty.csv', '', /empty/],
      ['emptypath.csv', 'path,label\n,anger\n', /empty path/],
    ];
    const before = readFileSync(store.file).length;
    for (const [name, content, message] of cases) {
      writeFileSync(join(folder, name), content);
      const p = importDataset(store, join(folder, name));
      await expect(p, name).rejects.toBeInstanceOf(ImportSourceError);
      await expect(importDataset(store, join(folder, name)), name).rejects.toThrow(message);
    }
    expect(store.info()).toMatchObject({ clipCount: 0, classes: [] });
    expect(readFileSync(store.file).length).toBe(before);
    await expect(importDataset(store, join(folder, 'nope.csv'))).rejects.toThrow(/not found/);
  });

  it('parses quoted CSV fields, CRLF and optional P,A,D columns', async () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","multi\nline"\r\n\r\n').map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['x, "y"', 'multi\nline']],
    ]);
    const folder = sub('pad');
    copyFileSync(join(DEMO_CLIPS, demoClipNames()[0]), join(folder, 'with, comma.wav'));
    copyFileSync(join(DEMO_CLIPS, demoClipNames()[1]), join(folder, 'b.wav'));
    writeFileSync(join(folder, 'm.csv'), 'Path,Label,Speaker,P,A,D\r\n"with, comma.wav","anger",s1,-0.51,0.59,0.25\r\nb.wav,,,,,\r\n');
    const r = await importDataset(store, join(folder, 'm.csv'));
    expect(r).toMatchObject({ added: 2, errors: [] });
    const [a, b] = [1, 2].map((id) => store.getClip(id));
    expect(a).toMatchObject({ importLabel: 'anger', speaker: 's1', importPad: [-0.51, 0.59, 0.25] });
    expect(b).toMatchObject({ importLabel: null, speaker: null, importPad: null });
  });

  it('relinks moved files by hash and marks the rest missing', async () => {
    const folder = sub('moving');
    const names = demoClipNames().slice(0, 5);
    for (const f of names) copyFileSync(join(DEMO_CLIPS, f), join(folder, f));
    expect((await importDataset(store, folder)).added).toBe(5);
    const moved = `${folder}-moved`;
    renameSync(folder, moved);
    // One file renamed too, one gone for good.
    renameSync(join(moved, names[0]), join(moved, 'renamed.wav'));
    const gone = join(moved, names[1]);
    const goneSize = statSync(gone).size;
    writeFileSync(gone, Buffer.alloc(goneSize, 1)); // same size, other bytes
    const r = await relinkByHash(store, moved);
    expect(r).toMatchObject({ relinked: 4, stillMissing: 1 });
    const rows = store.listClipRows({ offset: 0, limit: 10 }).rows;
    expect(rows.filter((x) => x.missing).map((x) => x.name)).toEqual([names[1]]);
    expect(store.getClip(rows.find((x) => x.name === names[0])!.id).path).toBe(join(moved, 'renamed.wav'));
  });
});
