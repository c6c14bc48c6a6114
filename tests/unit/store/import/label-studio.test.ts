// A Label Studio JSON export as an import source: detected by its .json name and its shape (an array of tasks),
// audio resolved from data.audio (a local path, /data/local-files/?d= under the given root), the label from
// the last annotation's first choice (an eodn export's tasks: every annotator's answer replayed), a segment as
// that stretch of its file; tasks it cannot import are listed with the reason.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSource, importDataset, ImportSourceError, resolveSource } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, DEMO_DIR, demoClipNames, tempDir } from '../helpers';

const dir = tempDir('eodn-ls-import-');
const names = demoClipNames();
const choice = (label: string) => ({ result: [{ from_name: 'emotion', to_name: 'audio', type: 'choices', value: { choices: [label] } }] });
let file: string;

beforeAll(() => {
  file = join(dir, 'export.json');
  writeFileSync(
    file,
    JSON.stringify([
      // A local path; the last annotation wins.
      { id: 1, data: { audio: join(DEMO_CLIPS, names[0]), speaker: 's1' }, annotations: [choice('anger'), choice('fear')] },
      // Local-files storage (root given to the import); a cancelled annotation is not an answer.
      { id: 2, data: { audio: `/data/local-files/?d=demo/clips/${names[1]}` }, annotations: [choice('joy'), { ...choice('sad'), was_cancelled: true }] },
      // No annotation: the import label of an eodn export.
      { id: 3, data: { audio: `file://${join(DEMO_CLIPS, names[2])}`, import_label: 'boredom' } },
      // The last annotation chose nothing: no label.
      { id: 4, data: { audio: join(DEMO_CLIPS, names[3]) }, annotations: [choice('anger'), { result: [] }] },
      // Not importable: a URL; a segment that is not a stretch of time.
      { id: 5, data: { audio: 'https://example.org/a.wav' }, annotations: [choice('anger')] },
      { id: 7, data: { audio: join(DEMO_CLIPS, names[5]), segment_start: 2, segment_end: 1 } },
      // A segment of a recording: that stretch of the file.
      { id: 6, data: { audio: join(DEMO_CLIPS, names[4]), segment_start: 0.5, segment_end: 1.25 }, annotations: [choice('anger')] },
      // As `eodn export` writes it: the import label, then each annotator's answer (ground truth: an adjudication).
      {
        id: 8,
        data: { audio: join(DEMO_CLIPS, names[6]), import_label: 'fear' },
        annotations: [choice('fear'), choice('anger'), { result: [] }, { ...choice('anger'), ground_truth: true }],
        meta: { eodn: { annotators: ['import', 'ann', 'bob', 'cy'] } },
      },
    ]),
  );
});

describe('Label Studio source', () => {
  it('is detected by a .json name and an array of tasks; other JSON is refused', () => {
    expect(detectSource(file)).toEqual({ kind: 'label-studio', file });
    expect(detectSource(file, { localFilesRoot: dirname(DEMO_DIR) })).toEqual({ kind: 'label-studio', file, localFilesRoot: dirname(DEMO_DIR) });
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ tasks: [] }));
    expect(() => detectSource(other)).toThrow(ImportSourceError);
    expect(() => detectSource(other)).toThrow(/not a Label Studio export/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"data": ');
    expect(() => detectSource(broken)).toThrow(/not valid JSON/);
  });

  it('resolves each task’s audio and label, and lists what it cannot import', () => {
    const withRoot = resolveSource(file, { localFilesRoot: dirname(DEMO_DIR) });
    expect(withRoot.entries).toEqual([
      { path: join(DEMO_CLIPS, names[0]), label: 'fear', speaker: 's1', pad: null, segment: null },
      { path: join(DEMO_CLIPS, names[1]), label: 'joy', speaker: null, pad: null, segment: null },
      { path: join(DEMO_CLIPS, names[2]), label: 'boredom', speaker: null, pad: null, segment: null },
      { path: join(DEMO_CLIPS, names[3]), label: null, speaker: null, pad: null, segment: null },
      { path: join(DEMO_CLIPS, names[4]), label: 'anger', speaker: null, pad: null, segment: { startSec: 0.5, endSec: 1.25 } },
      {
        path: join(DEMO_CLIPS, names[6]),
        label: 'fear',
        speaker: null,
        pad: null,
        segment: null,
        answers: [
          { annotator: 'ann', label: 'anger' },
          { annotator: 'bob', label: null },
          { annotator: 'cy', label: 'anger', adjudicated: true },
        ],
      },
    ]);
    expect(withRoot.skipped.map((s) => s.reason)).toEqual([expect.stringContaining('cannot map to a local file'), expect.stringContaining('not a stretch of time')]);
    // Without the document root the local-files task is listed, not guessed.
    const without = resolveSource(file);
    expect(without.entries).toHaveLength(5);
    expect(without.skipped[0]).toMatchObject({ file: `/data/local-files/?d=demo/clips/${names[1]}`, reason: expect.stringContaining('--local-files-root') });
  });

  it('imports into a project with its labels', async () => {
    const store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'p' });
    try {
      const r = await importDataset(store, resolveSource(file, { localFilesRoot: dirname(DEMO_DIR) }).source);
      expect(r).toMatchObject({ kind: 'label-studio', total: 6, added: 6, errors: [] });
      expect(r.skipped).toHaveLength(2);
      const clips = store.clipIds().map((id) => store.getClip(id));
      expect(clips.map((c) => c.importLabel)).toEqual(['fear', 'joy', 'boredom', null, 'anger', 'fear']);
      expect(clips[4]).toMatchObject({ segmentStartSec: 0.5, segmentEndSec: 1.25, durationSec: 0.75 });
      // The eodn task's answers replayed: the adjudication decides.
      const replayed = store.clipHistory(clips[5].id);
      expect(replayed.map((a) => [a.annotator, a.action, a.label, a.adjudicated ?? false])).toEqual([
        ['ann', 'relabel', 'anger', false],
        ['bob', 'reject', 'fear', false],
        ['cy', 'relabel', 'anger', true],
      ]);
      expect(store.db.prepare('SELECT current_label, reviewed FROM clips WHERE id = ?').get(clips[5].id)).toEqual({ current_label: 'anger', reviewed: 1 });
      expect(store.classes().map((c) => c.name).sort()).toEqual(['anger', 'boredom', 'fear', 'joy']);
    } finally {
      store.close();
    }
  });
});
