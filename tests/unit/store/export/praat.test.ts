// Praat itself reads every exported TextGrid: Debian's `praat --run` on a script that prints each file's tiers and
// intervals, for the demo project (a TextGrid per clip) and for a project with a long recording cut into
// utterances. What Praat reads must be what the project holds: every clip's stretch with its label, the model's
// prediction, each annotator's answer. .ci/run installs praat; without it this file is skipped and says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTextGrids } from '../../../../src-main/store/export';
import { parseCsv } from '../../../../src-main/store/import';
import type { ProjectStore } from '../../../../src-main/store/project-store';
import { tempDir } from '../helpers';
import { cutProject, demoProject, expectedTiers, tierProblems, viewClips } from '../round-trip-projects';

const praat = spawnSync('praat', ['--version'], { encoding: 'utf8' });
const hasPraat = praat.status === 0;
if (!hasPraat) console.warn('praat.test.ts skipped: `praat` is not installed (apt-get install praat; .ci/run installs it)');

const SCRIPT = `form Dump TextGrids
  text listfile
endform
list = Read Strings from raw text file: listfile$
n = Get number of strings
for f to n
  selectObject: list
  path$ = Get string: f
  tg = Read from file: path$
  ntiers = Get number of tiers
  xmax = Get end time
  appendInfoLine: "file", tab$, path$, tab$, fixed$(xmax, 9), tab$, ntiers
  for t to ntiers
    name$ = Get tier name: t
    ni = Get number of intervals: t
    appendInfoLine: "tier", tab$, name$, tab$, ni
    for i to ni
      t0 = Get start time of interval: t, i
      t1 = Get end time of interval: t, i
      lab$ = Get label of interval: t, i
      appendInfoLine: "interval", tab$, fixed$(t0, 9), tab$, fixed$(t1, 9), tab$, lab$
    endfor
  endfor
  removeObject: tg
endfor
`;

interface PraatFile {
  path: string;
  xmax: number;
  tiers: { name: string; intervals: { xmin: number; xmax: number; text: string }[] }[];
}

/** Runs Praat on the files and reads back what it printed. */
function readWithPraat(dir: string, files: readonly string[]): PraatFile[] {
  const script = join(dir, 'dump.praat');
  const list = join(dir, 'files.txt');
  writeFileSync(script, SCRIPT);
  writeFileSync(list, files.join('\n') + '\n');
  const out = execFileSync('praat', ['--run', script, list], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const read: PraatFile[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [kind, ...f] = line.split('\t');
    if (kind === 'file') read.push({ path: f[0], xmax: Number(f[1]), tiers: [] });
    else if (kind === 'tier') read.at(-1)!.tiers.push({ name: f[0], intervals: [] });
    else if (kind === 'interval') read.at(-1)!.tiers.at(-1)!.intervals.push({ xmin: Number(f[0]), xmax: Number(f[1]), text: f.slice(2).join('\t') });
    else throw new Error(`unexpected Praat output: ${line}`);
  }
  return read;
}

describe.skipIf(!hasPraat)('Praat reads every exported TextGrid', () => {
  const dir = tempDir('eodn-praat-');
  const stores: ProjectStore[] = [];
  beforeAll(async () => {
    stores.push(await demoProject(join(dir, 'demo.eodn')));
    stores.push((await cutProject(join(dir, 'cut.eodn'), join(dir, 'cut'))).store);
  }, 120_000);
  afterAll(() => stores.forEach((s) => s.close()));

  it.each([0, 1])('project %i: tiers and intervals as the project holds them', (i) => {
    const store = stores[i];
    const out = join(dir, `tg-${i}`);
    const files = exportTextGrids(store, out);
    const want = expectedTiers(viewClips(store));
    expect(files).toHaveLength(want.size);
    const audioOf = new Map(parseCsv(readFileSync(join(out, 'index.csv'), 'utf8')).slice(1).map((r) => [join(out, r.fields[0]), r.fields[1]]));
    const read = readWithPraat(dir, files);
    expect(read.map((r) => r.path)).toEqual(files);
    for (const r of read) {
      const w = want.get(audioOf.get(r.path)!)!;
      expect(r.xmax).toBeCloseTo(w.durationSec, 8);
      expect(r.tiers.map((t) => t.name)).toEqual(w.tiers.map((t) => t.name));
      expect(r.tiers.flatMap((t, k) => tierProblems(t.intervals, w.tiers[k], w.durationSec, 2e-9)), r.path).toEqual([]);
    }
    // Labels, predictions (an unknown among them) and annotators all came through Praat.
    const texts = new Set(read.flatMap((r) => r.tiers.flatMap((t) => t.intervals.map((iv) => iv.text))));
    for (const t of ['anger', 'fear', 'contempt', '<unknown>']) expect(texts.has(t), t).toBe(true);
  }, 60_000);
});
