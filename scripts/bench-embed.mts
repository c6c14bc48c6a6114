// Manual throughput measurement: node --import tsx scripts/bench-embed.mts [dir-of-wavs] [--gpu] [--threads N] [--batch N]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchEmbedding } from '../src-main/bench/embedding';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'resources/demo/clips';
const num = (flag: string) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined);
const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort().map((f) => join(dir, f));
const kind = (args.find((a) => a.startsWith('--encoder=')) ?? '--encoder=speech-embedding').slice(10) as 'speech-embedding';
const r = await benchEmbedding(files, { device: args.includes('--gpu') ? 'gpu' : 'cpu', threads: num('--threads'), batchSize: num('--batch'), encoder: { kind } });
console.log(JSON.stringify({ dir, ...r }, null, 2));
