// Long files are hashed in chunks and measured from their header; corrupt files are still reported.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioFacts, importDataset } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { tempDir } from '../helpers';

const dir = tempDir('eodn-import-long-');
let n = 0;
const stores: ProjectStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

/** A 16-bit PCM WAV whose header may claim another data size or bit depth than the bytes that follow. */
function wav(o: { rate: number; channels: number; frames: number; claimFrames?: number; bits?: number }): Buffer {
  const bits = o.bits ?? 16;
  const block = (o.channels * bits) / 8;
  const data = Buffer.alloc(o.frames * o.channels * 2);
  for (let i = 0; i < o.frames * o.channels; i++) data.writeInt16LE(Math.round(6000 * Math.sin(i / 7)), 2 * i);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(o.channels, 22);
  h.writeUInt32LE(o.rate, 24);
  h.writeUInt32LE(o.rate * block, 28);
  h.writeUInt16LE(block, 32);
  h.writeUInt16LE(bits, 34);
  h.write('data', 36);
  h.writeUInt32LE((o.claimFrames ?? o.frames) * block, 40);
  return Buffer.concat([h, data]);
}

describe('import of long and broken files', () => {
  it('hashes a multi-megabyte file in chunks and takes its duration from the header', async () => {
    const folder = join(dir, `long-${n++}`);
    mkdirSync(folder);
    // 70 s of 16 kHz stereo: 4.5 MB, several read chunks.
    const bytes = wav({ rate: 16000, channels: 2, frames: 16000 * 70 });
    writeFileSync(join(folder, 'long.wav'), bytes);
    // Header says 60 s more than the file holds (a recording cut short): the bytes present count.
    writeFileSync(join(folder, 'cut.wav'), wav({ rate: 22050, channels: 1, frames: 22050 * 3, claimFrames: 22050 * 63 }));
    const store = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'long' });
    stores.push(store);
    const r = await importDataset(store, folder);
    expect(r).toMatchObject({ added: 2, errors: [] });
    const [cut, long] = store.listClipRows({ offset: 0, limit: 5, sort: { by: 'name', dir: 'asc' } }).rows.map((row) => store.getClip(row.id));
    expect(long).toMatchObject({ durationSec: 70, sampleRate: 16000, channels: 2 });
    expect(store.db.prepare('SELECT size_bytes FROM clips WHERE id = ?').pluck().get(long.id)).toBe(bytes.length);
    expect(long.hash).toBe(createHash('sha256').update(readFileSync(join(folder, 'long.wav'))).digest('hex'));
    expect(cut).toMatchObject({ durationSec: 3, sampleRate: 22050, channels: 1 });
  });

  it('imports a 3-hour WAV without holding it in memory: duration from the header, hash of every byte', async () => {
    const folder = join(dir, `three-hours-${n++}`);
    mkdirSync(folder);
    // 3 h of 16 kHz 16-bit mono (345 MB, above the 256 MB kept whole): a real first minute, then a sparse rest.
    const frames = 3 * 3600 * 16000;
    const head = wav({ rate: 16000, channels: 1, frames: 16000 * 60, claimFrames: frames });
    head.writeUInt32LE(36 + frames * 2, 4);
    const path = join(folder, 'session.wav');
    writeFileSync(path, head);
    truncateSync(path, 44 + frames * 2);
    const store = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'three hours' });
    stores.push(store);
    const rss = process.memoryUsage().rss;
    const r = await importDataset(store, folder);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 2 ** 20);
    expect(r).toMatchObject({ added: 1, errors: [] });
    const clip = store.getClip(r.addedIds[0]);
    expect(clip).toMatchObject({ durationSec: 10_800, sampleRate: 16000, channels: 1 });
    expect(store.db.prepare('SELECT size_bytes FROM clips WHERE id = ?').pluck().get(clip.id)).toBe(44 + frames * 2);
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
    expect(clip.hash).toBe(h.digest('hex'));
  });

  it('still reports corrupt, truncated, unsupported and empty-data files as failed', async () => {
    const folder = join(dir, `broken-${n++}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'corrupt-take.wav'), Buffer.from('RIFF\u0010\u0000\u0000\u0000WAVEfmt this is not audio'));
    writeFileSync(join(folder, 'truncated.flac'), Buffer.from('fLaC'));
    writeFileSync(join(folder, 'twelve-bit.wav'), wav({ rate: 16000, channels: 1, frames: 0, claimFrames: 16000, bits: 12 }));
    writeFileSync(join(folder, 'no-data.wav'), wav({ rate: 16000, channels: 1, frames: 0 }));
    mkdirSync(join(folder, 'folder.wav'));
    writeFileSync(join(folder, 'good.wav'), wav({ rate: 16000, channels: 1, frames: 8000 }));
    const store = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'broken' });
    stores.push(store);
    const r = await importDataset(store, { kind: 'unlabelled', root: folder });
    expect(r.added).toBe(1);
    expect(Object.fromEntries(r.errors.map((e) => [e.file.split('/').pop(), e.reason]))).toEqual({
      'corrupt-take.wav': expect.stringMatching(/WAV/),
      'truncated.flac': expect.stringMatching(/FLAC/),
      'twelve-bit.wav': expect.stringMatching(/bit depth|WAV/),
      'no-data.wav': expect.any(String),
    });
    // walkAudio lists files only, so the folder named .wav is not an entry.
    expect(r.total).toBe(5);
  });

  it('audioFacts decodes in full only when the header cannot tell', async () => {
    const facts = await audioFacts(wav({ rate: 8000, channels: 1, frames: 8000 * 40 }), 'x.wav');
    expect(facts).toEqual({ durationSec: 40, sampleRate: 8000, channels: 1 });
    await expect(audioFacts(Buffer.alloc(0), 'empty.wav')).rejects.toThrow(/empty/);
  });
});
