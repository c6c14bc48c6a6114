// eodn bench [--json FILE] [--data DIR] [--gpu]: see src-main/bench/run.ts for what is measured.
import type { CAC } from 'cac';
import { writeFileSync } from 'node:fs';
import { benchLoad, formatLoadBench } from '../../bench/load';
import { formatBench, runBench } from '../../bench/run';

export function registerBench(cli: CAC): void {
  cli
    .command('bench', 'Measure embedding speed (clips and a long recording), memory, and the store at 100,000 clips')
    .option('--json <file>', 'Also write the figures as JSON')
    .option('--data <dir>', 'Folder of clips to bench on (default: ../shared/data/emodb next to the app, else the demo clips)')
    .option('--gpu', 'Also run the encoder on a GPU (CUDA, then WebGPU) and compare')
    .option('--long-sec <s>', 'Length of the synthetic long recording in seconds (default 600)')
    .option('--store-clips <n>', 'Clips in the store bench (default 100000)')
    .option('--load', 'Only the load bench: a synthetic project of --store-clips clips (import, paging, 10,000 annotations, training; peak RSS)')
    .action(async (o: { json?: string; data?: string; gpu?: boolean; longSec?: string; storeClips?: string; load?: boolean }) => {
      if (o.load) {
        const report = await benchLoad({ clips: o.storeClips ? Number(o.storeClips) : undefined, log: (l) => console.error(l) });
        console.log(formatLoadBench(report));
        if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
        return;
      }
      const report = await runBench({
        data: o.data,
        gpu: o.gpu,
        longSec: o.longSec ? Number(o.longSec) : undefined,
        storeClips: o.storeClips ? Number(o.storeClips) : undefined,
      });
      console.log(formatBench(report));
      if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
    });
}
