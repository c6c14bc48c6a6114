// WAV (RIFF/WAVE): PCM 8/16/24/32-bit, float 32/64, A-law/µ-law, ADPCM and WAVE_FORMAT_EXTENSIBLE,
// all decoded by @audio/decode-wav. The header walk below finds the fmt and data chunks (RIFF pads odd-sized
// chunks to an even length, which the library's own walk forgets: a LIST chunk of odd size hid the data), then
// the library's streaming decoder gets a canonical header (RIFF, the file's fmt chunk, data) and the data bytes
// as they lie, at any offset (it copies to an aligned buffer where a typed array needs one).
import { decoder as wavDecoder } from '@audio/decode-wav';
import type { CodecAdapter, CodecOutput, CodecProbe } from './types';

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

interface WavHeader extends CodecProbe {
  formatTag: number;
  bitsPerSample: number;
  blockAlign: number;
  dataBytes: number;
  /** ADPCM only: frames per block from the fmt extension (0 when absent). */
  samplesPerBlock: number;
  /** Byte offset of the first audio byte (just after the data chunk's 8-byte header). */
  dataOffset: number;
  /** Where the fmt chunk's body starts and how long it is (within `bytes`). */
  fmtOffset: number;
  fmtSize: number;
}

const PCM = 1;
const FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const MS_ADPCM = 2;
const IMA_ADPCM = 0x11;
const EXTENSIBLE = 0xfffe;

/** Walks RIFF chunks to 'fmt ' and 'data'; null when either is missing or cut off. */
/** `totalBytes`: the file's size when `bytes` is only its start (then the data runs at most to the file's end). */
export function readWavHeader(bytes: Uint8Array, totalBytes = bytes.length): WavHeader | null {
  if (bytes.length < 12) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 12;
  let fmt: Omit<WavHeader, 'frames' | 'dataBytes' | 'dataOffset'> | null = null;
  while (pos + 8 <= bytes.length) {
    const type = fourcc(bytes, pos);
    const size = dv.getUint32(pos + 4, true);
    if (type === 'fmt ') {
      if (pos + 24 > bytes.length) return null;
      let formatTag = dv.getUint16(pos + 8, true);
      if (formatTag === EXTENSIBLE && pos + 34 <= bytes.length) formatTag = dv.getUint16(pos + 32, true);
      fmt = {
        formatTag,
        channels: dv.getUint16(pos + 10, true),
        sampleRate: dv.getUint32(pos + 12, true),
        blockAlign: dv.getUint16(pos + 20, true),
        bitsPerSample: dv.getUint16(pos + 22, true),
        samplesPerBlock: size >= 20 && pos + 28 <= bytes.length ? dv.getUint16(pos + 26, true) : 0,
        fmtOffset: pos + 8,
        fmtSize: Math.min(size, bytes.length - (pos + 8)),
      };
    } else if (type === 'data') {
      if (!fmt) return null;
      const available = Math.max(totalBytes, bytes.length) - (pos + 8);
      // 0 and 0xFFFFFFFF are streaming placeholders: the data runs to the end of the file.
      const dataBytes = size > 0 && size < 0xffffffff ? Math.min(size, available) : available;
      const frames = fmt.blockAlign > 0 ? Math.floor(dataBytes / fmt.blockAlign) : null;
      return { ...fmt, frames, dataBytes, dataOffset: pos + 8 };
    }
    pos += 8 + size + (size & 1);
  }
  return null;
}

export function probeWav(bytes: Uint8Array, totalBytes?: number): CodecProbe | null {
  const h = readWavHeader(bytes, totalBytes);
  if (!h) return null;
  // ADPCM blocks hold more frames than blockAlign suggests; only PCM-like formats give an exact count.
  return { sampleRate: h.sampleRate, channels: h.channels, frames: isFrameAddressable(h) ? h.frames : null };
}

/** Formats with a fixed number of bytes per frame: any frame range can be read without what precedes it. */
export function isFrameAddressable(h: WavHeader): boolean {
  return h.formatTag === PCM || h.formatTag === FLOAT || h.formatTag === ALAW || h.formatTag === MULAW;
}

/** Rejects headers that would make the decoder allocate absurd amounts (found by fuzzing). */
function checkHeader(h: WavHeader): void {
  if (h.channels < 1 || h.channels > 64) throw new Error(`implausible channel count ${h.channels}`);
  if (h.sampleRate < 1000 || h.sampleRate > 768_000) throw new Error(`implausible sample rate ${h.sampleRate} Hz`);
  if (h.blockAlign < 1) throw new Error('block size is 0');
  if (h.formatTag === PCM || h.formatTag === FLOAT) {
    if (![8, 16, 24, 32, 64].includes(h.bitsPerSample)) throw new Error(`unsupported bit depth ${h.bitsPerSample}`);
    if (h.blockAlign !== (h.channels * h.bitsPerSample) / 8) throw new Error('block size does not match channels × bit depth');
  } else if (h.formatTag === MS_ADPCM || h.formatTag === IMA_ADPCM) {
    // Each ADPCM byte expands to at most two samples per channel's share of the block.
    if (h.blockAlign < 4 * h.channels) throw new Error('ADPCM block too small');
    if (h.samplesPerBlock > (2 * h.blockAlign) / h.channels + 2) throw new Error('ADPCM samples per block larger than the block can hold');
  } else if (h.formatTag !== ALAW && h.formatTag !== MULAW) {
    throw new Error(`unsupported WAV encoding (format tag 0x${h.formatTag.toString(16)})`);
  }
}

export const wavAdapter: CodecAdapter = {
  decode(bytes: Uint8Array): CodecOutput {
    const h = readWavHeader(bytes);
    if (!h) throw new Error('truncated or malformed WAV header (no complete fmt and data chunks)');
    checkHeader(h);
    // A canonical header: RIFF/WAVE, the file's own fmt chunk (padded to even), then the data chunk's header.
    const fmtPadded = h.fmtSize + (h.fmtSize & 1);
    const head = new Uint8Array(12 + 8 + fmtPadded + 8);
    const dv = new DataView(head.buffer);
    head.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
    dv.setUint32(4, head.length - 8 + h.dataBytes, true);
    head.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt
    dv.setUint32(16, h.fmtSize, true);
    head.set(bytes.subarray(h.fmtOffset, h.fmtOffset + h.fmtSize), 20);
    head.set([0x64, 0x61, 0x74, 0x61], 20 + fmtPadded); // data
    dv.setUint32(24 + fmtPadded, h.dataBytes, true);
    const dec = wavDecoder();
    let out: CodecOutput;
    try {
      dec.decode(head);
      out = dec.decode(bytes.subarray(h.dataOffset, h.dataOffset + h.dataBytes)) as CodecOutput;
    } finally {
      dec.free();
    }
    if (!out.channelData?.length || !(out.sampleRate > 0)) {
      // decode-wav returns an empty result (instead of throwing) when the header never completes.
      throw new Error('WAV has no complete audio frames');
    }
    return out;
  },
  probe: probeWav,
};
