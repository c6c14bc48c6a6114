// The embedding cache's key for a manifest encoder: the model file's bytes (SHA-256) and the manifest fields
// that change a vector, not where the model lies nor how clips are batched.
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encoderCacheKey, modelFileHash } from '../../../../src-main/engine/embed/cache-key';
import { buildEncoderGraph } from '../../../fixtures/encoders/graphs';

describe('manifest encoder cache key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eodn-cache-key-'));
  const manifest = { id: 'k', model: 'a.onnx', sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state', pooling: 'mean' };
  const write = (name: string, m: object) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(m));
    return encoderCacheKey({ kind: 'manifest', manifestPath: p });
  };
  writeFileSync(join(dir, 'a.onnx'), buildEncoderGraph({ seed: 1 }));
  mkdirSync(join(dir, 'moved'));
  writeFileSync(join(dir, 'moved', 'copy.onnx'), buildEncoderGraph({ seed: 1 }));
  writeFileSync(join(dir, 'b.onnx'), buildEncoderGraph({ seed: 2 })); // same size, other weights

  it('follows the model bytes, not their path or the batching settings', () => {
    const base = write('m1.json', manifest);
    expect(base.encoderId).toBe('k');
    expect(write('m2.json', { ...manifest, model: 'moved/copy.onnx', maxBatch: 4, padding: 'zero-pad', convLayers: [[400, 320]] })).toEqual(base);
    expect(write('m3.json', { ...manifest, model: 'b.onnx' }).settingsHash).not.toBe(base.settingsHash);
    expect(write('m4.json', { ...manifest, pooling: 'mean+std' }).settingsHash).not.toBe(base.settingsHash);
    expect(write('m5.json', { ...manifest, inputScale: 32767 }).settingsHash).not.toBe(base.settingsHash);
    expect(write('m6.json', { ...manifest, inputScale: 1 })).toEqual(base); // the default, spelt out
  });

  it('hashes the whole file', () => {
    const p = join(dir, 'big.bin');
    const bytes = Buffer.alloc(9 << 20, 7); // more than two read chunks
    writeFileSync(p, bytes);
    expect(modelFileHash(p)).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Rewritten (one byte longer, so the remembered hash cannot match even on a coarse-mtime file system).
    const longer = Buffer.concat([bytes, Buffer.from([8])]);
    writeFileSync(p, longer);
    expect(modelFileHash(p)).toBe(createHash('sha256').update(longer).digest('hex'));
  });
});
