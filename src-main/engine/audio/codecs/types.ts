// The contract every codec adapter fulfils. Adapters wrap one decoding library each; decode.ts picks
// one by magic bytes and turns whatever they throw into an AudioDecodeError.

export interface CodecOutput {
  /** One Float32Array per channel, samples in [-1, 1]. */
  channelData: Float32Array[];
  sampleRate: number;
}

export interface DecodeOptions {
  prefix?: boolean;
}

export interface CodecProbe {
  sampleRate: number;
  channels: number;
  /** Frames per channel, when the header says so without decoding. */
  frames: number | null;
}

export interface CodecAdapter {
  /** Decodes the whole file; may throw anything (decode.ts wraps it). `opts.prefix`: `bytes` is only the file's
   * start (a quick check that it decodes), so a stream shorter than its header's length is no error. */
  decode(bytes: Uint8Array, opts?: DecodeOptions): Promise<CodecOutput> | CodecOutput;
  /** Reads only the header; null when the header alone cannot tell. */
  /** `totalBytes`: the file's size when `bytes` holds only its start (a file too large to keep in memory). */
  probe(bytes: Uint8Array, totalBytes?: number): CodecProbe | null;
}

/** Thrown by adapters whose decoding library is not installed, so the message can say which. */
export class CodecUnavailableError extends Error {
  constructor(
    readonly format: string,
    readonly packageName: string,
  ) {
    super(`${format} decoding needs the npm package ${packageName}, which is not installed`);
    this.name = 'CodecUnavailableError';
  }
}
