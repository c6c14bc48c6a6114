// eodn bench [--json FILE] [--data DIR] [--gpu] [--load] [--encoder MANIFEST]: see src-main/bench/run.ts, load.ts
// and encoder.ts for what is measured.
import type { CAC } from 'cac';
import { writeFileSync } from 'node:fs';
import { benchManifestEncoder, formatEncoderBench } from '../../bench/encoder';
import { benchLoad, formatLoadBench } from '../../bench/load';
import { formatBench, runBench } from '../../bench/run';

/** A non-negative number from a flag, or an error that names the flag. */
function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} wants a number ≥ 0 (got ${JSON.stringify(value)})`);
  return n;
}

export function registerBench(cli: CAC): void {
  cli
    .command('bench', 'Measure embedding speed (clips and a long recording), memory, and the store at 100,000 clips')
    .option('--json <file>', 'Also write the figures as JSON')
    .option('--data <dir>', 'Folder of clips to bench on (default: ../shared/data/emodb next to the app, else the demo clips)')
    .option('--gpu', 'Also run the encoder on a GPU (CUDA, then WebGPU) and compare; with --encoder: run it on the GPU')
    .option('--long-sec <s>', 'Length of the synthetic long recording in seconds (default 600)')
    .option('--store-clips <n>', 'Clips in the store bench and the load bench (default 100000)')
    .option('--load', 'Only the load bench: --store-clips synthetic clips (paging, 10,000 annotations, training) and --audio-hours of real audio (import, VAD, embedding), with peak RSS, event-loop delay and API latency per phase')
    .option('--audio-hours <h>', 'Load bench: hours of 16 kHz recordings to import, segment and embed (default 5; 0 skips)')
    .option('--encoder <manifest>', 'Only an encoder manifest (.json): batched against one clip per run, on --data, encoder alone and through the worker pool')
    .option('--clips <n>', 'With --encoder: clips used (default all of --data)')
    .option('--repeats <n>', 'With --encoder: timed passes per setting, the best kept (default 3)')
    .option('--encoder-only', 'With --encoder: skip the worker-pool step')
    .option('--threads <n>', 'With --encoder: threads of the encoder-only session (default: every core)')
    .action(async (o: { json?: string; data?: string; gpu?: boolean; longSec?: string; storeClips?: string; load?: boolean; audioHours?: string; encoder?: string; clips?: string; repeats?: string; encoderOnly?: boolean; threads?: string }) => {
      if (o.encoder) {
        if (!o.encoder.endsWith('.json')) throw new Error('--encoder wants an encoder manifest (.json)');
        const report = await benchManifestEncoder({ manifest: o.encoder, data: o.data, clips: num('clips', o.clips), repeats: num('repeats', o.repeats), encoderOnly: o.encoderOnly, threads: num('threads', o.threads), gpu: o.gpu, log: (l) => console.error(l) });
        console.log(formatEncoderBench(report));
        if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
        return;
      }
      if (o.load) {
        const report = await benchLoad({ clips: num('store-clips', o.storeClips), audioHours: num('audio-hours', o.audioHours), log: (l) => console.error(l) });
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
