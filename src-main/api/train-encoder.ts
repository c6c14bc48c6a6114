// The encoder a studio training asks for (models.train's `encoder`): a bundled one by name, or a manifest
// encoder by the absolute path of its manifest.json. A manifest is checked before the job starts, by the same
// loader `eodn train --encoder` uses (engine/encoders/manifest.ts), in an embedding worker (jobs/encoder-check):
// a bad one is a bad-request naming what is wrong, and no job row, version or embedding is written.
import { ApiError, type TrainEncoder } from '../../shared/api';
import type { EncoderSpec } from '../engine/encoders/create';
import { checkEncoder, type EncoderCheck } from '../jobs/encoder-check';
import { requireAbsolute } from './projects';

export interface TrainEncoderChoice {
  spec: EncoderSpec;
  /** What loaded, for a manifest encoder (its id, dimension, provider and batching). */
  check?: EncoderCheck;
}

export async function trainEncoderSpec(encoder: TrainEncoder | undefined, opts: { workerPath?: string } = {}): Promise<TrainEncoderChoice | undefined> {
  if (encoder === undefined) return undefined;
  if (typeof encoder === 'string') return { spec: { kind: encoder } };
  const manifestPath = requireAbsolute(encoder.manifest.trim(), 'the encoder manifest');
  if (!/\.json$/i.test(manifestPath)) throw new ApiError('bad-request', `the encoder manifest must be a .json file (got ${JSON.stringify(manifestPath.slice(0, 200))})`);
  const spec: EncoderSpec = { kind: 'manifest', manifestPath };
  try {
    return { spec, check: await checkEncoder(spec, { workerPath: opts.workerPath }) };
  } catch (e) {
    throw new ApiError('bad-request', `encoder manifest refused: ${(e as Error).message}`);
  }
}
