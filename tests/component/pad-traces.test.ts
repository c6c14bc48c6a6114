import { describe, expect, it } from 'vitest';
import type { Pad } from '../../shared/domain';
import { EODN_TABLE1, RUSSELL_MEHRABIAN_151 } from '../../shared/pad-tables';
import { buildPadLayout, buildPadTraces, LABEL_MIN_SEPARATION, LEGEND_MARGIN, padRanges, placeLabels, resolveNearest } from '../../src-renderer/lib/pad-traces';
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
  it('without a point: the table (the terms in view, named on hover) and the known classes only', () => {
    const traces = buildPadTraces({ table: [...EODN_TABLE1], knownClasses: known });
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known']);
    const ranges = padRanges({ table: [...EODN_TABLE1], knownClasses: known });
    const inView = EODN_TABLE1.filter((t) => t.pad.every((v, i) => v >= ranges[i][0] && v <= ranges[i][1]));
    expect(inView.length).toBeLessThan(EODN_TABLE1.length);
    expect(traces[0].x).toHaveLength(inView.length);
    expect(traces[0].name).toBe(`PAD terms (${inView.length} of ${EODN_TABLE1.length})`);
    // Terms are never labelled on the scene (issue 18: their labels overlapped), only on hover.
    expect(traces[0].mode).toBe('markers');
    expect(traces[0].hovertemplate).toContain('%{text}');
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
      expect(line.name).toBe(`${i + 1}. ${words[i]}<br>d = ${nearest[i].distance.toFixed(2)}`);
      expect(line.text![0]).toBe('');
      expect([String(i + 1), `${i + 1} ${words[i]}`]).toContain(line.text![1]);
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
    expect(point.name).toBe('Cluster 2 mean f<br>(-1.20, 0.90, 0.30)');
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
    // Beside: in the right margin (the scene's domain ends at the plot area's edge, the legend starts after it).
    expect(wide.legend.x as number).toBeGreaterThan(wide.scene.domain.x[1]);
    const narrow = buildPadLayout(undefined, { legendBelow: true }) as typeof wide;
    expect(narrow.legend.orientation).toBe('h');
    expect(narrow.scene.domain.x).toEqual([0, 1]);
    // The legend hangs from the top of its band, which ends where the scene starts: no overlap.
    expect(narrow.legend.yanchor).toBe('top');
    expect(narrow.legend.y as number).toBeLessThanOrEqual(narrow.scene.domain.y[0]);
  });
});

describe('a readable PAD plot (issue 18, item 8)', () => {
  it('ranges each axis to the data shown, with a margin, not the whole -4..4 scale', () => {
    // A clip and its words in about -1..1, as the issue saw them.
    const point: Pad = [0.2, -0.3, 0.1];
    const near = [{ name: 'x', pad: [0.5, 0.4, 0.2] as Pad }, { name: 'y', pad: [-0.8, -0.6, -0.4] as Pad }];
    const classes = [{ name: 'calm', pad: [0.9, -0.9, 0.6] as Pad }, { name: 'sad', pad: [-0.9, 0.2, -0.7] as Pad }];
    const data = { table: near.map((n) => ({ ...n, source: 't' })), knownClasses: classes, point, nearest: near.map((n) => ({ name: n.name, distance: d(point, n.pad) })) };
    const ranges = padRanges(data);
    for (const [i, [lo, hi]] of ranges.entries()) {
      const vals = [point, ...near.map((n) => n.pad), ...classes.map((c) => c.pad)].map((p) => p[i]);
      expect(lo).toBeLessThan(Math.min(...vals));
      expect(hi).toBeGreaterThan(Math.max(...vals));
      expect(hi - lo).toBeLessThan(3);
    }
    const scene = buildPadLayout(undefined, { ranges }).scene as Record<string, { range: number[] }>;
    expect([scene.xaxis.range, scene.yaxis.range, scene.zaxis.range]).toEqual(ranges);
    // Nothing shown: the whole scale.
    expect(padRanges({ table: [], knownClasses: [] })).toEqual([[-4, 4], [-4, 4], [-4, 4]]);
  });

  it('keeps a label only where it does not sit on one already placed (the rest on hover)', () => {
    const ranges = padRanges({ table: [], knownClasses: [{ name: 'a', pad: [-1, -1, -1] }, { name: 'b', pad: [1, 1, 1] }] });
    const close = LABEL_MIN_SEPARATION / 2;
    const kept = placeLabels(
      [
        { key: 'first', pad: [0, 0, 0] },
        { key: 'on-top', pad: [close, 0, 0] },
        { key: 'far', pad: [1, 1, 1] },
      ],
      ranges,
    );
    expect([...kept]).toEqual(['first', 'far']);
    // Near f: left to the hover.
    expect([...placeLabels([{ key: 'by-f', pad: [0, 0, 0] }], ranges, [[0, 0, 0]])]).toEqual([]);
    // In a plot, two known classes at the same place: one is named, the other on hover.
    const traces = buildPadTraces({ table: [], knownClasses: [{ name: 'p', pad: [0, 0, 0] }, { name: 'q', pad: [0.01, 0, 0] }, { name: 'r', pad: [2, 2, 2] }] });
    expect(traces[1].text).toEqual(['p', '', 'r']);
    expect(traces[1].hovertext).toEqual(['p', 'q', 'r']);
  });

  it('puts the legend in a margin of its own, outside the scene', () => {
    const layout = buildPadLayout() as { legend: { x: number; xanchor: string }; margin: { r: number }; scene: { domain: { x: number[] } } };
    expect(layout.scene.domain.x).toEqual([0, 1]);
    expect(layout.legend.x).toBeGreaterThan(1);
    expect(layout.legend.xanchor).toBe('left');
    expect(layout.margin.r).toBe(LEGEND_MARGIN);
  });
});
