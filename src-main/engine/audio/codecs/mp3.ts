// MP3 via mpg123-decoder (libmpg123 in WebAssembly). Two fixes over the library's raw output:
// - Encoder delay and padding: with gapless on, the library trims them when the file carries a
//   Xing/Info + LAME tag (measured: exact length, zero lag against the source). Files without one
//   (e.g. low-bitrate CBR, whose frames are too small for the tag) keep ~1105 samples of lead-in.
// - Mono: the library always returns 2 channels; a mono file (channel mode 11 in the frame header)
//   gives 2 identical ones, reduced here to 1.
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

interface FrameHeader {
  offset: number;
  sampleRate: number;
  channels: number;
  samplesPerFrame: number;
  mpeg1: boolean;
}

const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** The first MPEG audio frame header after any ID3v2 tag. */
export function firstFrameHeader(b: Uint8Array): FrameHeader | null {
  let pos = 0;
  if (b.length >= 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {
    pos = 10 + ((b[6] & 0x7f) << 21) + ((b[7] & 0x7f) << 14) + ((b[8] & 0x7f) << 7) + (b[9] & 0x7f);
  }
  const limit = Math.min(b.length - 4, pos + 64 * 1024);
  for (; pos <= limit; pos++) {
    if (b[pos] !== 0xff || (b[pos + 1] & 0xe0) !== 0xe0) continue;
    const version = (b[pos + 1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    const layer = (b[pos + 1] >> 1) & 3; // 1 = Layer III
    const rateIdx = (b[pos + 2] >> 2) & 3;
    const bitrateIdx = b[pos + 2] >> 4;
    if (version === 1 || layer === 0 || rateIdx === 3 || bitrateIdx === 15) continue;
    const mpeg1 = version === 3;
    const samplesPerFrame = layer === 3 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
    return { offset: pos, sampleRate: RATES[version][rateIdx], channels: b[pos + 3] >> 6 === 3 ? 1 : 2, samplesPerFrame, mpeg1 };
  }
  return null;
}

/** Frames minus encoder delay and padding, from a Xing/Info tag with a LAME extension; null without one. */
function taggedLength(b: Uint8Array, h: FrameHeader): number | null {
  const sideInfo = h.mpeg1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  const x = h.offset + 4 + sideInfo;
  if (x + 8 > b.length) return null;
  const tag = String.fromCharCode(...b.subarray(x, x + 4));
  if (tag !== 'Xing' && tag !== 'Info') return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = dv.getUint32(x + 4);
  if (!(flags & 1)) return null;
  const frames = dv.getUint32(x + 8);
  let lame = x + 8 + 4 + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  if (lame + 24 > b.length || String.fromCharCode(...b.subarray(lame, lame + 4)) !== 'LAME') return frames * h.samplesPerFrame;
  lame += 21;
  const delay = (b[lame] << 4) | (b[lame + 1] >> 4);
  const padding = ((b[lame + 1] & 0x0f) << 8) | b[lame + 2];
  return Math.max(0, frames * h.samplesPerFrame - delay - padding);
}

export function probeMp3(b: Uint8Array): CodecProbe | null {
  const h = firstFrameHeader(b);
  return h ? { sampleRate: h.sampleRate, channels: h.channels, frames: taggedLength(b, h) } : null;
}

export const mp3Adapter: CodecAdapter = {
  async decode(bytes: Uint8Array): Promise<CodecOutput> {
    const { MPEGDecoder } = await import('mpg123-decoder');
    const decoder = new MPEGDecoder({ enableGapless: true });
    try {
      await decoder.ready;
      const out = decoder.decode(bytes);
      if (!out.samplesDecoded) throw new Error(out.errors[0]?.message ?? 'no MPEG audio frames could be decoded');
      const mono = firstFrameHeader(bytes)?.channels === 1;
      return { channelData: mono ? out.channelData.slice(0, 1) : out.channelData, sampleRate: out.sampleRate };
    } finally {
      decoder.free();
    }
  },
  probe: probeMp3,
};
