// Content sniffing: the format is decided by magic bytes, never by the file extension.

export type AudioFormat = 'wav' | 'aiff' | 'flac' | 'mp3' | 'ogg' | 'opus' | 'unknown';

function ascii(b: Uint8Array, o: number, n: number): string {
  return String.fromCharCode(...b.subarray(o, o + n));
}

export function sniffFormat(bytes: Uint8Array): AudioFormat {
  if (bytes.length >= 12 && (ascii(bytes, 0, 4) === 'RIFF' || ascii(bytes, 0, 4) === 'RF64') && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'FORM' && (ascii(bytes, 8, 4) === 'AIFF' || ascii(bytes, 8, 4) === 'AIFC')) return 'aiff';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'OggS') {
    // The first Ogg page carries the codec's identification header right after the 27-byte page
    // header and the segment table (one lacing byte for a typical first page).
    const head = ascii(bytes, 28, Math.min(8, Math.max(0, bytes.length - 28)));
    return head.startsWith('OpusHead') ? 'opus' : 'ogg';
  }
  if (bytes.length >= 3 && ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // MPEG audio frame sync: 11 set bits, then a valid layer (not 00).
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) return 'mp3';
  return 'unknown';
}
