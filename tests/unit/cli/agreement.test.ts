// eodn agreement: from a crowd vote table (CREMA-D's layout) and from a project's answers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementFor, formatAgreement } from '../../../src-main/cli/commands/agreement';
import { alphaFromMatrix, cohenKappa, cremaVoteTable, fleissKappa, majority } from '../../../src-main/engine/agreement';
import { parseCsv } from '../../../src-main/store/import/csv';
import { annotatorVotes } from '../../../src-main/store/annotator-votes';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from '../store/helpers';

const dir = tempDir('eodn-agreement-');
const CREMA = resolve(__dirname, '../../../../shared/data/crema-d/tabulatedVotes.csv');

const HEADER = '"","A","D","F","H","N","S","fileName","numResponses","agreement","emoVote"';
const SMALL = [
  HEADER,
  '"100001",0,0,0,1,10,0,"1001_IEO_NEU_XX",11,0.909,"N"',
  '"100002",0,0,0,3,6,0,"1001_IEO_HAP_LO",9,0.667,"N"',
  '"100003",2,0,0,6,2,0,"1002_IEO_HAP_HI",10,0.6,"H"',
  '"200001",0,0,0,0,11,0,"1001_IEO_NEU_XX",11,1,"N"',
].join('\n');

describe('eodn agreement --votes', () => {
  const file = join(dir, 'votes.csv');
  writeFileSync(file, SMALL);

  it('reports one condition with the JSON keys, per class and per actor', () => {
    const r = agreementFor(undefined, { votes: file, condition: 'voice' }) as Record<string, any>;
    expect(r.source).toEqual({ votes: file, condition: 'voice' });
    expect(r.units).toBe(3);
    expect(r.krippendorff_alpha.nominal).toBeCloseTo(alphaFromMatrix([
      [...Array(1).fill('H'), ...Array(10).fill('N')],
      [...Array(3).fill('H'), ...Array(6).fill('N')],
      [...Array(2).fill('A'), ...Array(6).fill('H'), ...Array(2).fill('N')],
    ]).alpha, 12);
    expect(r.fleiss_kappa).toBeCloseTo(fleissKappa([[0, 0, 0, 1, 10, 0], [0, 0, 0, 3, 6, 0], [2, 0, 0, 6, 2, 0]], 6).kappa, 12);
    expect(r.majority_vs_intended.share).toBeCloseTo(2 / 3, 12);
    expect(Object.keys(r.per_actor)).toEqual(['1001', '1002']);
    expect(r.per_actor['1002'].majority_vs_intended.share).toBe(1);
    expect(r.per_class.neutral.majority_vs_intended).toMatchObject({ clips: 1, share: 1 });
    expect(formatAgreement(r)).toMatch(/Fleiss' kappa/);
    const face = agreementFor(undefined, { votes: file, condition: 'face' }) as Record<string, any>;
    expect(face.units).toBe(1);
    expect(face.krippendorff_alpha.nominal).toBeNaN(); // one value only: alpha is undefined
  });

  it('refuses a wrong condition, a condition without rows, and a project with --votes', () => {
    expect(() => agreementFor(undefined, { votes: file, condition: 'smell' })).toThrow(/--condition must be one of voice, face, audio-visual/);
    expect(() => agreementFor(undefined, { votes: file, condition: 'audio-visual' })).toThrow(/no rows for the audio-visual condition/);
    expect(() => agreementFor('x.eodn', { votes: file })).toThrow(/not both/);
    expect(() => agreementFor(undefined, {})).toThrow(/give a project file or --votes/);
  });

  it.skipIf(!existsSync(CREMA))('reads the whole CREMA-D table in well under 10 s; its majorities are the file\'s emoVote', () => {
    const t0 = performance.now();
    const r = agreementFor(undefined, { votes: CREMA, condition: 'voice' }) as Record<string, any>;
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.units).toBe(7442);
    expect(Object.keys(r.per_actor)).toHaveLength(91);
    // The study's own emoVote column names the majority (ties joined by ':'): ours must name the same.
    const records = parseCsv(readFileSync(CREMA, 'utf8'));
    const emoVote = new Map(records.slice(1).filter((x) => x.fields[0].startsWith('1')).map((x) => [x.fields[7], x.fields[10].split(':').sort().join(':')]));
    const table = cremaVoteTable(records, 'voice');
    const letters = ['A', 'D', 'F', 'H', 'N', 'S'];
    for (const u of table.units) expect(majority(u.counts).map((j) => letters[j]).join(':'), u.id).toBe(emoVote.get(u.id));
    expect(r.majority_vs_intended.ties).toBe([...emoVote.values()].filter((v) => v.includes(':')).length);
    expect(r.krippendorff_alpha.nominal).toBeGreaterThan(0.2);
    expect(r.krippendorff_alpha.nominal).toBeLessThan(0.4);
  });
});

describe('eodn agreement <project>', () => {
  const file = join(dir, 'p.eodn');
  const store = ProjectStore.create(file, { name: 'p' });
  store.ensureClasses(['anger', 'neutral', 'sadness'], 'import');
  store.insertClips(
    ['anger', 'neutral', 'sadness', 'anger', null].map((label, i) => ({
      path: `/d/c${i}.wav`, hash: `h${i}`, sizeBytes: 1, durationSec: 1, sampleRate: 16000, channels: 1, importLabel: label, speaker: i < 3 ? 's1' : 's2',
    })),
  );
  const a = (clipId: number, annotator: string, action: 'accept' | 'relabel' | 'reject' | 'undo', label: string | null = null) =>
    store.annotate(clipId, { annotator, action, label });
  // ann: anger, neutral, sadness, anger; bob: anger, sadness (his 'neutral' on clip 2 was undone), –, neutral;
  // cy: relabels clip 1 to neutral then back to anger (latest counts), rejects clip 3 (no vote), neutral on 5.
  a(1, 'ann', 'accept', 'anger');
  a(1, 'bob', 'accept', 'anger');
  a(1, 'cy', 'relabel', 'neutral');
  a(1, 'cy', 'relabel', 'anger');
  a(2, 'ann', 'accept', 'neutral');
  a(2, 'bob', 'relabel', 'sadness');
  a(2, 'bob', 'relabel', 'neutral');
  a(2, 'bob', 'undo');
  a(3, 'ann', 'accept', 'sadness');
  a(3, 'cy', 'reject', 'sadness');
  a(4, 'ann', 'accept', 'anger');
  a(4, 'bob', 'relabel', 'neutral');
  a(5, 'cy', 'relabel', 'neutral');
  store.close();

  it("takes each annotator's latest standing answer per clip", () => {
    const s = ProjectStore.open(file, { readonly: true });
    try {
      const v = annotatorVotes(s);
      expect(v.coders.coders).toEqual(['ann', 'bob', 'cy']);
      expect(v.table.categories).toEqual(['anger', 'neutral', 'sadness']);
      expect(v.coders.labels).toEqual([
        ['anger', 'anger', 'anger'],
        ['neutral', 'sadness', null],
        ['sadness', null, null],
        ['anger', 'neutral', null],
        [null, null, 'neutral'],
      ]);
      expect(v.table.units.map((u) => u.intended)).toEqual([0, 1, 2, 0, null]);
      expect(v.table.units.map((u) => u.group)).toEqual(['s1', 's1', 's1', 's2', 's2']);
    } finally {
      s.close();
    }
  });

  it('reports alpha, kappa, pairwise Cohen and confusion matrices from the project, opened read-only', () => {
    const r = agreementFor(file, {}) as Record<string, any>;
    const matrix = [['anger', 'anger', 'anger'], ['neutral', 'sadness', null], ['sadness', null, null], ['anger', 'neutral', null], [null, null, 'neutral']];
    expect(r.krippendorff_alpha.nominal).toBeCloseTo(alphaFromMatrix(matrix).alpha, 12);
    expect(r.pairable_units).toBe(3);
    const annBob = r.pairwise_cohen.find((p: any) => p.a === 'ann' && p.b === 'bob');
    expect(annBob.units).toBe(3);
    expect(annBob.kappa).toBeCloseTo(cohenKappa(['anger', 'neutral', 'anger'], ['anger', 'sadness', 'neutral']).kappa, 12);
    const conf = r.annotator_confusion.find((c: any) => c.a === 'ann' && c.b === 'bob');
    expect(conf.labels).toEqual(['anger', 'neutral', 'sadness']);
    expect(conf.matrix).toEqual([[1, 1, 0], [0, 0, 1], [0, 0, 0]]);
    // Majority vs import label: clip 1 anger ✓, 2 tie neutral:sadness, 3 sadness ✓, 4 tie anger:neutral.
    expect(r.majority_vs_intended).toMatchObject({ clips: 4, share: 0.5, share_ties_split: 0.75, ties: 2 });
    expect(Object.keys(r.per_actor)).toEqual(['s1', 's2']);
    expect(formatAgreement(r)).toMatch(/ann \/ bob/);
  });
});

describe('eodn merge, then eodn agreement (the commands, end to end)', () => {
  const bin = resolve(__dirname, '../../../bin/eodn.cjs');
  const eodn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  const make = (name: string, who: string, labels: string[]) => {
    const s = ProjectStore.create(join(dir, name), { name: who });
    s.ensureClasses(['anger', 'neutral'], 'import');
    s.insertClips(labels.map((_, i) => ({ path: `/${who}/c${i}.wav`, hash: `hh${i}`, sizeBytes: 1, durationSec: 1, sampleRate: 16000, channels: 1, importLabel: 'anger' })));
    labels.forEach((l, i) => s.annotate(i + 1, { annotator: who, action: 'relabel', label: l }));
    const f = s.file;
    s.close();
    return f;
  };

  it('merges two copies once, then reports their agreement as JSON on stdout', () => {
    const team = make('team.eodn', 'ann', ['anger', 'anger', 'neutral', 'neutral']);
    const bob = make('bob.eodn', 'bob', ['anger', 'neutral', 'neutral', 'neutral']);
    const m = eodn('merge', team, bob);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toContain(`${bob}: 4 decisions, 4 added, 0 already there`);
    expect(eodn('merge', team, bob).stdout).toContain('0 decisions added');
    const r = eodn('agreement', team, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.annotators).toEqual(['ann', 'bob']);
    // ann/bob agree on 3 of 4; marginals ann (2, 2), bob (1, 3): p_e = 0.5, κ = 0.5.
    expect(report.pairwise_cohen[0]).toMatchObject({ a: 'ann', b: 'bob', units: 4, kappa: 0.5, observed_agreement: 0.75 });
    expect(report.majority_vs_intended).toMatchObject({ clips: 4, share: 0.25, ties: 1 });
  });
});
