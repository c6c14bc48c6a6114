// Spectrograms computed in main for the clip view of long files: the energy of a generated tone lands in its
// bin, silence stays 0, columns follow time, a range is honoured, and the disk cache under the data folder
// answers a second request without decoding; clips.spectrogram serves a clip of the open project.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, type ClipSpectrogram } from '../../../shared/api';
import { SpectrogramService } from '../../../src-main/api/spectrogram';
import { computeSpectrogram, MAX_SPECTROGRAM_COLUMNS } from '../../../src-main/engine/display/spectrogram';
import { StudioService } from '../../../src-main/api/studio-service';
import { decodeMono } from '../../../src-main/engine/audio/decode';
import { sha256 } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { encodeWav } from '../engine/audio/wav-fixtures';
import { tempDir } from '../store/helpers';

const RATE = 16000;
/** 1 kHz (bin 32 of a 512-point FFT at 16 kHz) for 2 s, then 1 s of silence, then 3 kHz (bin 96) for 1 s. */
function toneWav(dir: string): { file: string; hash: string } {
  const x = new Float32Array(RATE * 4);
  for (let i = 0; i < RATE * 2; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  for (let i = RATE * 3; i < RATE * 4; i++) x[i] = 0.25 * Math.sin((2 * Math.PI * 3000 * i) / RATE);
  const bytes = encodeWav([x], RATE, 'pcm16');
  const file = path.join(dir, 'tones.wav');
  fs.writeFileSync(file, bytes);
  return { file, hash: sha256(bytes) };
}

const argmax = (col: number[]) => col.reduce((best, v, i) => (v > col[best] ? i : best), 0);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = tempDir('eodn-spectro-');
  dirs.push(d);
  return d;
};

describe('computeSpectrogram', () => {
  it('puts a tone in its bin, 8-bit scaled with the loudest cell at 255, and leaves digital silence at 0', async () => {
    const x = new Float32Array(RATE);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 2000 * i) / RATE);
    const { frames, maxDb } = await computeSpectrogram(x, RATE, { columns: 20 });
    expect(frames).toHaveLength(20);
    expect(frames[0]).toHaveLength(256);
    for (const col of frames.slice(1, -1)) {
      expect(argmax(col)).toBe(64); // 2000 Hz · 512 / 16000
      expect(col[64]).toBeGreaterThan(240);
      expect(col[10]).toBeLessThan(60); // far from the tone: near the 70-dB floor
      expect(col.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    }
    expect(Math.max(...frames.flat())).toBe(255);
    expect(maxDb).toBeGreaterThan(30);
    const silent = await computeSpectrogram(new Float32Array(RATE), RATE, { columns: 5 });
    expect(silent.frames.flat().every((v) => v === 0)).toBe(true);
  });

  it('follows the signal in time and covers only the requested range', async () => {
    const x = new Float32Array(RATE * 2);
    for (let i = RATE; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 500 * i) / RATE);
    const all = await computeSpectrogram(x, RATE, { columns: 10 });
    expect(all.frames.slice(0, 4).every((c) => c.every((v) => v === 0))).toBe(true); // first second is silence
    expect(all.frames.slice(6).every((c) => argmax(c) === 16)).toBe(true);
    const second = await computeSpectrogram(x, RATE, { start: RATE, end: 2 * RATE, columns: 8 });
    expect(second.frames.every((c) => argmax(c) === 16 && c[16] > 240)).toBe(true);
  });
});

describe('spectrogram of a long WAV, read a piece at a time', () => {
  it('equals the spectrogram of the whole decoded file, for the whole file and for a range', async () => {
    const dir = fresh();
    const rate = 8000;
    const n = rate * 150 + 77;
    const left = new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * (300 + (i % 40000) / 100) * i) / rate));
    const right = new Float32Array(n).map((_, i) => (i % 9000 < 4000 ? 0.3 * Math.sin(i * 0.9) : 0));
    const bytes = encodeWav([left, right], rate, 'pcm16');
    const file = path.join(dir, 'session.wav');
    fs.writeFileSync(file, bytes);
    const mono = await decodeMono(bytes, 'session.wav');
    const service = new SpectrogramService(path.join(dir, 'data'));
    const whole = await service.spectrogram({ file, hash: sha256(bytes), columns: 700 });
    expect(whole.frames).toEqual((await computeSpectrogram(mono.samples, rate, { columns: 700 })).frames);
    const range = await service.spectrogram({ file, hash: sha256(bytes), startSec: 55.5, endSec: 125, columns: 300 });
    expect(range.frames).toEqual((await computeSpectrogram(mono.samples, rate, { start: 55.5 * rate, end: 125 * rate, columns: 300 })).frames);
  });
});

describe('SpectrogramService', () => {
  it('computes a file once and reads the cache afterwards (also from a new instance), keyed by the settings', async () => {
    const dir = fresh();
    const { file, hash } = toneWav(dir);
    const data = path.join(dir, 'data');
    const service = new SpectrogramService(data);
    const s = await service.spectrogram({ file, hash, columns: 40 });
    expect(s).toMatchObject({ hash, sampleRate: RATE, startSec: 0, endSec: 4, durationSec: 4, fftSize: 512 });
    expect(s.frames).toHaveLength(40);
    expect(argmax(s.frames[5])).toBe(32); // 1 kHz
    expect(s.frames[25].every((v) => v === 0)).toBe(true); // 2.5 s: silence
    expect(argmax(s.frames[35])).toBe(96); // 3 kHz
    expect(service.stats).toEqual({ hits: 0, misses: 1 });
    expect(fs.existsSync(service.cacheFile(hash, { columns: 40 }))).toBe(true);

    const again = await service.spectrogram({ file, hash, columns: 40 });
    expect(again).toEqual(s);
    expect(service.stats).toEqual({ hits: 1, misses: 1 });
    // The cache answers even when the file is gone: it was not decoded again.
    fs.renameSync(file, `${file}.moved`);
    const other = new SpectrogramService(data);
    expect(await other.spectrogram({ file, hash, columns: 40 })).toEqual(s);
    expect(other.stats.hits).toBe(1);
    fs.renameSync(`${file}.moved`, file);

    // Other settings are another entry; the default is one column per 10 ms, bounded.
    const range = await service.spectrogram({ file, hash, startSec: 3, endSec: 4, columns: 10 });
    expect(range).toMatchObject({ startSec: 3, endSec: 4 });
    expect(range.frames.every((c) => argmax(c) === 96)).toBe(true);
    expect((await service.spectrogram({ file, hash })).frames).toHaveLength(400);
    expect(service.stats.misses).toBe(3);
  });

  it('dedupes concurrent requests and recomputes a torn cache file', async () => {
    const dir = fresh();
    const { file, hash } = toneWav(dir);
    const service = new SpectrogramService(path.join(dir, 'data'));
    const [a, b] = await Promise.all([service.spectrogram({ file, hash, columns: 8 }), service.spectrogram({ file, hash, columns: 8 })]);
    expect(a).toEqual(b);
    expect(service.stats.misses).toBe(1);
    fs.writeFileSync(service.cacheFile(hash, { columns: 8 }), '{"frames": [');
    expect(await service.spectrogram({ file, hash, columns: 8 })).toEqual(a);
    expect(service.stats.misses).toBe(2);
    expect(MAX_SPECTROGRAM_COLUMNS).toBe(4000);
  });
});

describe('clips.spectrogram', () => {
  it('serves a clip of the open project, and refuses unknown clips and too many columns', async () => {
    const dir = fresh();
    const { file, hash } = toneWav(dir);
    const projectFile = path.join(dir, 'p.eodn');
    const store = ProjectStore.create(projectFile, { name: 'spectro' });
    const [id] = store.insertClips([{ path: file, hash, sizeBytes: fs.statSync(file).size, durationSec: 4, sampleRate: RATE, channels: 1, speaker: null, importLabel: null }]);
    store.close();
    const service = new StudioService({ transport: 'browser', dataDir: path.join(dir, 'data'), version: 'test' });
    try {
      service.openProject(projectFile);
      const s = (await service.dispatch('clips.spectrogram', { id, startSec: 0, endSec: 2, columns: 16 })) as ClipSpectrogram;
      expect(s.hash).toBe(hash);
      expect(s.frames).toHaveLength(16);
      expect(s.frames.every((c) => argmax(c) === 32)).toBe(true);
      await expect(service.dispatch('clips.spectrogram', { id: 999 })).rejects.toMatchObject({ code: 'not-found' });
      await expect(service.dispatch('clips.spectrogram', { id, columns: 4001 })).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      await service.shutdown();
    }
  });

  it('answers an empty or reversed range with bad-request, not an internal error', async () => {
    const dir = fresh();
    const { file, hash } = toneWav(dir);
    const projectFile = path.join(dir, 'p.eodn');
    const store = ProjectStore.create(projectFile, { name: 'spectro' });
    const [id] = store.insertClips([{ path: file, hash, sizeBytes: fs.statSync(file).size, durationSec: 4, sampleRate: RATE, channels: 1, speaker: null, importLabel: null }]);
    store.close();
    const service = new StudioService({ transport: 'browser', dataDir: path.join(dir, 'data'), version: 'test' });
    try {
      service.openProject(projectFile);
      for (const range of [
        { startSec: 2, endSec: 1 },
        { startSec: 1.5, endSec: 1.5 },
        { startSec: 5, endSec: 6 },
        { startSec: 4 },
      ]) {
        const err = await service.dispatch('clips.spectrogram', { id, ...range }).catch((e: unknown) => e);
        expect(err, JSON.stringify(range)).toBeInstanceOf(ApiError);
        expect((err as ApiError).code, JSON.stringify(range)).toBe('bad-request');
        expect((err as ApiError).message).toMatch(/endSec|startSec/);
      }
      // What is left of a range that runs past the end is still served.
      const tail = (await service.dispatch('clips.spectrogram', { id, startSec: 3.5, endSec: 9, columns: 4 })) as ClipSpectrogram;
      expect(tail).toMatchObject({ startSec: 3.5, endSec: 4 });
      expect(tail.frames).toHaveLength(4);
    } finally {
      await service.shutdown();
    }
  });
});
