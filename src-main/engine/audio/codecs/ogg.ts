// Header reading shared by the Ogg codecs (Vorbis, Opus): the first packet of the first page, and the
// granule position of the last page (the stream's length in samples, before Opus's pre-skip).

/** The first page's first packet (the codec's identification header). */
export function firstOggPacket(b: Uint8Array): Uint8Array | null {
  if (b.length < 28) return null;
  const segments = b[26];
  const start = 27 + segments;
  let len = 0;
  for (let i = 0; i < segments; i++) {
    len += b[27 + i];
    if (b[27 + i] < 255) break;
  }
  return start + len <= b.length ? b.subarray(start, start + len) : null;
}

/** Granule position of the last complete page header in the file; null when none is found. */
export function lastGranule(b: Uint8Array): number | null {
  for (let i = b.length - 27; i >= 0; i--) {
    if (b[i] === 0x4f && b[i + 1] === 0x67 && b[i + 2] === 0x67 && b[i + 3] === 0x53 && b[i + 4] === 0) {
      const dv = new DataView(b.buffer, b.byteOffset + i + 6, 8);
      const g = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
      // All ones means "no packet ends on this page"; look further back.
      if (dv.getUint32(0, true) === 0xffffffff && dv.getUint32(4, true) === 0xffffffff) continue;
      return g;
    }
  }
  return null;
}
