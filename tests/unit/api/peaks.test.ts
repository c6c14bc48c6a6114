// Waveform peaks computed in main: min/max per bucket on a generated sine WAV, the resolution rules, the disk
// cache under the data folder (a second call reads it instead of decoding), and the clips.peaks method.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClipPeaks } from '../../../shared/api';
import { PeaksService } from '../../../src-main/api/peaks';
import { computePeaks, defaultPixelsPerSecond, MAX_PEAK_BUCKETS } from '../../../src-main/engine/display/peaks';
import { StudioService } from '../../../src-main/api/studio-service';
import { decodeAudio } from '../../../src-main/engine/audio/decode';
import { sha256 } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { encodeWav } from '../engine/audio/wav-fixtures';
import { tempDir } from '../store/helpers';

const RATE = 16000;
/** 3 s of a 0.5-amplitude 200 Hz sine, silent for its last second. */
function sineWav(dir: string): { file: string; hash: string } {
  const x = new Float32Array(RATE * 3);
  for (let i = 0; i < RATE * 2; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 200 * i) / RATE);
  const bytes = encodeWav([x], RATE, 'pcm16');
  const file = path.join(dir, 'sine.wav');
  fs.writeFileSync(file, bytes);
  return { file, hash: sha256(bytes) };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = tempDir('eodn-peaks-');
  dirs.push(d);
  return d;
};

describe('peaks of a long WAV, read a minute at a time', () => {
  it('equal the peaks of the whole decoded file (stereo, several pieces, a short last one)', async () => {
    const dir = fresh();
    const rate = 8000;
    const n = rate * 150 + 123;
    const left = new Float32Array(n).map((_, i) => 0.6 * Math.sin(i * 0.01) * Math.sin(i * 0.00007));
    const right = new Float32Array(n).map((_, i) => 0.4 * Math.cos(i * 0.013));
    const bytes = encodeWav([left, right], rate, 'pcm16');
    const file = path.join(dir, 'session.wav');
    fs.writeFileSync(file, bytes);
    const p = await new PeaksService(path.join(dir, 'data')).peaks({ file, hash: sha256(bytes), pixelsPerSecond: 37 });
    const whole = await decodeAudio(bytes, 'session.wav');
    const bucket = Math.round(rate / 37);
    expect(p).toMatchObject({ channels: 2, sampleRate: rate, pixelsPerSecond: rate / bucket });
    expect(p.durationSec).toBeCloseTo(n / rate, 9);
    expect(p.peaks).toEqual(computePeaks(whole.channelData, bucket));
  });
});

describe('computePeaks', () => {
  it('gives the min and max of each bucket over every channel, interleaved', () => {
    const a = Float32Array.from([0, 0.2, -0.1, 0.9, -0.8, 0.1, 0.3]);
    const b = Float32Array.from([0, -0.5, 0, 0, 0, 0, 0]);
    expect(computePeaks([a, b], 3)).toEqual([-0.5, 0.2, -0.8, 0.9, 0, 0.3]);
  });

  it('picks a fine resolution for short clips and a coarse one for hours', () => {
    expect(defaultPixelsPerSecond(2)).toBe(1000);
    expect(defaultPixelsPerSecond(3600)).toBe(20);
    expect(defaultPixelsPerSecond(3600) * 3600 * 2).toBeLessThan(MAX_PEAK_BUCKETS * 2);
  });
});

describe('PeaksService on a sine WAV', () => {
  it('finds the sine amplitude where it plays and silence after it', async () => {
    const dir = fresh();
    const { file, hash } = sineWav(dir);
    const service = new PeaksService(path.join(dir, 'data'));
    const p = await service.peaks({ file, hash, pixelsPerSecond: 100 });
    expect(p.durationSec).toBeCloseTo(3, 6);
    expect(p.sampleRate).toBe(RATE);
    expect(p.pixelsPerSecond).toBe(100);
    expect(p.peaks.length).toBe(2 * 300);
    // Every 10-ms bucket of the sine holds two full periods: its min and max are the amplitude (16-bit rounding).
    for (let b = 0; b < 200; b++) {
      expect(p.peaks[2 * b]).toBeCloseTo(-0.5, 3);
      expect(p.peaks[2 * b + 1]).toBeCloseTo(0.5, 3);
    }
    for (let b = 200; b < 300; b++) expect([p.peaks[2 * b], p.peaks[2 * b + 1]]).toEqual([0, 0]);
  });

  it('caches on disk by file hash: a second call (even from a new service) does not decode again', async () => {
    const dir = fresh();
    const { file, hash } = sineWav(dir);
    const dataDir = path.join(dir, 'data');
    const first = new PeaksService(dataDir);
    const a = await first.peaks({ file, hash });
    expect(first.stats).toEqual({ hits: 0, misses: 1 });
    const cached = fs.readdirSync(path.join(dataDir, 'peaks'));
    expect(cached).toEqual([path.basename(first.cacheFile(hash, 'auto'))]);
    expect(cached[0]).toContain(hash);

    const again = await first.peaks({ file, hash });
    expect(first.stats).toEqual({ hits: 1, misses: 1 });
    expect(again).toEqual(a);

    // The cache outlives the process: a new service on the same data folder hits it even with the audio gone.
    fs.rmSync(file);
    const second = new PeaksService(dataDir);
    expect(await second.peaks({ file, hash })).toEqual(a);
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
    // Another resolution is another entry, and needs the audio.
    await expect(second.peaks({ file, hash, pixelsPerSecond: 50 })).rejects.toThrow();
  });

  it('recomputes over a corrupt cache file', async () => {
    const dir = fresh();
    const { file, hash } = sineWav(dir);
    const service = new PeaksService(path.join(dir, 'data'));
    fs.mkdirSync(path.join(dir, 'data', 'peaks'), { recursive: true });
    fs.writeFileSync(service.cacheFile(hash, 100), '{"peaks": [0.1,');
    const p = await service.peaks({ file, hash, pixelsPerSecond: 100 });
    expect(p.peaks.length).toBe(600);
    expect(service.stats.misses).toBe(1);
  });
});

describe('clips.peaks', () => {
  it('serves a clip of the open project, and refuses unknown clips and bad resolutions', async () => {
    const dir = fresh();
    const { file, hash } = sineWav(dir);
    const projectFile = path.join(dir, 'p.eodn');
    const store = ProjectStore.create(projectFile, { name: 'peaks' });
    const [id] = store.insertClips([{ path: file, hash, sizeBytes: fs.statSync(file).size, durationSec: 3, sampleRate: RATE, channels: 1, speaker: null, importLabel: null }]);
    store.close();
    const service = new StudioService({ transport: 'browser', dataDir: path.join(dir, 'data'), version: 'test' });
    try {
      service.openProject(projectFile);
      const p = (await service.dispatch('clips.peaks', { id, pixelsPerSecond: 200 })) as ClipPeaks;
      expect(p.hash).toBe(hash);
      expect(p.peaks.length).toBe(2 * 600);
      expect(Math.max(...p.peaks)).toBeCloseTo(0.5, 3);
      await expect(service.dispatch('clips.peaks', { id: 999 })).rejects.toMatchObject({ code: 'not-found' });
      await expect(service.dispatch('clips.peaks', { id, pixelsPerSecond: 0 })).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      await service.shutdown();
    }
  });
});
