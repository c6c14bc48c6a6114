// FLAC via @wasm-audio-decoders/flac (libFLAC in WebAssembly). Probing reads STREAMINFO, which FLAC
// requires as the first metadata block: rate, channels and the total sample count.
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

export function probeFlac(b: Uint8Array): CodecProbe | null {
  // "fLaC", then a 4-byte block header whose type (low 7 bits) must be 0 = STREAMINFO, 34 bytes long.
  if (b.length < 8 + 34 || (b[4] & 0x7f) !== 0) return null;
  const sampleRate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 7) + 1;
  const total = (b[21] & 0x0f) * 2 ** 32 + new DataView(b.buffer, b.byteOffset + 22, 4).getUint32(0);
  // 0 total samples means "unknown" in STREAMINFO.
  return { sampleRate, channels, frames: total > 0 ? total : null };
}

export const flacAdapter: CodecAdapter = {
  async decode(bytes: Uint8Array): Promise<CodecOutput> {
    const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
    const decoder = new FLACDecoder();
    try {
      await decoder.ready;
      const out = await decoder.decodeFile(bytes);
      if (!out.samplesDecoded) throw new Error(out.errors[0]?.message ?? 'no FLAC frames could be decoded');
      return { channelData: out.channelData, sampleRate: out.sampleRate };
    } finally {
      decoder.free();
    }
  },
  probe: probeFlac,
};
