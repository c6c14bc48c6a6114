// Builds WAV files in memory for tests: PCM 8/16/24/32-bit, float 32/64, optionally EXTENSIBLE.

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

const BITS: Record<WavEncoding, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

export function encodeWav(channels: Float32Array[], sampleRate: number, encoding: WavEncoding = 'pcm16', extensible = false): Uint8Array {
  const bits = BITS[encoding];
  const nCh = channels.length;
  const frames = channels[0].length;
  const block = (nCh * bits) / 8;
  const fmtSize = extensible ? 40 : 16;
  const dataBytes = frames * block;
  const buf = new ArrayBuffer(12 + 8 + fmtSize + 8 + dataBytes);
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  const str = (o: number, s: string) => [...s].forEach((c, i) => (u8[o + i] = c.charCodeAt(0)));
  const isFloat = encoding.startsWith('float');
  str(0, 'RIFF');
  dv.setUint32(4, buf.byteLength - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  dv.setUint32(16, fmtSize, true);
  dv.setUint16(20, extensible ? 0xfffe : isFloat ? 3 : 1, true);
  dv.setUint16(22, nCh, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * block, true);
  dv.setUint16(32, block, true);
  dv.setUint16(34, bits, true);
  if (extensible) {
    dv.setUint16(36, 22, true);
    dv.setUint16(38, bits, true);
    dv.setUint32(40, 0, true);
    // SubFormat GUID: first two bytes are the real format tag, then the fixed KSDATAFORMAT suffix.
    dv.setUint16(44, isFloat ? 3 : 1, true);
    u8.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  const d = 12 + 8 + fmtSize;
  str(d, 'data');
  dv.setUint32(d + 4, dataBytes, true);
  let p = d + 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nCh; c++) {
      const x = Math.max(-1, Math.min(1, channels[c][i]));
      switch (encoding) {
        case 'pcm8': dv.setUint8(p, Math.round(x * 127) + 128); break;
        case 'pcm16': dv.setInt16(p, Math.round(x * 32767), true); break;
        case 'pcm24': { const v = Math.round(x * 8388607); u8[p] = v & 255; u8[p + 1] = (v >> 8) & 255; u8[p + 2] = (v >> 16) & 255; break; }
        case 'pcm32': dv.setInt32(p, Math.round(x * 2147483647), true); break;
        case 'float32': dv.setFloat32(p, channels[c][i], true); break;
        case 'float64': dv.setFloat64(p, channels[c][i], true); break;
      }
      p += bits / 8;
    }
  }
  return u8;
}

export function sine(freq: number, sampleRate: number, seconds: number, amp = 0.5): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / sampleRate));
}

