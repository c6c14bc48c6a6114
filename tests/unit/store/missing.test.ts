// The project's audio folder disappears: opening the project flags the clips missing (nothing is deleted:
// rows, labels and history stay); `eodn relink` finds them again by content hash in the folder they moved to.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/api/studio-service';
import { relinkProject } from '../../../src-main/cli/commands/relink';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, REPO, tempDir } from './helpers';

describe('a vanished audio folder', () => {
  it('is flagged on open, keeps every clip, and relinks by hash', async () => {
    const dir = tempDir('eodn-missing-');
    const audio = join(dir, 'audio');
    for (const label of ['anger', 'sadness']) mkdirSync(join(audio, label), { recursive: true });
    const names = demoClipNames().slice(0, 6);
    names.forEach((n, i) => copyFileSync(join(DEMO_CLIPS, n), join(audio, i < 3 ? 'anger' : 'sadness', n)));
    const file = join(dir, 'p.eodn');
    const store = ProjectStore.create(file, { name: 'p' });
    const report = await importDataset(store, audio);
    expect(report.added).toBe(6);
    const label = store.classes()[0].name;
    store.annotate(1, { annotator: 'a', action: 'relabel', label });
    store.close();

    renameSync(audio, join(dir, 'moved'));
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    const info = service.openProject(file);
    expect(info.clipCount).toBe(6);
    const { rows } = (await service.dispatch('clips.list', { offset: 0, limit: 10 })) as { rows: { id: number; missing: boolean; currentLabel: string | null }[] };
    expect(rows.map((r) => r.missing)).toEqual([true, true, true, true, true, true]);
    expect(rows.find((r) => r.id === 1)?.currentLabel).toBe(label);
    expect(((await service.dispatch('annotations.history', { clipId: 1 })) as { annotations: unknown[] }).annotations).toHaveLength(1);
    service.close();

    // Two clips are found under the new folder, the rest stay missing (still in the project).
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    renameSync(join(dir, 'moved', 'anger', names[0]), join(partial, 'x.wav'));
    renameSync(join(dir, 'moved', 'sadness', names[4]), join(partial, 'y.wav'));
    const r = await relinkProject(file, partial);
    expect(r).toMatchObject({ missingBefore: 6, relinked: 2, stillMissing: 4 });
    const s = ProjectStore.open(file);
    const relinked = s.clipPaths().filter((c) => !c.missing).map((c) => c.path).sort();
    expect(relinked).toEqual([join(partial, 'x.wav'), join(partial, 'y.wav')]);
    expect(s.info().clipCount).toBe(6);
    s.close();

    // The command line: the rest of them, by hash, wherever they lie under the folder.
    const cli = spawnSync(process.execPath, [join(REPO, 'bin', 'eodn.cjs'), 'relink', file, join(dir, 'moved')], { encoding: 'utf8', timeout: 120_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/4 clips were missing; 4 relinked, 0 still missing/);
    const bad = spawnSync(process.execPath, [join(REPO, 'bin', 'eodn.cjs'), 'relink', file, join(dir, 'nowhere')], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/nowhere: no such folder/);
  });
});
