// Ogg Vorbis via @wasm-audio-decoders/ogg-vorbis (libvorbis in WebAssembly). Probing reads the
// identification header (channels, rate) and the last page's granule position (the length).
import { firstOggPacket, lastGranule } from './ogg';
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

export function probeVorbis(b: Uint8Array): CodecProbe | null {
  const p = firstOggPacket(b);
  // [0x01 'vorbis' version:u32 channels:u8 rate:u32 …]
  if (!p || p.length < 16 || p[0] !== 1 || String.fromCharCode(...p.subarray(1, 7)) !== 'vorbis') return null;
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return { channels: p[11], sampleRate: dv.getUint32(12, true), frames: lastGranule(b) };
}

export const oggVorbisAdapter: CodecAdapter = {
  async decode(bytes: Uint8Array): Promise<CodecOutput> {
    const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
    const decoder = new OggVorbisDecoder();
    try {
      await decoder.ready;
      const out = await decoder.decodeFile(bytes);
      if (!out.samplesDecoded) throw new Error(out.errors[0]?.message ?? 'no Vorbis audio could be decoded');
      return { channelData: out.channelData, sampleRate: out.sampleRate };
    } finally {
      decoder.free();
    }
  },
  probe: probeVorbis,
};
