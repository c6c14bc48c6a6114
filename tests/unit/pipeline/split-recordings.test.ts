// Long recordings at import: cut into utterances by the VAD in a worker, the utterances replacing the
// whole-file clip; short clips, silent recordings and re-imports are left as they are.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../../src-main/bench/recordings';
import { defaultWorkerPath } from '../../../src-main/jobs/worker-path';
import { splitLongRecordings } from '../../../src-main/pipeline/split-recordings';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { encodeWav } from '../engine/audio/wav-fixtures';
import { tempDir } from '../store/helpers';

const demo = join(process.cwd(), 'resources', 'demo', 'clips');
const demoClips = readdirSync(demo).filter((f) => f.endsWith('.wav')).sort().map((f) => join(demo, f));
let dir: string;
let utterances: number;

beforeAll(() => {
  dir = tempDir('eodn-split-');
  mkdirSync(join(dir, 'data', 'neutral'), { recursive: true });
  copyFileSync(demoClips[0], join(dir, 'data', 'neutral', 'short.wav'));
  utterances = writeSyntheticRecording(demoClips, join(dir, 'data', 'neutral', 'session.wav'), 90).utterances;
  writeFileSync(join(dir, 'data', 'neutral', 'silent-room.wav'), encodeWav([new Float32Array(16000 * 70)], 16000));
});

describe('splitLongRecordings', () => {
  it('cuts a long recording into its utterances, keeps a silent one whole, and leaves short clips alone', async () => {
    const store = ProjectStore.create(join(dir, 'a.eodn'), { name: 'a' });
    const imported = await importDataset(store, join(dir, 'data'));
    expect(imported.addedIds).toHaveLength(3);
    const progress: number[] = [];
    const report = await splitLongRecordings(store, imported.addedIds, { workerPath: defaultWorkerPath(), onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([1, 2]);
    expect(report.recordings).toBe(1);
    expect(report.kept).toEqual([{ file: join(dir, 'data', 'neutral', 'silent-room.wav'), reason: 'no speech found: kept as one clip' }]);
    // Every utterance written into the recording is found, give or take one joined or split pair.
    expect(Math.abs(report.segments - utterances)).toBeLessThanOrEqual(Math.max(2, utterances * 0.2));

    const clips = store.clipPaths().map((c) => store.getClip(c.id));
    const session = clips.filter((c) => c.path.endsWith('session.wav'));
    expect(session).toHaveLength(report.segments);
    for (const c of session) {
      expect(c.segmentStartSec).not.toBeNull();
      expect(c.durationSec).toBeCloseTo(c.segmentEndSec! - c.segmentStartSec!, 6);
      expect(c.importLabel).toBe('neutral');
    }
    for (let i = 1; i < session.length; i++) expect(session[i].segmentStartSec!).toBeGreaterThanOrEqual(session[i - 1].segmentEndSec!);
    expect(clips.filter((c) => c.path.endsWith('short.wav'))).toMatchObject([{ segmentStartSec: null }]);
    expect(clips.filter((c) => c.path.endsWith('silent-room.wav'))).toMatchObject([{ segmentStartSec: null }]);

    // Importing the folder again adds nothing: the recording is in the project as its utterances.
    const again = await importDataset(store, join(dir, 'data'));
    expect(again.added).toBe(0);
    expect(again.skippedDuplicates).toBe(3);
    store.close();
  });

  it('keeps a recording whole when its clip already has an answer, and says why', async () => {
    const store = ProjectStore.create(join(dir, 'b.eodn'), { name: 'b' });
    const imported = await importDataset(store, join(dir, 'data'));
    const session = imported.addedIds.map((id) => store.getClip(id)).find((c) => c.path.endsWith('session.wav'))!;
    store.annotate(session.id, { action: 'relabel', label: 'neutral', annotator: 'test' });
    const report = await splitLongRecordings(store, [session.id], { workerPath: defaultWorkerPath() });
    expect(report.recordings).toBe(0);
    expect(report.kept[0].reason).toMatch(/has answers or predictions: it is kept whole/);
    expect(store.getClip(session.id).segmentStartSec).toBeNull();
    store.close();
  });
});
