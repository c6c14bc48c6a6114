// Round trips: every export format the studio writes, imported back into a new project (as `eodn import` does it),
// gives the same clips, segments, labels, speakers and decisions — on the demo project and on a project with a
// long recording cut into utterances. CSV and JSONL carry each clip's label and the annotator whose answer gave
// it; Label Studio carries every annotator's standing answer (an adjudication as ground truth); the Hugging Face
// audiofolder hands out each utterance as a file of its own, with exactly the recording's samples. TextGrid and
// ELAN are not import formats: the files, read back, show every clip of every recording with its label, the
// model's prediction, and each annotator's answer.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src-main/engine/audio/decode';
import { readSegment } from '../../../src-main/engine/audio/segment';
import { defaultWorkerPath } from '../../../src-main/jobs/worker-path';
import { importAndSplit } from '../../../src-main/pipeline/import-and-split';
import { exportCsv, exportEaf, exportHfAudiofolder, exportJsonl, exportLabelStudio, exportTextGrids, HF_COLUMNS } from '../../../src-main/store/export';
import { parseCsv, parseTextGrid } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';
import { cutProject, demoProject, expectedTiers, tierProblems, viewClips, type ClipView } from './round-trip-projects';

const dir = tempDir('eodn-round-trip-');
const projects: Record<'demo' | 'cut', ProjectStore> = {} as never;
let cutSegments = 0;

beforeAll(async () => {
  projects.demo = await demoProject(join(dir, 'demo.eodn'));
  const cut = await cutProject(join(dir, 'cut.eodn'), join(dir, 'cut'));
  projects.cut = cut.store;
  cutSegments = cut.segments;
}, 120_000);
afterAll(() => {
  for (const s of Object.values(projects)) s?.close();
});

let made = 0;
/** Imports `source` into a new project as `eodn import` does. */
async function reimport(source: string): Promise<ProjectStore> {
  const store = ProjectStore.create(join(dir, `back-${++made}.eodn`), { name: 'back' });
  const r = await importAndSplit(store, source, { workerPath: defaultWorkerPath() });
  expect(r.imported.errors).toEqual([]);
  expect(r.imported.skipped).toEqual([]);
  expect(r.imported.warnings).toEqual([]);
  return store;
}

const key = (v: ClipView) => `${v.hash}|${v.segmentStartSec}|${v.segmentEndSec}`;
/** What a format carries of a clip: everything, with every answer (`full`) or the one that decided. */
const carried = (v: ClipView, full: boolean) => ({
  path: v.path,
  segment: v.segmentStartSec === null ? null : [v.segmentStartSec, v.segmentEndSec],
  durationSec: v.durationSec,
  speaker: v.speaker,
  importLabel: v.importLabel,
  label: v.label,
  reviewed: v.reviewed,
  ...(full ? { answers: v.answers } : { decider: v.decider }),
});

function sameProject(a: ProjectStore, b: ProjectStore, full: boolean): void {
  const want = new Map(viewClips(a).map((v) => [key(v), carried(v, full)]));
  const got = new Map(viewClips(b).map((v) => [key(v), carried(v, full)]));
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, g] of got) expect(g, k).toEqual(want.get(k));
}

describe.each(['demo', 'cut'] as const)('the %s project', (which) => {
  it('has what the round trips must keep: answers of several annotators, segments where cut', () => {
    const views = viewClips(projects[which]);
    expect(views.filter((v) => v.reviewed)).toHaveLength(6);
    expect(views.some((v) => v.answers.some((a) => a[2]))).toBe(true); // an adjudication
    expect(views.some((v) => v.reviewed && v.label === null)).toBe(true); // a reject, a tie
    if (which === 'cut') {
      expect(views.filter((v) => v.segmentStartSec !== null)).toHaveLength(cutSegments);
      expect(cutSegments).toBeGreaterThan(10);
    } else expect(views).toHaveLength(80);
  });

  it('CSV → import: the same clips, segments, labels, speakers and deciding answers', async () => {
    const out = join(dir, `${which}.csv`);
    exportCsv(projects[which], out);
    const back = await reimport(out);
    sameProject(projects[which], back, false);
    back.close();
  });

  it('JSONL → import: the same', async () => {
    const out = join(dir, `${which}.jsonl`);
    exportJsonl(projects[which], out);
    const back = await reimport(out);
    sameProject(projects[which], back, false);
    back.close();
  });

  it('Label Studio → import: the same, with every annotator’s answer and the adjudication', async () => {
    const out = join(dir, `${which}-ls.json`);
    exportLabelStudio(projects[which], out);
    const back = await reimport(out);
    sameProject(projects[which], back, true);
    back.close();
  }, 30_000);

  it('Hugging Face audiofolder → import: each utterance a file of the recording’s own samples, labels and speakers kept', async () => {
    const src = projects[which];
    const out = join(dir, `${which}-hf`);
    const report = await exportHfAudiofolder(src, out);
    const views = viewClips(src);
    expect(report).toEqual({ written: views.length, cutSegments: views.filter((v) => v.segmentStartSec !== null).length });
    const back = await reimport(out);
    const meta = parseCsv(readFileSync(join(out, 'metadata.csv'), 'utf8'));
    expect(meta[0].fields).toEqual([...HF_COLUMNS]);
    const col = (name: (typeof HF_COLUMNS)[number]) => HF_COLUMNS.indexOf(name);
    const backByPath = new Map(viewClips(back).map((v) => [v.path, v]));
    expect(backByPath.size).toBe(views.length);
    let checkedSamples = 0;
    for (const r of meta.slice(1)) {
      const f = r.fields;
      const start = f[col('source_start')] === '' ? null : Number(f[col('source_start')]);
      const orig = views.find((v) => basename(v.path) === f[col('source_file')] && v.segmentStartSec === start && (start !== null || v.hash === f[col('hash')]))!;
      expect(orig, f[0]).toBeDefined();
      const got = backByPath.get(join(out, f[0]))!;
      expect(got.hash).toBe(f[col('hash')]);
      expect({ ...carried(got, false), path: null, segment: null, durationSec: null }).toEqual({ ...carried(orig, false), path: null, segment: null, durationSec: null });
      // A whole clip is the same file; an utterance, exactly its frames of the recording.
      if (start === null) expect(got.hash).toBe(orig.hash);
      else {
        expect(got.durationSec).toBeCloseTo(orig.durationSec, 3);
        if (checkedSamples++ < 5) {
          const cut = await decodeAudio(readFileSync(got.path), got.path);
          const ref = await readSegment(orig.path, { startSec: orig.segmentStartSec!, endSec: orig.segmentEndSec! });
          expect(cut.channelData[0]).toEqual(ref.mono.samples);
        }
      }
    }
    // Speakers stay text: "03" would not become 3 (the demo's are "emodb-13"; the cut project's are none).
    expect(new Set(viewClips(back).map((v) => v.speaker))).toEqual(new Set(views.map((v) => v.speaker)));
    back.close();
  }, 60_000);

  it('TextGrid: every recording, every clip, its label, the prediction and each annotator, read back', () => {
    const src = projects[which];
    const out = join(dir, `${which}-tg`);
    const files = exportTextGrids(src, out);
    const want = expectedTiers(viewClips(src));
    expect(files).toHaveLength(want.size);
    const index = parseCsv(readFileSync(join(out, 'index.csv'), 'utf8')).slice(1);
    expect(index.map((r) => r.fields[1]).sort()).toEqual([...want.keys()].sort());
    for (const r of index) {
      const w = want.get(r.fields[1])!;
      const tg = parseTextGrid(readFileSync(join(out, r.fields[0]), 'utf8'));
      expect(tg.xmax).toBeCloseTo(w.durationSec, 9);
      expect(tg.tiers.map((t) => t.name)).toEqual(w.tiers.map((t) => t.name));
      const problems = tg.tiers.flatMap((t, i) => tierProblems(t.intervals, w.tiers[i], w.durationSec));
      expect(problems, r.fields[0]).toEqual([]);
    }
    expect(want.get([...want.keys()][0])!.tiers.map((t) => t.name)).toEqual(['label', 'prediction', 'annotator ann', 'annotator bob', 'annotator cy', 'adjudication']);
  });

  it('ELAN: the same tiers, each clip with a text an annotation between its two time slots', () => {
    const src = projects[which];
    const out = join(dir, `${which}-eaf`);
    const files = exportEaf(src, out);
    const want = expectedTiers(viewClips(src));
    expect(files).toHaveLength(want.size);
    const index = parseCsv(readFileSync(join(out, 'index.csv'), 'utf8')).slice(1);
    for (const r of index) {
      const w = want.get(r.fields[1])!;
      const xml = readFileSync(join(out, r.fields[0]), 'utf8');
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ANNOTATION_DOCUMENT [^>]*FORMAT="3.0" VERSION="3.0"/);
      expect(xml).toContain(`MEDIA_URL="file://${r.fields[1]}"`);
      const slots = new Map([...xml.matchAll(/<TIME_SLOT TIME_SLOT_ID="([^"]+)" TIME_VALUE="(\d+)"\/>/g)].map((m) => [m[1], Number(m[2])]));
      const tiers = [...xml.matchAll(/<TIER LINGUISTIC_TYPE_REF="emotion" TIER_ID="([^"]+)">([\s\S]*?)<\/TIER>/g)].map((m) => ({
        name: m[1],
        spans: [...m[2].matchAll(/TIME_SLOT_REF1="([^"]+)" TIME_SLOT_REF2="([^"]+)">\s*<ANNOTATION_VALUE>([^<]*)<\/ANNOTATION_VALUE>/g)].map((a) => ({
          from: slots.get(a[1])!,
          to: slots.get(a[2])!,
          text: a[3].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
        })),
      }));
      expect(tiers.map((t) => t.name)).toEqual(w.tiers.map((t) => t.name));
      tiers.forEach((t, i) => {
        const expected = w.tiers[i].spans.filter((s) => s.text !== '').map((s) => ({ from: Math.round(s.xmin * 1000), to: Math.round(s.xmax * 1000), text: s.text }));
        expect(t.spans, `${r.fields[0]} ${t.name}`).toEqual(expected);
      });
    }
  });
});
