// Issue 19: AIFF and AIFF-C ('NONE', 'sowt', 'fl32') built by hand decode to the 16-bit source's samples.
import { describe, expect, it } from 'vitest';
import { decodeMono, probeAudio, sniffFormat } from '../../../../src-main/engine/audio/decode';

type Kind = { form: 'AIFF' | 'AIFC'; compression: string; bits: number };

function buildAiff(chans: Float64Array[], rate: number, k: Kind): Uint8Array {
  const nCh = chans.length;
  const frames = chans[0].length;
  const w = k.bits / 8;
  const dataBytes = frames * nCh * w;
  const commSize = k.form === 'AIFC' ? 18 + 4 + 2 : 18; // AIFC: compression type + empty pascal string (padded)
  const nameSize = 5; // an odd-sized chunk before SSND: RIFF-style padding to even
  const size = 12 + (8 + commSize) + (8 + nameSize + 1) + (8 + 8 + dataBytes);
  const u8 = new Uint8Array(size);
  const dv = new DataView(u8.buffer);
  const str = (o: number, s: string) => [...s].forEach((c, i) => (u8[o + i] = c.charCodeAt(0)));
  str(0, 'FORM');
  dv.setUint32(4, size - 8);
  str(8, k.form);
  let p = 12;
  str(p, 'COMM');
  dv.setUint32(p + 4, commSize);
  dv.setUint16(p + 8, nCh);
  dv.setUint32(p + 10, frames);
  dv.setUint16(p + 14, k.bits);
  // 80-bit extended sample rate: exponent, then the 64-bit mantissa with its leading 1 at the top.
  const e = Math.floor(Math.log2(rate));
  dv.setUint16(p + 16, 16383 + e);
  dv.setUint32(p + 18, rate * 2 ** (31 - e));
  dv.setUint32(p + 22, 0);
  if (k.form === 'AIFC') str(p + 26, k.compression);
  p += 8 + commSize;
  str(p, 'NAME');
  dv.setUint32(p + 4, nameSize);
  str(p + 8, 'voice');
  p += 8 + nameSize + 1;
  str(p, 'SSND');
  dv.setUint32(p + 4, 8 + dataBytes);
  p += 16;
  const little = k.compression === 'sowt';
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nCh; c++) {
      const x = chans[c][i];
      if (k.compression === 'fl32') dv.setFloat32(p, x);
      else if (k.bits === 16) dv.setInt16(p, Math.round(x * 32768), little);
      else if (k.bits === 24) {
        const v = Math.round(x * 8388608);
        const b = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
        u8.set(little ? b.reverse() : b, p);
      } else if (k.bits === 8) dv.setInt8(p, Math.round(x * 128));
      p += w;
    }
  }
  return u8;
}

const RATE = 16000;
const source = (freq: number) => Float64Array.from({ length: RATE }, (_, i) => Math.round(0.45 * Math.sin((2 * Math.PI * freq * i) / RATE) * 32767) / 32768);

describe('AIFF (issue 19)', () => {
  it.each<[string, Kind, number]>([
    ['AIFF 16-bit', { form: 'AIFF', compression: 'NONE', bits: 16 }, 1e-7],
    ['AIFF 24-bit', { form: 'AIFF', compression: 'NONE', bits: 24 }, 1e-7],
    ['AIFF 8-bit', { form: 'AIFF', compression: 'NONE', bits: 8 }, 0.004],
    ['AIFF-C NONE 16-bit', { form: 'AIFC', compression: 'NONE', bits: 16 }, 1e-7],
    ['AIFF-C sowt 16-bit', { form: 'AIFC', compression: 'sowt', bits: 16 }, 1e-7],
    ['AIFF-C sowt 24-bit', { form: 'AIFC', compression: 'sowt', bits: 24 }, 1e-7],
    ['AIFF-C fl32', { form: 'AIFC', compression: 'fl32', bits: 32 }, 1e-7],
  ])('%s decodes to the source samples', async (_name, kind, tol) => {
    const chans = [source(220), source(330)];
    const mono = chans[0].map((v, i) => (v + chans[1][i]) / 2);
    const bytes = buildAiff(chans, RATE, kind);
    expect(sniffFormat(bytes)).toBe('aiff');
    const probe = probeAudio(bytes, 'x.aiff');
    expect(probe).toMatchObject({ format: 'aiff', sampleRate: RATE, channels: 2, durationSec: 1 });
    const got = await decodeMono(bytes, 'x.aiff');
    expect(got.sampleRate).toBe(RATE);
    expect(got.samples.length).toBe(RATE);
    let worst = 0;
    for (let i = 0; i < mono.length; i++) worst = Math.max(worst, Math.abs(got.samples[i] - mono[i]));
    expect(worst).toBeLessThanOrEqual(tol);
  });

  it('refuses an AIFF-C compression it cannot decode, by name', async () => {
    const bytes = buildAiff([source(220)], RATE, { form: 'AIFC', compression: 'ima4', bits: 16 });
    await expect(decodeMono(bytes, 'x.aifc')).rejects.toThrow(/x\.aifc: unreadable AIFF: unsupported AIFF-C compression 'ima4'/);
  });
});
