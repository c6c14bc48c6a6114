// Adapters for codecs whose decoders are not installed yet. Each names the package it needs; once the
// package is installed, replace the body of decode() with a call into it (see the package's README).
import { CodecUnavailableError, type CodecAdapter } from './types';

function pending(format: string, packageName: string): CodecAdapter {
  return {
    decode() {
      throw new CodecUnavailableError(format, packageName);
    },
    probe() {
      return null;
    },
  };
}

export const flacAdapter = pending('FLAC', '@wasm-audio-decoders/flac');
export const mp3Adapter = pending('MP3', 'mpg123-decoder');
export const oggVorbisAdapter = pending('Ogg Vorbis', '@wasm-audio-decoders/ogg-vorbis');
export const opusAdapter = pending('Ogg Opus', '@audio/decode-opus');
