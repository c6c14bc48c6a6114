// The audio of one segment of a recording as a WAV file of its own, for exports that hand out files (the
// Hugging Face audiofolder). A frame-addressable WAV (PCM, float, A-law, µ-law) keeps its encoding: the
// segment's frames are copied byte for byte behind the file's own fmt chunk, so the samples are exactly the
// recording's. Any other format is decoded (once per recording) and the segment written as 32-bit float WAV,
// exactly the samples the studio decodes. The frames are the ones every other cut takes (engine segmentFrames).
import { createHash } from 'node:crypto';
import { readWavHeader, isFrameAddressable } from '../../engine/audio/codecs/wav';
import { decodeAudio, sniffFormat, type DecodedAudio } from '../../engine/audio/decode';
import { segmentFrames } from '../../engine/audio/segment';
import { openRegularFile, readRegularFile } from '../../engine/regular-file';

const HEAD_BYTES = 64 * 1024;

export interface CutAudio {
  bytes: Uint8Array;
  hash: string;
  /** Frames written. */
  frames: number;
  sampleRate: number;
}

function riff(fmtBody: Uint8Array, data: Uint8Array): Uint8Array {
  const pad = fmtBody.length & 1;
  const out = new Uint8Array(12 + 8 + fmtBody.length + pad + 8 + data.length + (data.length & 1));
  const dv = new DataView(out.buffer);
  const tag = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  tag(0, 'RIFF');
  dv.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  dv.setUint32(16, fmtBody.length, true);
  out.set(fmtBody, 20);
  const d = 20 + fmtBody.length + pad;
  tag(d, 'data');
  dv.setUint32(d + 4, data.length, true);
  out.set(data, d + 8);
  return out;
}

/** 32-bit float WAV of frames [first, end) of decoded audio, every channel. */
export function floatWav(audio: DecodedAudio, first: number, end: number): Uint8Array {
  const channels = audio.channelData.length;
  const frames = Math.max(0, end - first);
  const fmt = new Uint8Array(16);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, 3, true); // IEEE float
  f.setUint16(2, channels, true);
  f.setUint32(4, audio.sampleRate, true);
  f.setUint32(8, audio.sampleRate * channels * 4, true);
  f.setUint16(12, channels * 4, true);
  f.setUint16(14, 32, true);
  const data = new Uint8Array(frames * channels * 4);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) dv.setFloat32((i * channels + c) * 4, audio.channelData[c][first + i], true);
  return riff(fmt, data);
}

/** Cuts segments out of recordings; keeps the last recording decoded (its segments come one after another). */
export class SegmentCutter {
  private last: { path: string; audio: Promise<DecodedAudio> } | null = null;

  async cut(path: string, segment: { startSec: number; endSec: number }): Promise<CutAudio> {
    const fh = await openRegularFile(path);
    let out: { bytes: Uint8Array; frames: number; sampleRate: number } | null = null;
    try {
      const size = (await fh.stat()).size;
      const head = new Uint8Array(Math.min(HEAD_BYTES, size));
      await fh.read(head, 0, head.length, 0);
      const h = sniffFormat(head) === 'wav' ? readWavHeader(head, size) : null;
      if (h && isFrameAddressable(h) && h.blockAlign > 0 && h.sampleRate > 0 && h.frames != null) {
        const [first, end] = segmentFrames(path, segment, h.frames, h.sampleRate);
        const data = new Uint8Array((end - first) * h.blockAlign);
        const { bytesRead } = await fh.read(data, 0, data.length, h.dataOffset + first * h.blockAlign);
        if (bytesRead !== data.length) throw new Error(`${path} changed while it was read`);
        out = { bytes: riff(head.slice(h.fmtOffset, h.fmtOffset + h.fmtSize), data), frames: end - first, sampleRate: h.sampleRate };
      }
    } finally {
      await fh.close();
    }
    if (!out) {
      if (this.last?.path !== path) this.last = { path, audio: readRegularFile(path).then((b) => decodeAudio(b, path)) };
      const audio = await this.last.audio;
      const [first, end] = segmentFrames(path, segment, audio.channelData[0].length, audio.sampleRate);
      out = { bytes: floatWav(audio, first, end), frames: end - first, sampleRate: audio.sampleRate };
    }
    return { ...out, hash: createHash('sha256').update(out.bytes).digest('hex') };
  }
}
