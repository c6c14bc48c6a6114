import { describe, expect, it } from 'vitest';
import { agreementReport, alphaFromCounts, cremaVoteTable, intervalDistance, majority, majorityVsIntended, type VoteTable } from '../../../../src-main/engine/agreement';

const HEADER = '"","A","D","F","H","N","S","fileName","numResponses","agreement","emoVote"';
// Rows of CREMA-D's tabulatedVotes.csv (CREMA-D, Cao et al. 2014; ODbL 1.0 / DbCL 1.0), cut after emoVote.
const ROWS = [
  '"100001",0,0,0,1,10,0,"1001_IEO_NEU_XX",11,0.909090909090909,"N"',
  '"100002",0,0,0,3,6,0,"1001_IEO_HAP_LO",9,0.666666666666667,"N"',
  '"100004",2,0,0,6,2,0,"1001_IEO_HAP_HI",10,0.6,"H"',
  '"100062",6,2,0,0,1,0,"1001_DFA_ANG_XX",9,0.666666666666667,"A"',
  '"200062",5,2,0,0,3,0,"1001_DFA_ANG_XX",10,0.5,"A"',
  '"300062",8,1,0,0,0,0,"1001_DFA_ANG_XX",9,0.888888888888889,"A"',
];
const records = (lines: string[]) => lines.map((l, i) => ({ line: i + 1, fields: l.split(',').map((f) => f.replace(/^"|"$/g, '')) }));

describe('vote tables', () => {
  it('reads one condition of tabulatedVotes.csv by the row id\'s first digit', () => {
    const voice = cremaVoteTable(records([HEADER, ...ROWS]), 'voice');
    expect(voice.categories).toEqual(['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness']);
    expect(voice.units.map((u) => u.id)).toEqual(['1001_IEO_NEU_XX', '1001_IEO_HAP_LO', '1001_IEO_HAP_HI', '1001_DFA_ANG_XX']);
    expect(voice.units[3]).toEqual({ id: '1001_DFA_ANG_XX', group: '1001', intended: 0, counts: [6, 2, 0, 0, 1, 0] });
    expect(cremaVoteTable(records([HEADER, ...ROWS]), 'face').units.map((u) => u.counts)).toEqual([[5, 2, 0, 0, 3, 0]]);
    expect(cremaVoteTable(records([HEADER, ...ROWS]), 'audio-visual').units.map((u) => u.counts)).toEqual([[8, 1, 0, 0, 0, 0]]);
  });

  it('refuses malformed rows with their line', () => {
    expect(() => cremaVoteTable(records([HEADER, '"100001",0,0,0,1,10,0,"1001_IEO_NEU_XX",12,1,"N"']), 'voice')).toThrow(/line 2: numResponses/);
    expect(() => cremaVoteTable(records([HEADER, '"100001",0,0,0,1,10,0,"1001_IEO_XYZ_XX",11,1,"N"']), 'voice')).toThrow(/line 2: file name/);
    expect(() => cremaVoteTable(records([HEADER, '"100001",0,0,0,1.5,10,0,"1001_IEO_NEU_XX",11,1,"N"']), 'voice')).toThrow(/not a non-negative integer/);
    expect(() => cremaVoteTable(records([HEADER, ROWS[0], ROWS[0]]), 'voice')).toThrow(/appears twice/);
    expect(() => cremaVoteTable(records(['"","A","fileName"']), 'voice')).toThrow(/no column "D"/);
    expect(() => cremaVoteTable(records([HEADER]), 'both' as never)).toThrow(/unknown condition/);
  });

  it('finds majorities with their ties', () => {
    expect(majority([0, 3, 1, 3])).toEqual([1, 3]);
    expect(majority([0, 0])).toEqual([]);
    expect(majority([5, 1])).toEqual([0]);
  });

  it('scores the majority against the intended category, ties strict and split', () => {
    const table: VoteTable = {
      categories: ['a', 'b', 'c'],
      units: [
        { id: '1', group: 'x', intended: 0, counts: [3, 1, 0] }, // hit
        { id: '2', group: 'x', intended: 0, counts: [2, 2, 0] }, // tie a:b, includes a → ½
        { id: '3', group: 'y', intended: 1, counts: [0, 1, 4] }, // miss
        { id: '4', group: 'y', intended: null, counts: [1, 1, 1] }, // no intended: not scored
        { id: '5', group: 'y', intended: 2, counts: [0, 0, 0] }, // no vote: not scored
      ],
    };
    const r = majorityVsIntended(table);
    expect(r.clips).toBe(3);
    expect(r.share).toBeCloseTo(1 / 3, 12);
    expect(r.shareTiesSplit).toBeCloseTo(1.5 / 3, 12);
    expect(r.ties).toBe(1);
    expect(r.perClass.a).toEqual({ clips: 2, share: 0.5, shareTiesSplit: 0.75, ties: 1 });
    expect(r.perClass.b.share).toBe(0);
    expect(r.perClass.c.clips).toBe(0);
    expect(r.confusion.matrix).toEqual([[1.5, 0.5, 0], [0, 0, 1], [0, 0, 0]]);
  });

  it('reports every statistic under the JSON keys, overall, per class and per actor', () => {
    const voice = cremaVoteTable(records([HEADER, ...ROWS]), 'voice');
    const r = agreementReport(voice) as Record<string, any>;
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['krippendorff_alpha', 'fleiss_kappa', 'per_class', 'majority_vs_intended', 'per_actor']));
    expect(typeof r.krippendorff_alpha.nominal).toBe('number');
    expect(r.krippendorff_alpha.interval_pad.categories_without_pad).toEqual([]);
    expect(r.majority_vs_intended.clips).toBe(4);
    // NEU→N hit, HAP_LO→N miss, HAP_HI→H hit, ANG→A hit.
    expect(r.majority_vs_intended.share).toBeCloseTo(0.75, 12);
    expect(r.majority_vs_intended.per_class.happiness.share).toBeCloseTo(0.5, 12);
    expect(r.per_class.anger.majority_vs_intended.clips).toBe(1);
    expect(Object.keys(r.per_actor)).toEqual(['1001']);
    expect(r.per_actor['1001'].fleiss_kappa).toBeCloseTo(r.fleiss_kappa, 12);
    expect(r.pairwise_cohen).toBeUndefined();
  });

  it("uses given PAD vectors for the interval alphas, Table 1's otherwise, and names categories without one", () => {
    const table: VoteTable = {
      categories: ['anger', 'disgust', 'zorp'],
      units: [
        { id: '1', group: null, intended: null, counts: [2, 1, 0] },
        { id: '2', group: null, intended: null, counts: [0, 2, 1] },
        { id: '3', group: null, intended: null, counts: [1, 0, 2] },
      ],
    };
    const t1 = (agreementReport(table) as Record<string, any>).krippendorff_alpha.interval_pad;
    expect(t1.categories_without_pad).toEqual(['zorp']);
    // Without zorp's votes, units are [2 anger, 1 disgust], [2 disgust], [1 anger] (not pairable).
    const pleasure = alphaFromCounts([[2, 1], [0, 2], [1, 0]], 2, intervalDistance([-1.98, -1.8])).alpha;
    expect(t1.pleasure).toBeCloseTo(pleasure, 12);
    const given = (agreementReport(table, { pads: [null, null, [0, 0, 0]] }) as Record<string, any>).krippendorff_alpha.interval_pad;
    expect(given.categories_without_pad).toEqual([]);
    expect(given.pleasure).toBeCloseTo(
      alphaFromCounts(table.units.map((u) => u.counts), 3, intervalDistance([-1.98, -1.8, 0])).alpha,
      12,
    );
  });

  it('adds pairwise kappa and confusion matrices when annotators are known', () => {
    const table: VoteTable = {
      categories: ['a', 'b'],
      units: [
        { id: '1', group: null, intended: 0, counts: [2, 0] },
        { id: '2', group: null, intended: 1, counts: [1, 1] },
        { id: '3', group: null, intended: 1, counts: [0, 2] },
      ],
    };
    const r = agreementReport(table, { coders: { coders: ['ann', 'bob'], labels: [['a', 'a'], ['a', 'b'], ['b', 'b']] } }) as Record<string, any>;
    expect(r.annotators).toEqual(['ann', 'bob']);
    expect(r.pairwise_cohen).toHaveLength(1);
    expect(r.pairwise_cohen[0]).toMatchObject({ a: 'ann', b: 'bob', units: 3 });
    expect(r.annotator_confusion[0].matrix).toEqual([[1, 1], [0, 1]]);
    expect(r.per_actor).toEqual({});
  });
});
