// Where an export lands: an output path that is a device, a FIFO or a folder is refused with a clear error and
// left as it was (the atomic rename would otherwise replace /dev/full or a pipe with the export), and the
// Hugging Face audiofolder export refuses a project whose clips lost their audio, naming them, and leaves
// nothing behind (no folder, no copied audio; an earlier export untouched).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupProject } from '../../../../src-main/store/backup';
import { StoreError } from '../../../../src-main/store/errors';
import { exportCsv, exportHfAudiofolder, exportJsonl, exportLabelStudio } from '../../../../src-main/store/export';
import { copyFileAtomic, writeFileAtomic } from '../../../../src-main/store/export/atomic';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { tempDir } from '../helpers';

const dir = tempDir('eodn-targets-');
const audioDir = join(dir, 'audio');
let store: ProjectStore;
const files: string[] = [];
const ids: number[] = [];

beforeAll(() => {
  mkdirSync(audioDir);
  for (let i = 0; i < 3; i++) {
    const bytes = Buffer.from(`RIFF fake clip ${i}`);
    const file = join(audioDir, `c${i}.wav`);
    writeFileSync(file, bytes);
    files.push(file);
  }
  store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'p' });
  const inserted = store.insertClips(
    files.map((file) => {
      const bytes = readFileSync(file);
      return { path: file, hash: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, durationSec: 1, sampleRate: 16000, channels: 1, speaker: 's', importLabel: 'anger' };
    }),
  );
  ids.push(...(inserted as number[]));
});
afterAll(() => store.close());

function fifo(name: string): string {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('it did not throw');
}

async function rejected(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('it did not throw');
}

describe('an output path that is not a regular file', () => {
  it('refuses a FIFO for every single-file export, and leaves the FIFO in place', async () => {
    const pipe = fifo('out.fifo');
    for (const [what, run] of [
      ['csv', () => exportCsv(store, pipe)],
      ['jsonl', () => exportJsonl(store, pipe)],
      ['label-studio', () => exportLabelStudio(store, pipe)],
      ['writeFileAtomic', () => writeFileAtomic(pipe, ['x'])],
      ['copyFileAtomic', () => copyFileAtomic(files[0], pipe)],
    ] as const) {
      const e = thrown(run);
      expect(e, what).toBeInstanceOf(StoreError);
      expect(e, what).toMatchObject({ code: 'invalid', message: `${pipe} is a FIFO, not a regular file: nothing was written. Give a file path for the output.` });
      expect(lstatSync(pipe).isFIFO(), what).toBe(true);
    }
    await expect(backupProject(store, pipe)).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('is a FIFO, not a regular file') });
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a folder, and a link to a FIFO, by what they are', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(thrown(() => exportCsv(store, folder))).toMatchObject({ code: 'invalid', message: expect.stringContaining(`${folder} is a folder, not a regular file`) });
    expect(statSync(folder).isDirectory()).toBe(true);
    const pipe = fifo('linked.fifo');
    const link = join(dir, 'link-to-fifo');
    execFileSync('ln', ['-s', pipe, link]);
    expect(thrown(() => exportJsonl(store, link))).toMatchObject({ code: 'invalid', message: expect.stringContaining('is a FIFO, not a regular file') });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('still writes over an existing regular file', () => {
    const out = join(dir, 'labels.csv');
    writeFileSync(out, 'old');
    expect(exportCsv(store, out)).toBe(3);
    expect(readFileSync(out, 'utf8')).toMatch(/^id,/);
  });

  it('refuses an audiofolder target that is a FIFO, not a folder', async () => {
    const pipe = fifo('hf.fifo');
    expect(await rejected(() => exportHfAudiofolder(store, pipe))).toMatchObject({ code: 'invalid', message: expect.stringContaining('is not a folder') });
    expect(lstatSync(pipe).isFIFO()).toBe(true);
  });
});

describe('the audiofolder export of a project with missing audio', () => {
  it('refuses, naming the clip, and leaves no folder; an earlier export stays as it was', async () => {
    const before = join(dir, 'hf-before');
    expect(await exportHfAudiofolder(store, before)).toEqual({ written: 3, cutSegments: 0 });
    const metadata = readFileSync(join(before, 'metadata.csv'));
    const audioBefore = readdirSync(join(before, 'audio')).sort();

    renameSync(files[1], `${files[1]}.moved`);
    try {
      const fresh = join(dir, 'hf-new', 'nested');
      const e = await rejected(() => exportHfAudiofolder(store, fresh));
      expect(e).toBeInstanceOf(StoreError);
      expect(e).toMatchObject({ code: 'not-found' });
      const message = (e as Error).message;
      expect(message).toContain(`the audio file of 1 clip is missing: clip ${ids[1]} (${files[1]})`);
      expect(message).toContain('Nothing was written');
      expect(message).toContain('eodn relink');
      expect(existsSync(join(dir, 'hf-new'))).toBe(false);

      // Copying nothing (file_name pointing at the originals) is refused the same way.
      expect(await rejected(() => exportHfAudiofolder(store, join(dir, 'hf-refs'), { copyAudio: false }))).toMatchObject({ code: 'not-found' });
      expect(existsSync(join(dir, 'hf-refs'))).toBe(false);

      // Into the earlier export's folder: nothing changes there.
      expect(await rejected(() => exportHfAudiofolder(store, before))).toMatchObject({ code: 'not-found' });
      expect(readFileSync(join(before, 'metadata.csv')).equals(metadata)).toBe(true);
      expect(readdirSync(join(before, 'audio')).sort()).toEqual(audioBefore);
    } finally {
      renameSync(`${files[1]}.moved`, files[1]);
    }
    expect(await exportHfAudiofolder(store, join(dir, 'hf-new', 'nested'))).toEqual({ written: 3, cutSegments: 0 });
  });
});
