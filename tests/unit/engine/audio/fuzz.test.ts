// Seeded random and mutated WAV bytes: decoding either succeeds with sane output or throws
// AudioDecodeError; never another error type, never a hang (the test timeout would catch one).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AudioDecodeError, decodeAudio, probeAudio } from '../../../../src-main/engine/audio/decode';
import { makeRng as rng } from '../../../../src-main/engine/odn/rng';
import { encodeWav, sine } from './wav-fixtures';

async function check(bytes: Uint8Array): Promise<'ok' | 'error'> {
  try {
    const out = await decodeAudio(bytes, 'fuzz.wav');
    expect(out.sampleRate).toBeGreaterThan(0);
    expect(out.channelData.length).toBeGreaterThan(0);
    return 'ok';
  } catch (e) {
    if (!(e instanceof AudioDecodeError)) throw new Error(`non-AudioDecodeError: ${(e as Error)?.stack ?? e}`);
    return 'error';
  } finally {
    try {
      probeAudio(bytes, 'fuzz.wav');
    } catch (e) {
      if (!(e instanceof AudioDecodeError)) throw new Error(`probe threw non-AudioDecodeError: ${(e as Error)?.stack ?? e}`);
    }
  }
}

describe('decode fuzz', () => {
  const bases = [
    encodeWav([sine(220, 8000, 0.05)], 8000, 'pcm16'),
    encodeWav([sine(220, 16000, 0.02), sine(330, 16000, 0.02)], 16000, 'pcm24', true),
    encodeWav([sine(220, 8000, 0.03)], 8000, 'float32'),
    readFileSync('resources/demo/clips/13a01Ac.wav').subarray(0, 4000),
  ];

  it('survives 300 mutated WAVs', async () => {
    const r = rng(1234);
    const counts = { ok: 0, error: 0 };
    for (let n = 0; n < 300; n++) {
      const b = Uint8Array.from(bases[n % bases.length]);
      const kind = n % 3;
      if (kind === 0) {
        // Flip bytes, concentrated in the header where the damage is most interesting.
        for (let k = 0, m = 1 + Math.floor(r() * 6); k < m; k++) b[Math.floor(r() * Math.min(b.length, 80))] = Math.floor(r() * 256);
      } else if (kind === 1) {
        for (let k = 0, m = 1 + Math.floor(r() * 20); k < m; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      }
      const cut = kind === 2 ? Math.floor(r() * b.length) : b.length;
      counts[await check(b.subarray(0, cut))]++;
    }
    // Both outcomes must occur, otherwise the mutations are not exercising anything.
    expect(counts.ok).toBeGreaterThan(10);
    expect(counts.error).toBeGreaterThan(10);
  });

  it('survives 200 random byte strings, half with a RIFF/WAVE prefix', async () => {
    const r = rng(99);
    for (let n = 0; n < 200; n++) {
      const b = Uint8Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256));
      if (n % 2 && b.length >= 12) b.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]);
      await check(b);
    }
  });
});
