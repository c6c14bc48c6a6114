// AIFF and AIFF-C (FORM/AIFF, FORM/AIFC): big-endian integer PCM of 8 to 32 bits ('NONE', 'twos', and plain
// AIFF), little-endian PCM ('sowt'), big-endian float 32/64 ('fl32', 'fl64'). No library: the format is a chunk
// walk and a byte loop, read with DataView so no typed array is built on an unaligned offset. Other AIFF-C
// compressions (ulaw, alaw, ima4, MAC3 …) are refused with their name.
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

export interface AiffHeader extends CodecProbe {
  frames: number;
  bitsPerSample: number;
  /** AIFF-C compression type ('NONE' for plain AIFF). */
  compression: string;
  /** Byte offset of the first sample frame, or -1 when the SSND chunk was not found. */
  dataOffset: number;
  /** Bytes of sample data available from dataOffset. */
  dataBytes: number;
}

/** IEEE 754 80-bit extended, big-endian (COMM's sample rate). */
function extended(dv: DataView, o: number): number {
  const se = dv.getUint16(o);
  const exp = se & 0x7fff;
  const mant = dv.getUint32(o + 2) * 2 ** 32 + dv.getUint32(o + 6);
  if (exp === 0 && mant === 0) return 0;
  const v = mant * 2 ** (exp - 16383 - 63);
  return se & 0x8000 ? -v : v;
}

/** Walks the FORM chunks to COMM and SSND; null when it is not AIFF or COMM is missing or cut off. */
export function readAiffHeader(bytes: Uint8Array, totalBytes = bytes.length): AiffHeader | null {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'FORM') return null;
  const form = fourcc(bytes, 8);
  if (form !== 'AIFF' && form !== 'AIFC') return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let comm: Omit<AiffHeader, 'dataOffset' | 'dataBytes'> | null = null;
  let dataOffset = -1;
  let dataBytes = 0;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const type = fourcc(bytes, pos);
    const size = dv.getUint32(pos + 4);
    if (type === 'COMM') {
      if (pos + 8 + 18 > bytes.length) return null;
      const compression = form === 'AIFC' && size >= 22 && pos + 30 <= bytes.length ? fourcc(bytes, pos + 26) : 'NONE';
      comm = {
        channels: dv.getUint16(pos + 8),
        frames: dv.getUint32(pos + 10),
        bitsPerSample: dv.getUint16(pos + 14),
        sampleRate: extended(dv, pos + 16),
        compression,
      };
    } else if (type === 'SSND') {
      if (pos + 16 > bytes.length) return null;
      dataOffset = pos + 16 + dv.getUint32(pos + 8);
      const end = Math.min(pos + 8 + size, Math.max(totalBytes, bytes.length));
      dataBytes = Math.max(0, end - dataOffset);
    }
    if (comm && dataOffset >= 0) break;
    pos += 8 + size + (size & 1);
  }
  if (!comm) return null;
  return { ...comm, dataOffset, dataBytes };
}

type Layout = { bytes: number; little: boolean; float: boolean };

function layoutOf(h: AiffHeader): Layout {
  const c = h.compression;
  const bytes = Math.ceil(h.bitsPerSample / 8);
  if (c === 'NONE' || c === 'twos' || c === 'sowt') {
    if (h.bitsPerSample < 1 || h.bitsPerSample > 32) throw new Error(`unsupported AIFF bit depth ${h.bitsPerSample}`);
    return { bytes, little: c === 'sowt', float: false };
  }
  if (c === 'fl32' || c === 'FL32') return { bytes: 4, little: false, float: true };
  if (c === 'fl64' || c === 'FL64') return { bytes: 8, little: false, float: true };
  throw new Error(`unsupported AIFF-C compression '${c.trim()}': convert the file to WAV or FLAC`);
}

function checkHeader(h: AiffHeader): void {
  if (h.channels < 1 || h.channels > 64) throw new Error(`implausible channel count ${h.channels}`);
  if (!(h.sampleRate >= 1000 && h.sampleRate <= 768_000)) throw new Error(`implausible sample rate ${h.sampleRate} Hz`);
  if (h.dataOffset < 0) throw new Error('no SSND (sound data) chunk');
}

export function probeAiff(bytes: Uint8Array, totalBytes?: number): CodecProbe | null {
  const h = readAiffHeader(bytes, totalBytes);
  if (!h) return null;
  return { sampleRate: h.sampleRate, channels: h.channels, frames: h.frames };
}

export const aiffAdapter: CodecAdapter = {
  decode(bytes: Uint8Array): CodecOutput {
    const h = readAiffHeader(bytes);
    if (!h) throw new Error('truncated or malformed AIFF header (no complete COMM chunk)');
    checkHeader(h);
    const { bytes: w, little, float } = layoutOf(h);
    const block = w * h.channels;
    const frames = Math.min(h.frames, Math.floor(h.dataBytes / block));
    if (frames < 1) throw new Error('AIFF has no complete audio frames');
    const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, frames * block);
    const channelData = Array.from({ length: h.channels }, () => new Float32Array(frames));
    const scale = 1 / 2 ** (8 * w - 1);
    for (let c = 0; c < h.channels; c++) {
      const x = channelData[c];
      for (let i = 0, o = c * w; i < frames; i++, o += block) {
        if (float) x[i] = w === 4 ? dv.getFloat32(o, little) : dv.getFloat64(o, little);
        else if (w === 1) x[i] = dv.getInt8(o) * scale;
        else if (w === 2) x[i] = dv.getInt16(o, little) * scale;
        else if (w === 4) x[i] = dv.getInt32(o, little) * scale;
        else {
          // 24-bit: three bytes, sign-extended.
          const v = little ? dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16) : (dv.getInt8(o) << 16) | (dv.getUint8(o + 1) << 8) | dv.getUint8(o + 2);
          x[i] = v * scale;
        }
      }
    }
    return { channelData, sampleRate: h.sampleRate };
  },
  probe: probeAiff,
};
