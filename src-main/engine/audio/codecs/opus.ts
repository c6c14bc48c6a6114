// Ogg Opus via @audio/decode-opus (libopus in WebAssembly). Opus always decodes at 48 kHz, whatever
// rate the source had (OpusHead's "input rate" is informational), so the probe reports 48 kHz too.
import { firstOggPacket, lastGranule } from './ogg';
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

const OPUS_RATE = 48000;

export function probeOpus(b: Uint8Array): CodecProbe | null {
  const p = firstOggPacket(b);
  // ['OpusHead' version:u8 channels:u8 preSkip:u16 inputRate:u32 …]
  if (!p || p.length < 19 || String.fromCharCode(...p.subarray(0, 8)) !== 'OpusHead') return null;
  const preSkip = p[10] | (p[11] << 8);
  const g = lastGranule(b);
  return { channels: p[9], sampleRate: OPUS_RATE, frames: g === null ? null : Math.max(0, g - preSkip) };
}

export const opusAdapter: CodecAdapter = {
  async decode(bytes: Uint8Array): Promise<CodecOutput> {
    const { default: decodeOpus } = await import('@audio/decode-opus');
    const out = await decodeOpus(bytes);
    if (!out.channelData.length || !out.channelData[0].length) throw new Error('no Opus audio could be decoded');
    return { channelData: out.channelData, sampleRate: out.sampleRate };
  },
  probe: probeOpus,
};
