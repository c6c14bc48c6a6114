// A template project for the simulator whose answer is known by construction: clips with no audio whose
// embeddings are put straight into the project's cache (under the functionals encoder's key, so the pipeline
// reads them as cached and never embeds). Known classes sit on their own axes; each unknown class lies
// between two known ones (the model is torn between them, so it calls the clip unknown) and a little off
// their plane, so unknown classes stay apart from each other in the model's logits.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { encoderCacheKey } from '../../../src-main/engine/embed/cache-key';
import type { EncoderSpec } from '../../../src-main/engine/encoders/create';
import { makeGaussian, makeRng } from '../../../src-main/engine/odn/rng';
import type { Template } from '../../../src-main/evaluation/simulate/fold-project';
import { ProjectStore } from '../../../src-main/store/project-store';

export const SYNTH_ENCODER: EncoderSpec = { kind: 'functionals' };
export const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
export const UNKNOWN = ['disgust', 'fear'];

export function separableTemplate(dir: string, opts: { speakers?: number; perClass?: number; seed?: number } = {}): Template {
  const g = makeGaussian(makeRng(opts.seed ?? 3));
  const dim = 16;
  const axis = (k: number, scale: number) => Float64Array.from({ length: dim }, (_, j) => (j === k ? scale : 0));
  const add = (...vs: Float64Array[]) => Float64Array.from({ length: dim }, (_, j) => vs.reduce((s, v) => s + v[j], 0));
  const centres: Record<string, Float64Array> = {};
  KNOWN.forEach((k, i) => (centres[k] = axis(i, 6)));
  centres.disgust = add(axis(0, 3), axis(1, 3), axis(10, 3));
  centres.fear = add(axis(2, 3), axis(3, 3), axis(11, 3));
  const file = join(dir, 'template.eodn');
  const store = ProjectStore.create(file, { name: 'separable' });
  const key = encoderCacheKey(SYNTH_ENCODER);
  const clips: Template['clips'] = [];
  try {
    const labels = [...KNOWN, ...UNKNOWN];
    for (let s = 0; s < (opts.speakers ?? 3); s++) {
      const speaker = `s${s}`;
      const offset = Float64Array.from({ length: dim }, () => g());
      for (const label of labels) {
        for (let i = 0; i < (opts.perClass ?? 8); i++) {
          const name = `${speaker}-${label}-${i}.wav`;
          const hash = createHash('sha256').update(name).digest('hex');
          const [id] = store.insertClips([{ path: `/synthetic/${name}`, hash, sizeBytes: 1000, durationSec: 1, sampleRate: 16000, channels: 1, speaker }]);
          const v = Float32Array.from(centres[label], (m, j) => m + offset[j] + 0.4 * g());
          store.putEmbeddings([{ key: { clipHash: hash, segment: '', ...key }, vector: v }]);
          clips.push({ id: id!, path: `/synthetic/${name}`, label, speaker, name });
        }
      }
    }
  } finally {
    store.close();
  }
  return { file, clips, embedSeconds: 0, cached: clips.length };
}
