// A disk that fills (ENOSPC) or fails (EIO) during an export: the exporter throws StoreError('io') with a clear
// message, the temporary file is gone, and a file already at the target keeps its old bytes. The failure is
// injected into node:fs's writeSync after a number of bytes, underneath the real exporters.
import * as realFs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** When set, writeSync fails with this errno code once this many bytes have been written in total. */
const fault = vi.hoisted(() => ({ code: null as string | null, afterBytes: 0, written: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, buf: Uint8Array, off?: number, len?: number) => {
    const n = len ?? buf.byteLength - (off ?? 0);
    if (fault.code && fault.written + n > fault.afterBytes) {
      const ok = Math.max(0, fault.afterBytes - fault.written);
      if (ok > 0) return (fault.written += fs.writeSync(fd, buf, off, ok)), ok;
      throw Object.assign(new Error(`${fault.code}: injected, write`), { code: fault.code });
    }
    const w = fs.writeSync(fd, buf, off, len);
    fault.written += w;
    return w;
  };
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { StoreError } = await import('../../../../src-main/store/errors');
const { exportCsv, exportJsonl, exportHfAudiofolder } = await import('../../../../src-main/store/export');
const { copyFileAtomic, writeFileAtomic } = await import('../../../../src-main/store/export/atomic');
const { importDataset } = await import('../../../../src-main/store/import');
const { ProjectStore } = await import('../../../../src-main/store/project-store');
const { DEMO_MANIFEST, tempDir } = await import('../helpers');

const dir = tempDir('eodn-atomic-');
let store: import('../../../../src-main/store/project-store').ProjectStore;
beforeAll(async () => {
  store = ProjectStore.create(join(dir, 'x.eodn'), { name: 'x' });
  await importDataset(store, DEMO_MANIFEST);
});
afterAll(() => store.close());

const leftovers = (folder: string) => realFs.readdirSync(folder).filter((f) => f.endsWith('.tmp'));

function failing<T>(code: string, afterBytes: number, fn: () => T): unknown {
  Object.assign(fault, { code, afterBytes, written: 0 });
  try {
    fn();
    return null;
  } catch (e) {
    return e;
  } finally {
    fault.code = null;
  }
}

async function failingAsync<T>(code: string, afterBytes: number, fn: () => Promise<T>): Promise<unknown> {
  Object.assign(fault, { code, afterBytes, written: 0 });
  try {
    await fn();
    return null;
  } catch (e) {
    return e;
  } finally {
    fault.code = null;
  }
}

describe('exports on a failing disk', () => {
  it('ENOSPC mid-way through a CSV export: clear error, no partial file, the old export intact', () => {
    const out = join(dir, 'labels.csv');
    expect(exportCsv(store, out)).toBe(80);
    const before = realFs.readFileSync(out);
    store.annotate(1, { annotator: 'a', action: 'relabel', label: 'fear' });
    const e = failing('ENOSPC', 2000, () => exportCsv(store, out));
    expect(e).toBeInstanceOf(StoreError);
    expect(e).toMatchObject({ code: 'io', message: expect.stringMatching(/could not write .*labels\.csv: the disk is full \(ENOSPC\)\. Nothing was written/) });
    expect(realFs.readFileSync(out).equals(before)).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it('EIO on a new JSONL target: no file at all', () => {
    const out = join(dir, 'new.jsonl');
    const e = failing('EIO', 0, () => exportJsonl(store, out));
    expect(e).toMatchObject({ code: 'io', message: expect.stringMatching(/input\/output error.*\(EIO\)/) });
    expect(realFs.existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a copy that fails half-way (the audiofolder export copies audio this way) leaves no file', () => {
    const folder = join(dir, 'hf', 'audio');
    realFs.mkdirSync(folder, { recursive: true });
    const src = join(dir, 'src.bin');
    realFs.writeFileSync(src, Buffer.alloc(1000));
    let e: unknown = null;
    try {
      copyFileAtomic(src, join(folder, 'a.wav'), (s, d) => {
        realFs.writeFileSync(d, realFs.readFileSync(s).subarray(0, 10));
        throw Object.assign(new Error('ENOSPC: injected, copyfile'), { code: 'ENOSPC' });
      });
    } catch (err) {
      e = err;
    }
    expect(e).toMatchObject({ code: 'io', message: expect.stringMatching(/a\.wav: the disk is full/) });
    expect(realFs.readdirSync(folder)).toEqual([]);
  });

  it('the audiofolder export writes its metadata atomically too, and removes the audio and folder it made', async () => {
    const folder = join(dir, 'hf2');
    const e = await failingAsync('ENOSPC', 100, () => exportHfAudiofolder(store, folder));
    expect(e).toMatchObject({ code: 'io' });
    expect(realFs.existsSync(folder)).toBe(false);
    // Into an earlier export's folder: its metadata and audio stay, nothing is added.
    expect(await exportHfAudiofolder(store, folder)).toEqual({ written: 80, cutSegments: 0 });
    const metadata = realFs.readFileSync(join(folder, 'metadata.csv'));
    const audio = realFs.readdirSync(join(folder, 'audio'));
    realFs.rmSync(join(folder, 'audio', audio[0]));
    expect(await failingAsync('ENOSPC', 100, () => exportHfAudiofolder(store, folder))).toMatchObject({ code: 'io' });
    expect(realFs.readFileSync(join(folder, 'metadata.csv')).equals(metadata)).toBe(true);
    expect(realFs.readdirSync(join(folder, 'audio')).sort()).toEqual(audio.slice(1).sort());
    expect(leftovers(folder)).toEqual([]);
  });

  it('other errors pass unchanged, and the io hook of writeFileAtomic sees every byte', () => {
    const out = join(dir, 'plain.txt');
    let seen = 0;
    writeFileAtomic(out, ['abc', new Uint8Array([1, 2])], { write: (fd, b, o, l) => ((seen += l), realFs.writeSync(fd, b, o, l)), fsync: realFs.fsyncSync });
    expect(seen).toBe(5);
    expect(() => writeFileAtomic(out, ['x'], { write: () => { throw new TypeError('boom'); }, fsync: realFs.fsyncSync })).toThrow(TypeError);
    expect(realFs.readFileSync(out).length).toBe(5);
    expect(leftovers(dir)).toEqual([]);
  });
});
