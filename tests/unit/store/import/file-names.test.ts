// A file whose name is not valid UTF-8 (Latin-1 names copied from an old archive) cannot be opened by the
// name Node reads for it: the import says exactly that instead of "file not found", and imports the rest.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../helpers';

describe('file names', () => {
  it('a name in another encoding is one clear per-file error', async () => {
    const dir = tempDir('eodn-names-');
    const folder = join(dir, 'anger');
    mkdirSync(folder);
    copyFileSync(join(DEMO_CLIPS, demoClipNames()[0]), join(folder, 'ok.wav'));
    // "Ärger.wav" in Latin-1: byte 0xC4 alone is not UTF-8.
    const latin1 = Buffer.concat([Buffer.from(folder + '/'), Buffer.from([0xc4]), Buffer.from('rger.wav')]);
    writeFileSync(latin1, readFileSync(join(folder, 'ok.wav')));
    const store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'names' });
    const report = await importDataset(store, dir);
    expect(report.added).toBe(1);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].reason).toBe('its file name is not valid UTF-8 (another encoding): rename the file and import again');
    store.close();
  });
});
