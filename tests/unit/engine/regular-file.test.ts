// Only regular files are read (issue 11, "Hangs"): a FIFO, /dev/zero, a folder are refused at once, by the
// helper and by the engine's readers of user-given paths (audio segments, encoder manifests and their models).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wavLayout, readSegment } from '../../../src-main/engine/audio/segment';
import { encoderCacheKey } from '../../../src-main/engine/embed/cache-key';
import { loadManifestEncoder } from '../../../src-main/engine/encoders/manifest';
import { NotRegularFileError, openRegularFile, readRegularFile, readRegularFileSync, statRegularFile } from '../../../src-main/engine/regular-file';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../store/helpers';

const dir = tempDir('eodn-regular-');
const fifo = path.join(dir, 'pipe.wav');
execFileSync('mkfifo', [fifo]);
const clip = path.join(DEMO_CLIPS, demoClipNames()[0]);

// Before the fix a reader could be left blocked in open(2) on the FIFO: a writer that comes and goes releases it.
afterAll(() => {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // No reader waiting.
  }
});

describe('regular files only', () => {
  it('refuses a FIFO, a character device and a folder, naming what they are; reads a file', async () => {
    for (const [p, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a character device'],
      ['/dev/urandom', 'a character device'],
      [dir, 'a folder'],
    ]) {
      const want = { name: 'NotRegularFileError', code: 'ENOTREG', kind, message: `${p}: not a regular file (${kind})` };
      await expect(openRegularFile(p)).rejects.toMatchObject(want);
      await expect(readRegularFile(p)).rejects.toMatchObject(want);
      expect(() => readRegularFileSync(p)).toThrow(NotRegularFileError);
      expect(() => statRegularFile(p)).toThrow(NotRegularFileError);
    }
    const bytes = fs.readFileSync(clip);
    expect((await readRegularFile(clip)).equals(bytes)).toBe(true);
    expect(readRegularFileSync(clip).equals(bytes)).toBe(true);
  }, 5_000);

  it('refuses them as audio for a segment read and as an encoder manifest or model', async () => {
    await expect(wavLayout(fifo)).rejects.toThrow(NotRegularFileError);
    await expect(readSegment('/dev/zero', { startSec: 0, endSec: 1 })).rejects.toThrow(NotRegularFileError);
    const manifestFifo = path.join(dir, 'encoder.json');
    execFileSync('mkfifo', [manifestFifo]);
    try {
      expect(() => encoderCacheKey({ kind: 'manifest', manifestPath: manifestFifo })).toThrow(/not a regular file \(a FIFO\)/);
      await expect(loadManifestEncoder(manifestFifo)).rejects.toThrow(/encoder\.json: cannot read manifest .*not a regular file \(a FIFO\)/);
      const json = path.join(dir, 'model-fifo.json');
      fs.writeFileSync(json, JSON.stringify({ id: 'x', model: 'pipe.wav', sampleRate: 16000, input: 'in', inputLayout: 'batch-samples', output: 'out', pooling: 'mean' }));
      await expect(loadManifestEncoder(json)).rejects.toThrow(/cannot load model .*pipe\.wav \(.*not a regular file \(a FIFO\)\)/);
    } finally {
      try {
        fs.closeSync(fs.openSync(manifestFifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      } catch {
        // No reader waiting.
      }
    }
  }, 5_000);
});
