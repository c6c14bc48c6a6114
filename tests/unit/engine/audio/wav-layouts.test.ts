// Issue 19: WAVs as sox and ffmpeg write them — fact and extensible chunks, LIST chunks of odd size (RIFF pads
// them to even), so the data chunk starts at byte 58 or 114 — in every encoding, decoded whole and by segment
// to the samples of the 16-bit source within each encoding's quantisation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMono, probeAudio } from '../../../../src-main/engine/audio/decode';
import { readSegment } from '../../../../src-main/engine/audio/segment';

type Enc = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64' | 'alaw' | 'ulaw';
const TAG: Record<Enc, number> = { pcm8: 1, pcm16: 1, pcm24: 1, pcm32: 1, float32: 3, float64: 3, alaw: 6, ulaw: 7 };
const BITS: Record<Enc, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64, alaw: 8, ulaw: 8 };
/** Largest difference from the 16-bit source each encoding may show: half a quantisation step, and the decoder's
 * asymmetric integer scaling (negatives by 2^-(bits-1), positives by 1/(2^(bits-1) - 1)). */
const TOL: Record<Enc, number> = { pcm8: 0.008, pcm16: 4e-5, pcm24: 4e-5, pcm32: 4e-5, float32: 1e-6, float64: 1e-6, alaw: 0.017, ulaw: 0.017 };

// G.711 expansion written from the ITU formulas; encoding picks the nearest code (exact by construction).
const G711 = {
  alaw: Float64Array.from({ length: 256 }, (_, i) => {
    const a = i ^ 0x55;
    const seg = (a >> 4) & 7;
    let v = ((a & 0x0f) << 4) + 8;
    if (seg) v = (v + 256) << (seg - 1);
    return ((a & 0x80) ? v : -v) / 32768;
  }),
  ulaw: Float64Array.from({ length: 256 }, (_, i) => {
    const u = ~i & 0xff;
    const v = ((((u & 0x0f) << 3) + 132) << ((u >> 4) & 7)) - 132;
    return ((u & 0x80) ? -v : v) / 32768;
  }),
};
const nearestCode = (table: Float64Array, x: number) => {
  let best = 0;
  for (let c = 1; c < 256; c++) if (Math.abs(table[c] - x) < Math.abs(table[best] - x)) best = c;
  return best;
};

interface Layout {
  /** fmt chunk body size: 16 (plain), 18 (cbSize 0, as sox writes float) or 40 (extensible). */
  fmt: 16 | 18 | 40;
  fact: boolean;
  /** A LIST chunk of this (possibly odd) size before the data chunk, or 0 for none. */
  list: number;
}

/** A WAV of `x` (the 16-bit source's values) in `enc`, chunks as in `layout`; returns bytes and where data starts. */
function buildWav(chans: Float64Array[], rate: number, enc: Enc, layout: Layout): { bytes: Uint8Array; dataAt: number } {
  const nCh = chans.length;
  const frames = chans[0].length;
  const bits = BITS[enc];
  const block = (nCh * bits) / 8;
  const dataBytes = frames * block;
  const listPadded = layout.list ? 8 + layout.list + (layout.list & 1) : 0;
  const dataAt = 12 + 8 + layout.fmt + (layout.fact ? 12 : 0) + listPadded + 8;
  const u8 = new Uint8Array(dataAt + dataBytes + (dataBytes & 1));
  const dv = new DataView(u8.buffer);
  const str = (o: number, s: string) => [...s].forEach((c, i) => (u8[o + i] = c.charCodeAt(0)));
  str(0, 'RIFF');
  dv.setUint32(4, u8.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  dv.setUint32(16, layout.fmt, true);
  dv.setUint16(20, layout.fmt === 40 ? 0xfffe : TAG[enc], true);
  dv.setUint16(22, nCh, true);
  dv.setUint32(24, rate, true);
  dv.setUint32(28, rate * block, true);
  dv.setUint16(32, block, true);
  dv.setUint16(34, bits, true);
  if (layout.fmt >= 18) dv.setUint16(36, layout.fmt - 18, true);
  if (layout.fmt === 40) {
    dv.setUint16(38, bits, true);
    dv.setUint32(40, nCh === 1 ? 4 : 3, true);
    dv.setUint16(44, TAG[enc], true); // SubFormat GUID: the format tag, then the KSDATAFORMAT suffix
    u8.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  let p = 20 + layout.fmt;
  if (layout.fact) {
    str(p, 'fact');
    dv.setUint32(p + 4, 4, true);
    dv.setUint32(p + 8, frames, true);
    p += 12;
  }
  if (layout.list) {
    str(p, 'LIST');
    dv.setUint32(p + 4, layout.list, true);
    str(p + 8, 'INFOISFT');
    p += listPadded;
  }
  str(p, 'data');
  dv.setUint32(p + 4, dataBytes, true);
  p += 8;
  expect(p).toBe(dataAt);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nCh; c++) {
      const x = chans[c][i];
      switch (enc) {
        case 'pcm8': u8[p] = Math.round(x * 127) + 128; break;
        case 'pcm16': dv.setInt16(p, Math.round(x * 32767), true); break;
        case 'pcm24': { const v = Math.round(x * 8388607); u8[p] = v & 255; u8[p + 1] = (v >> 8) & 255; u8[p + 2] = (v >> 16) & 255; break; }
        case 'pcm32': dv.setInt32(p, Math.round(x * 2147483647), true); break;
        case 'float32': dv.setFloat32(p, x, true); break;
        case 'float64': dv.setFloat64(p, x, true); break;
        case 'alaw': case 'ulaw': u8[p] = nearestCode(G711[enc], x); break;
      }
      p += bits / 8;
    }
  }
  return { bytes: u8, dataAt };
}

const RATE = 16000;
/** The 16-bit source: a sine's int16 values, as floats. */
const source = (freq: number, seconds = 1.5) =>
  Float64Array.from({ length: Math.round(RATE * seconds) }, (_, i) => Math.round(0.45 * Math.sin((2 * Math.PI * freq * i) / RATE) * 32767) / 32767);

const dir = mkdtempSync(join(tmpdir(), 'eodn-wavlayouts-'));
const LAYOUTS: [string, Layout, number][] = [
  ['fmt 18 + fact (sox)', { fmt: 18, fact: true, list: 0 }, 58],
  ['extensible + fact + odd LIST (ffmpeg)', { fmt: 40, fact: true, list: 25 }, 114],
  ['plain fmt + odd LIST', { fmt: 16, fact: false, list: 33 }, 86],
];
const ENCODINGS: Enc[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64', 'alaw', 'ulaw'];

describe('WAV layouts (issue 19)', () => {
  for (const [name, layout, at] of LAYOUTS) {
    it.each(ENCODINGS)(`${name}, data at byte ${at}: %s decodes whole and by segment to the source`, async (enc) => {
      const chans = [source(220), source(330)];
      const mono = chans[0].map((v, i) => (v + chans[1][i]) / 2);
      const { bytes, dataAt } = buildWav(chans, RATE, enc, layout);
      expect(dataAt).toBe(at);
      const probe = probeAudio(bytes, 'x.wav');
      expect(probe).toMatchObject({ format: 'wav', sampleRate: RATE, channels: 2 });
      expect(probe.durationSec).toBeCloseTo(1.5, 6);

      const whole = await decodeMono(bytes, `${enc}.wav`);
      expect(whole.samples.length).toBe(mono.length);
      let worst = 0;
      for (let i = 0; i < mono.length; i++) worst = Math.max(worst, Math.abs(whole.samples[i] - mono[i]));
      expect(worst).toBeLessThanOrEqual(TOL[enc]);

      // The segment reader copies this header in front of the segment's bytes: the same samples.
      const path = join(dir, `${at}-${enc}.wav`);
      writeFileSync(path, bytes);
      const seg = await readSegment(path, { startSec: 0.3217, endSec: 1.1 });
      expect(seg.sliced).toBe(true);
      const first = Math.floor(0.3217 * RATE);
      expect(Array.from(seg.mono.samples)).toEqual(Array.from(whole.samples.subarray(first, Math.ceil(1.1 * RATE))));
    });
  }
});
