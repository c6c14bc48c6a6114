import { describe, expect, it } from 'vitest';
import type { Pad } from '../../shared/domain';
import { EODN_TABLE1, RUSSELL_MEHRABIAN_151 } from '../../shared/pad-tables';
import { buildPadLayout, buildPadTraces, MAX_LABELLED_TERMS, resolveNearest } from '../../src-renderer/lib/pad-traces';
import { clusterCloud } from '../../src-renderer/lib/discover-view';

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

  it('names the point as told (a cluster mean is not "this clip")', () => {
    const traces = buildPadTraces({ table: [...EODN_TABLE1], knownClasses: known, point: f, pointName: 'Cluster 2 mean f' });
    const point = traces.at(-1)!;
    expect(point.name).toBe('Cluster 2 mean f (-1.20, 0.90, 0.30)');
    expect(point.hovertemplate).toContain('Cluster 2 mean f');
    expect(point.name).not.toContain('This clip');
    expect(buildPadTraces({ table: [], knownClasses: [], point: f }).at(-1)!.name).toContain('This clip f');
  });

  it("draws the highlighted part of the cloud apart, larger, and dims the rest", () => {
    const points = [
      { clipId: 1, pad: [-1, 1, 0] as Pad, cluster: 1 },
      { clipId: 2, pad: [-1.2, 0.8, 0.1] as Pad, cluster: 2 },
      { clipId: 3, pad: [-1.4, 0.6, 0.2] as Pad, cluster: 2 },
    ];
    const cloud = clusterCloud(points, new Map([[2, 'b.wav']]), 2);
    expect(cloud.map((c) => c.highlight ?? false)).toEqual([false, true, true]);
    const traces = buildPadTraces({ table: [], knownClasses: known, point: f, cloud, highlightName: 'Group 2' });
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known', 'cloud', 'highlight', 'point']);
    const [rest, lit] = [traces[2], traces[3]];
    expect(rest.name).toBe('Other unknowns (1)');
    expect(rest.x).toEqual([-1]);
    expect(lit.name).toBe('Group 2 (2)');
    expect(lit.x).toEqual([-1.2, -1.4]);
    expect(lit.text).toEqual(['group 2 · b.wav', 'group 2']);
    expect(lit.marker!.size as number).toBeGreaterThan(rest.marker!.size as number);
    expect(lit.marker!.opacity as number).toBeGreaterThan(rest.marker!.opacity as number);
    // No cluster selected: one cloud, as before.
    const plain = buildPadTraces({ table: [], knownClasses: known, cloud: clusterCloud(points) });
    expect(plain.filter((t) => t.meta === 'cloud' || t.meta === 'highlight').map((t) => t.name)).toEqual(['Unknowns (3)']);
  });

  it('puts the legend below the scene when asked (narrow containers), beside it otherwise', () => {
    const wide = buildPadLayout() as { legend: Record<string, unknown>; scene: { domain: { x: number[]; y: number[] } } };
    expect(wide.legend.orientation).toBeUndefined();
    expect(wide.scene.domain.x[1]).toBeLessThan(1);
    expect(wide.legend.x as number).toBeGreaterThan(wide.scene.domain.x[1]);
    const narrow = buildPadLayout(undefined, { legendBelow: true }) as typeof wide;
    expect(narrow.legend.orientation).toBe('h');
    expect(narrow.scene.domain.x).toEqual([0, 1]);
    // The legend hangs from the top of its band, which ends where the scene starts: no overlap.
    expect(narrow.legend.yanchor).toBe('top');
    expect(narrow.legend.y as number).toBeLessThanOrEqual(narrow.scene.domain.y[0]);
  });
});
