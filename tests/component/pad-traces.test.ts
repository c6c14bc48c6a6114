import { describe, expect, it } from 'vitest';
import type { Pad } from '../../shared/domain';
import { EODN_TABLE1, RUSSELL_MEHRABIAN_151 } from '../../shared/pad-tables';
import { buildPadLayout, buildPadTraces, MAX_LABELLED_TERMS, resolveNearest } from '../../src-renderer/lib/pad-traces';

const known = [
  { name: 'anger', pad: [-1.98, 1.1, 0.6] as Pad },
  { name: 'happiness', pad: [2.77, 1.21, 1.42] as Pad },
  { name: 'sadness', pad: [-0.89, 0.17, -0.7] as Pad },
];
const f: Pad = [-1.2, 0.9, 0.3];
const d = (a: Pad, b: Pad) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const byName = (n: string) => EODN_TABLE1.find((t) => t.name === n)!.pad;

describe('buildPadTraces', () => {
  it('without a point: the table and the known classes only', () => {
    const traces = buildPadTraces({ table: [...EODN_TABLE1], knownClasses: known });
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known']);
    expect(traces[0].x).toHaveLength(EODN_TABLE1.length);
    expect(traces[0].mode).toBe('markers+text'); // 13 terms: labelled
    expect(traces[0].text).toContain('Disgusted');
    expect(traces[1].text).toEqual(['anger', 'happiness', 'sadness']);
    expect([traces[1].x[1], traces[1].y[1], traces[1].z[1]]).toEqual([2.77, 1.21, 1.42]);
  });

  it('draws one line per nearest word from f to that word, distance in the legend', () => {
    const words = ['Disgusted', 'Anger', 'Animosity'];
    const nearest = words.map((name) => ({ name, distance: d(f, byName(name)) }));
    const cloud = [{ pad: [-1, 1, 0] as Pad, label: 'clip 3' }, { pad: [-1.5, 0.2, 0.4] as Pad }];
    const traces = buildPadTraces({ table: [...EODN_TABLE1], knownClasses: known, point: f, nearest, cloud });
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known', 'cloud', 'nearest', 'nearest', 'nearest', 'point']);
    const lines = traces.filter((t) => t.meta === 'nearest');
    lines.forEach((line, i) => {
      const to = byName(words[i]);
      expect(line.x).toEqual([f[0], to[0]]);
      expect(line.y).toEqual([f[1], to[1]]);
      expect(line.z).toEqual([f[2], to[2]]);
      expect(line.name).toBe(`${i + 1}. ${words[i]} · d = ${nearest[i].distance.toFixed(2)}`);
      expect(line.text).toEqual(['', String(i + 1)]);
      expect(line.hovertemplate).toContain(nearest[i].distance.toFixed(2));
    });
    const cloudTrace = traces[2];
    expect(cloudTrace.name).toBe('Unknowns (2)');
    expect(cloudTrace.text).toEqual(['clip 3', 'unknown']);
    const point = traces[traces.length - 1];
    expect([point.x[0], point.y[0], point.z[0]]).toEqual(f);
    expect(point.name).toContain('-1.20, 0.90, 0.30');
  });

  it('with a 151-term table: unlabelled dots, and a duplicated name resolves to the vector at the given distance', () => {
    const table = [...EODN_TABLE1, ...RUSSELL_MEHRABIAN_151];
    expect(table.length).toBeGreaterThan(MAX_LABELLED_TERMS);
    const rmHappy = RUSSELL_MEHRABIAN_151.find((t) => t.name === 'Happy')!.pad;
    const nearest = [{ name: 'happy', distance: d(f, rmHappy) }, { name: 'no such word', distance: 1 }, { name: 'Sadness', distance: d(f, known[2].pad) }];
    const traces = buildPadTraces({ table, knownClasses: known, point: f, nearest });
    expect(traces[0].mode).toBe('markers');
    const lines = resolveNearest({ table, knownClasses: known, point: f, nearest });
    // The unknown word is left out; "Sadness" is not in the tables but is a known class.
    expect(lines.map((l) => l.name)).toEqual(['happy', 'Sadness']);
    expect(lines[0].to).toEqual(rmHappy);
    expect(lines[1].to).toEqual(known[2].pad);
    expect(traces.filter((t) => t.meta === 'nearest')).toHaveLength(2);
  });

  it('escapes HTML in user-given names', () => {
    const traces = buildPadTraces({ table: [], knownClasses: [{ name: '<b>x</b>', pad: [0, 0, 0] }] });
    expect(traces[1].text).toEqual(['&lt;b&gt;x&lt;/b&gt;']);
  });

  it('labels the axes Pleasure / Arousal / Dominance on -4..4', () => {
    const scene = buildPadLayout().scene as Record<string, { title: { text: string }; range: number[] }>;
    expect([scene.xaxis, scene.yaxis, scene.zaxis].map((a) => a.title.text)).toEqual(['Pleasure', 'Arousal', 'Dominance']);
    for (const a of [scene.xaxis, scene.yaxis, scene.zaxis]) expect(a.range).toEqual([-4, 4]);
  });
});
