import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AudioDecodeError, decodeAudio, decodeMono, probeAudio, sniffFormat } from '../../../../src-main/engine/audio/decode';
import { encodeWav, sine, type WavEncoding } from './wav-fixtures';

const TOL: Record<WavEncoding, number> = { pcm8: 1 / 100, pcm16: 1 / 30000, pcm24: 1e-6, pcm32: 1e-6, float32: 0, float64: 1e-7 };

describe('decodeAudio (WAV)', () => {
  for (const enc of Object.keys(TOL) as WavEncoding[]) {
    for (const extensible of [false, true]) {
      it(`decodes ${enc}${extensible ? ' (extensible)' : ''} exactly enough`, async () => {
        const x = sine(440, 16000, 0.25);
        const out = await decodeAudio(encodeWav([x], 16000, enc, extensible), `t-${enc}.wav`);
        expect(out.sampleRate).toBe(16000);
        expect(out.channelData).toHaveLength(1);
        expect(out.channelData[0]).toHaveLength(x.length);
        let err = 0;
        for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(out.channelData[0][i] - x[i]));
        expect(err).toBeLessThanOrEqual(TOL[enc] + 1e-9);
      });
    }
  }

  for (const rate of [8000, 11025, 16000, 22050, 44100, 48000, 96000]) {
    it(`keeps a rate of ${rate} Hz and reports it from the header`, async () => {
      const bytes = encodeWav([sine(300, rate, 0.1)], rate, 'pcm16');
      expect((await decodeAudio(bytes, 'r.wav')).sampleRate).toBe(rate);
      const p = probeAudio(bytes, 'r.wav');
      expect(p).toMatchObject({ format: 'wav', sampleRate: rate, channels: 1 });
      expect(p.durationSec).toBeCloseTo(Math.round(rate * 0.1) / rate, 9);
    });
  }

  it('downmixes 8 channels to their average', async () => {
    const chans = Array.from({ length: 8 }, (_, c) => new Float32Array(100).fill((c - 3.5) / 10));
    const bytes = encodeWav(chans, 48000, 'float32', true);
    expect(probeAudio(bytes, 'x.wav').channels).toBe(8);
    const mono = await decodeMono(bytes, 'x.wav');
    expect(mono.channels).toBe(8);
    expect(mono.samples.every((v) => Math.abs(v) < 1e-6)).toBe(true);
    const stereo = await decodeMono(encodeWav([new Float32Array(10).fill(0.5), new Float32Array(10).fill(0.1)], 8000, 'float32'), 's.wav');
    expect(stereo.samples[3]).toBeCloseTo(0.3, 6);
  });

  it('decodes a demo clip and probes it without decoding', async () => {
    const bytes = readFileSync('resources/demo/clips/13a01Ac.wav');
    const p = probeAudio(bytes, 'demo');
    expect(p).toEqual({ format: 'wav', sampleRate: 22050, channels: 1, durationSec: 2 });
    expect((await decodeMono(bytes, 'demo')).samples).toHaveLength(44100);
  });

  it('keeps silence as zeros and clipped float samples as they are; NaN becomes 0 in mono', async () => {
    const silent = await decodeMono(encodeWav([new Float32Array(800)], 8000, 'pcm16'), 'z.wav');
    expect(silent.samples.every((v) => v === 0)).toBe(true);
    const loud = Float32Array.from([1.5, -2, 1, -1, Number.NaN, Infinity]);
    const mono = await decodeMono(encodeWav([loud], 8000, 'float32'), 'c.wav');
    expect(Array.from(mono.samples)).toEqual([1.5, -2, 1, -1, 0, 0]);
    const clipped = await decodeMono(encodeWav([Float32Array.from([1, -1, 1, -1])], 8000, 'pcm16'), 'c16.wav');
    expect(Math.max(...clipped.samples)).toBe(1);
    expect(Math.min(...clipped.samples)).toBeGreaterThanOrEqual(-1);
  });
});

describe('bad input', () => {
  const fails = async (bytes: Uint8Array, pattern: RegExp) => {
    const err = await decodeAudio(bytes, 'bad.wav').catch((e) => e);
    expect(err).toBeInstanceOf(AudioDecodeError);
    expect(err.message).toMatch(/^bad\.wav: /);
    expect(err.message).toMatch(pattern);
  };
  it('zero bytes', () => fails(new Uint8Array(0), /empty/));
  it('truncated header', async () => {
    const full = encodeWav([sine(200, 8000, 0.1)], 8000);
    await fails(full.subarray(0, 30), /truncated|malformed/);
    await fails(full.subarray(0, 8), /truncated|malformed/);
    expect(() => probeAudio(full.subarray(0, 30), 'bad.wav')).toThrow(AudioDecodeError);
  });
  it('random bytes named .wav', () => fails(Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 251), /not an audio file/));
  it('header without any sample', () => fails(encodeWav([new Float32Array(0)], 8000), /no (complete )?audio/));
  it('implausible header fields', async () => {
    const b = encodeWav([sine(200, 8000, 0.1)], 8000);
    const dv = new DataView(b.buffer);
    dv.setUint16(22, 0, true); // channels
    await fails(b, /channel/);
  });
  it('compressed formats with a broken body fail with a message naming the format', async () => {
    const flac = new Uint8Array(64);
    flac.set([0x66, 0x4c, 0x61, 0x43]);
    expect(sniffFormat(flac)).toBe('flac');
    await fails(flac, /FLAC/);
    const ogg = new Uint8Array(64);
    ogg.set([0x4f, 0x67, 0x67, 0x53]);
    ogg.set([...'OpusHead'].map((c) => c.charCodeAt(0)), 28);
    expect(sniffFormat(ogg)).toBe('opus');
    await fails(ogg, /OPUS/);
    expect(sniffFormat(Uint8Array.from([0x49, 0x44, 0x33, 4]))).toBe('mp3');
  });
});
