// FLAC via @wasm-audio-decoders/flac (libFLAC in WebAssembly). Probing reads STREAMINFO, which FLAC
// requires as the first metadata block: rate, channels and the total sample count. A whole-file decode is
// checked against that total: @wasm-audio-decoders/flac 0.2.11's decodeFile can drop the last frame (its frame
// parser emits a frame only once it has seen what follows it), so a short result is decoded again through the
// streaming API, whose flush() hands over the frame still held; still short, it is an error naming both
// lengths, never a silently shortened clip.
import type { CodecAdapter, CodecOutput, CodecProbe, DecodeOptions } from './types';

export function probeFlac(b: Uint8Array): CodecProbe | null {
  // "fLaC", then a 4-byte block header whose type (low 7 bits) must be 0 = STREAMINFO, 34 bytes long.
  if (b.length < 8 + 34 || (b[4] & 0x7f) !== 0) return null;
  const sampleRate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 7) + 1;
  // Total samples per channel: 36 bits, the low 4 bits of byte 21 and bytes 22-25 (big-endian).
  const total = (b[21] & 0x0f) * 2 ** 32 + new DataView(b.buffer, b.byteOffset + 22, 4).getUint32(0);
  // 0 total samples means "unknown" in STREAMINFO.
  return { sampleRate, channels, frames: total > 0 ? total : null };
}

type FlacOut = { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number; errors: { message: string }[] };

async function withDecoder(run: (d: import('@wasm-audio-decoders/flac').FLACDecoder) => Promise<FlacOut>): Promise<FlacOut> {
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
    return await run(decoder);
  } finally {
    decoder.free();
  }
}

/** decode() then flush(): the streaming path, joined into one output. */
async function decodeStreaming(bytes: Uint8Array): Promise<FlacOut> {
  return withDecoder(async (d) => {
    const parts = [await d.decode(bytes), await d.flush()];
    const n = parts.reduce((s, p) => s + p.samplesDecoded, 0);
    const channels = Math.max(...parts.map((p) => p.channelData.length));
    const channelData = Array.from({ length: channels }, (_, c) => {
      const x = new Float32Array(n);
      let at = 0;
      for (const p of parts) {
        if (p.channelData[c]) x.set(p.channelData[c].subarray(0, p.samplesDecoded), at);
        at += p.samplesDecoded;
      }
      return x;
    });
    return { channelData, samplesDecoded: n, sampleRate: parts.find((p) => p.sampleRate > 0)?.sampleRate ?? 0, errors: parts.flatMap((p) => p.errors) };
  });
}

export const flacAdapter: CodecAdapter = {
  async decode(bytes: Uint8Array, opts?: DecodeOptions): Promise<CodecOutput> {
    let out = await withDecoder((d) => d.decodeFile(bytes));
    if (!out.samplesDecoded) throw new Error(out.errors[0]?.message ?? 'no FLAC frames could be decoded');
    const total = probeFlac(bytes)?.frames ?? null;
    if (total !== null && out.samplesDecoded < total && !opts?.prefix) {
      const again = await decodeStreaming(bytes);
      if (again.samplesDecoded > out.samplesDecoded) out = again;
      if (out.samplesDecoded < total) {
        const cause = out.errors[0]?.message ? ` (${out.errors[0].message})` : '';
        throw new Error(
          `decoded ${out.samplesDecoded} of the ${total} samples its STREAMINFO announces: the last ${total - out.samplesDecoded} could not be decoded${cause}; re-encode the file (e.g. \`flac -f -d in.flac -o out.wav\`) or convert it to WAV`,
        );
      }
    }
    // A stream longer than STREAMINFO says (never in a valid file): keep what it announces.
    const keep = total !== null && out.samplesDecoded > total ? total : out.samplesDecoded;
    return { channelData: out.channelData.map((x) => (x.length > keep ? x.subarray(0, keep) : x)), sampleRate: out.sampleRate };
  },
  probe: probeFlac,
};
