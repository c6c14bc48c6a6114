// The device the studio's embedding jobs ask for ("Embedding device": the Train dialog and the status bar),
// chosen per data folder like the annotator's name (annotator-name.ts) and kept beside it. 'cpu' until one is
// chosen; 'gpu' routes a training's or fine-tune's embedding to the hybrid GPU job (jobs/embed-hybrid.ts), which
// tries CUDA, then WebGPU, and runs on the CPU with the reason when neither loads.
import fs from 'node:fs';
import path from 'node:path';
import { EMBEDDING_DEVICES, type EmbeddingDevice } from '../../shared/api';

const DEVICE_FILE = 'embedding-device.json';

/** The device chosen in this data folder; 'cpu' when none was (no file, an unreadable one, an unknown value). */
export function readEmbeddingDevice(dataDir: string): EmbeddingDevice {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, DEVICE_FILE), 'utf8')) as unknown;
    const device = (raw as { device?: unknown } | null)?.device;
    return (EMBEDDING_DEVICES as readonly unknown[]).includes(device) ? (device as EmbeddingDevice) : 'cpu';
  } catch {
    return 'cpu';
  }
}

/** Remembers the device (written whole, then renamed into place; readable by this user only). */
export function writeEmbeddingDevice(dataDir: string, device: EmbeddingDevice): void {
  if (!(EMBEDDING_DEVICES as readonly string[]).includes(device)) throw new Error(`unknown embedding device ${JSON.stringify(device)}`);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DEVICE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ device }, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
