// Issue 19: files the folder walk leaves out (AAC .m4a, other formats, non-audio) are named in the report.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importDataset, resolveSource } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../helpers';

const dir = tempDir();
let n = 0;
let store: ProjectStore;
beforeEach(() => {
  store = ProjectStore.create(join(dir, `s${n++}.eodn`), { name: 'skipped' });
  return () => store.close();
});

describe('import: skipped files', () => {
  it('a folder of ten .m4a files imports nothing and names each one, saying AAC is not supported and what to do', async () => {
    const folder = join(dir, `m4a-${n}`);
    mkdirSync(folder);
    const names = Array.from({ length: 10 }, (_, i) => `take${i}.m4a`);
    for (const f of names) writeFileSync(join(folder, f), Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0'));
    const r = await importDataset(store, folder);
    expect(r).toMatchObject({ total: 0, added: 0, errors: [] });
    expect(r.skipped.map((s) => s.file)).toEqual(names.map((f) => join(folder, f)));
    for (const s of r.skipped) {
      expect(s.reason).toMatch(/AAC audio \(\.m4a\) is not supported/);
      expect(s.reason).toMatch(/convert it to WAV or FLAC.*ffmpeg/);
    }
  });

  it('names skipped files beside the imported ones in a per-class folder, with a reason per kind', async () => {
    const folder = join(dir, `mixed-${n}`);
    mkdirSync(join(folder, 'anger'), { recursive: true });
    copyFileSync(join(DEMO_CLIPS, demoClipNames()[0]), join(folder, 'anger', 'a.wav'));
    writeFileSync(join(folder, 'anger', 'b.aac'), 'x');
    writeFileSync(join(folder, 'anger', 'notes.txt'), 'x');
    writeFileSync(join(folder, 'anger', '.DS_Store'), 'x'); // hidden: not named
    const resolved = resolveSource(folder);
    expect(resolved.source.kind).toBe('folders');
    expect(resolved.entries).toHaveLength(1);
    const r = await importDataset(store, folder);
    expect(r.added).toBe(1);
    expect(r.skipped).toEqual([
      { file: join(folder, 'anger', 'b.aac'), reason: expect.stringMatching(/AAC audio \(\.aac\) is not supported/) },
      { file: join(folder, 'anger', 'notes.txt'), reason: 'not an audio file this studio reads (extension .txt)' },
    ]);
  });
});
