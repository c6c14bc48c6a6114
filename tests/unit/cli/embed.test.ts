import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../../src-main/bench/recordings';
import { cacheProjectPath, parseEncoderOption, runEmbed } from '../../../src-main/cli/commands/embed';
import { DEMO_DIR, tempDir } from '../store/helpers';

describe('eodn embed', () => {
  it('embeds a manifest into the cache project; the second run computes nothing and writes the same rows', async () => {
    const dir = tempDir('eodn-embed-');
    const rows = readFileSync(join(DEMO_DIR, 'labels.csv'), 'utf8').trim().split('\n');
    // 12 demo clips (paths made absolute) and one file that does not exist.
    const manifest = join(dir, 'subset.csv');
    writeFileSync(manifest, [rows[0], ...rows.slice(1, 13).map((r) => join(DEMO_DIR, r)), join(dir, 'nope.wav') + ',anger,x'].join('\n') + '\n');
    const lines: string[] = [];
    const opts = { source: manifest, dataDir: join(dir, 'data'), workers: 2, progress: false, log: (l: string) => lines.push(l) };
    const first = await runEmbed({ ...opts, out: join(dir, 'a.jsonl') });
    expect(first.project).toBe(cacheProjectPath(join(dir, 'data')));
    expect(existsSync(first.project)).toBe(true);
    expect(first).toMatchObject({ rows: 12, dim: 567, imported: 12, computed: 12, cached: 0, provider: 'cpu' });
    expect(first.errors).toHaveLength(1);
    expect(first.errors[0].file).toContain('nope.wav');
    expect(lines.join('\n')).toMatch(/1 file\(s\) could not be embedded:\n {2}.*nope\.wav: file not found/);

    const second = await runEmbed({ ...opts, out: join(dir, 'b.jsonl') });
    expect(second).toMatchObject({ rows: 12, imported: 0, computed: 0, cached: 12, provider: null });
    const a = readFileSync(join(dir, 'a.jsonl'), 'utf8');
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    const parsed = a.trim().split('\n').map((l) => JSON.parse(l) as { path: string; speaker: string; label: string; vector: number[] });
    const [path, label, speaker] = rows[1].split(',');
    expect(parsed[0]).toMatchObject({ path: join(DEMO_DIR, path), start: null, end: null, label, speaker });
    expect(parsed[0].vector).toHaveLength(567);

    // CSV output from the same cache.
    const csv = await runEmbed({ ...opts, out: join(dir, 'c.csv') });
    expect(csv.computed).toBe(0);
    const csvLines = readFileSync(join(dir, 'c.csv'), 'utf8').trim().split('\n');
    expect(csvLines).toHaveLength(13);
    expect(csvLines[0].split(',').slice(0, 5)).toEqual(['path', 'start', 'end', 'speaker', 'label']);
    expect(csvLines[0].split(',')).toHaveLength(5 + 567);
    expect(csvLines[1].split(',').slice(5).map(Number)).toEqual(parsed[0].vector);
  });

  it('writes a row per utterance of a long recording, with its offsets', async () => {
    const dir = tempDir('eodn-embed-long-');
    const clips = readFileSync(join(DEMO_DIR, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => join(DEMO_DIR, r.split(',')[0]));
    mkdirSync(join(dir, 'in'));
    const rec = writeSyntheticRecording(clips, join(dir, 'in', 'session.wav'), 75);
    const r = await runEmbed({ source: join(dir, 'in'), out: join(dir, 'long.jsonl'), dataDir: join(dir, 'data'), workers: 2, progress: false, log: () => {}, encoder: 'speech-embedding-only' });
    const rows = readFileSync(join(dir, 'long.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { path: string; start: number; end: number; vector: number[] });
    expect(r.errors).toEqual([]);
    expect(rows.length).toBe(r.rows);
    expect(Math.abs(rows.length - rec.utterances)).toBeLessThanOrEqual(Math.max(2, rec.utterances * 0.2));
    for (const [i, row] of rows.entries()) {
      expect(row.path).toBe(join(dir, 'in', 'session.wav'));
      expect(row.end).toBeGreaterThan(row.start);
      if (i) expect(row.start).toBeGreaterThanOrEqual(rows[i - 1].end);
      expect(row.vector).toHaveLength(192);
    }
  });

  it('parses --encoder', () => {
    expect(parseEncoderOption(undefined)).toEqual({ kind: 'speech-embedding' });
    expect(parseEncoderOption('functionals')).toEqual({ kind: 'functionals' });
    expect(parseEncoderOption('my/enc.json')).toMatchObject({ kind: 'manifest' });
    expect(() => parseEncoderOption('wav2vec')).toThrow(/unknown encoder/);
  });
});
