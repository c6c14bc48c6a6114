import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../../src-main/bench/recordings';
import { formatBench, resolveBenchData, runBench } from '../../../src-main/bench/run';
import { decodeAudio } from '../../../src-main/engine/audio/decode';
import { readFileSync } from 'node:fs';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../store/helpers';

describe('bench', () => {
  it('falls back to the demo clips when the data folder is absent, and says so', () => {
    const r = resolveBenchData('/nonexistent/emodb');
    expect(r.name).toBe('demo');
    expect(r.files).toHaveLength(80);
    expect(r.note).toMatch(/not found/);
  });

  it('writes a deterministic long recording of utterances and silences', async () => {
    const dir = tempDir('eodn-bench-');
    const clips = demoClipNames().map((f) => join(DEMO_CLIPS, f));
    const a = writeSyntheticRecording(clips, join(dir, 'a.wav'), 30);
    const b = writeSyntheticRecording(clips, join(dir, 'b.wav'), 30);
    expect(a.durationSec).toBeCloseTo(30, 3);
    expect(a.utterances).toBeGreaterThanOrEqual(8);
    expect(a.utterances).toBeLessThanOrEqual(13);
    expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
    const d = await decodeAudio(readFileSync(a.file), a.file);
    expect(d.sampleRate).toBe(22050);
    expect(d.channelData[0]).toHaveLength(30 * 22050);
  });

  it('runs end to end on a small folder and prints a table', async () => {
    const dir = tempDir('eodn-bench-');
    const data = join(dir, 'clips');
    mkdirSync(data);
    for (const f of demoClipNames().slice(0, 6)) copyFileSync(join(DEMO_CLIPS, f), join(data, f));
    const r = await runBench({ data, longSec: 20, storeClips: 500, log: () => {} });
    expect(r.dataset).toMatchObject({ name: 'folder', files: 6 });
    expect(r.stages.clips).toBe(6);
    expect(r.stages.msPerClip.total).toBeGreaterThan(0);
    expect(r.clips).toHaveLength(4);
    for (const row of r.clips) {
      expect(row).toMatchObject({ items: 6, failed: 0, provider: 'cpu' });
      expect(row.audioSec).toBeCloseTo(12, 3);
      expect(row.realtimeFactor).toBeGreaterThan(0);
      expect(row.peakRssMb).toBeGreaterThan(0);
    }
    // The VAD finds the utterances of the synthetic recording (each 2 s clip may hold pauses of its own).
    expect(r.long.segments).toBeGreaterThanOrEqual(r.long.utterances - 1);
    expect(r.long.embed.failed).toBe(0);
    expect(r.long.embed.items).toBe(r.long.segments);
    expect(r.store.clips).toBe(500);
    const text = formatBench(r);
    expect(text).toContain('where the time goes');
    expect(text).toContain('long recording');
    expect(text).toMatch(/store: 500-clip/);
  });
});
