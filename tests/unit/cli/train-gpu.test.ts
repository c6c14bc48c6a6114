// `eodn train --gpu`: the embeddings run first on the device asked for (the hybrid job, as the studio's
// "Embedding device"); on a machine without a usable GPU (this one: no CUDA libraries, no WebGPU adapter) they
// run on the CPU and the command says why, then the training finds them cached and completes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrain } from '../../../src-main/cli/commands/train';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

describe('eodn train --gpu', () => {
  it('embeds through the GPU job, says where it ran, and trains a version', async () => {
    const file = join(tempDir('eodn-train-gpu-'), 'demo.eodn');
    const store = ProjectStore.create(file, { name: 'demo' });
    await importDataset(store, DEMO_MANIFEST);
    store.close();
    const lines: string[] = [];
    const s = await runTrain({ project: file, known: 'anger,boredom,happiness,neutral,sadness', gpu: true, log: (l) => lines.push(l) });
    expect(s.versionId).toBe(1);
    const embedded = lines.find((l) => l.includes('embedded 80 clips'));
    expect(embedded).toBeDefined();
    // Either a GPU provider was used, or the line says it ran on the CPU and why.
    expect(embedded).toMatch(/GPU asked for, ran on CPU: .+|on (cuda|webgpu) at/);
    // The training then found every embedding cached by the GPU job.
    expect(lines).toContain('  embedding clips (80 cached)');
  }, 300_000);
});
