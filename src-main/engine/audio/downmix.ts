// Any channel count to one: the average of the channels. Non-finite samples (float WAVs can hold
// NaN or Inf) become 0 so that nothing downstream has to guard against them.

export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  if (channels.length === 1) {
    const c = channels[0];
    for (let i = 0; i < n; i++) {
      const v = c[i];
      out[i] = Number.isFinite(v) ? v : 0;
    }
    return out;
  }
  const k = 1 / channels.length;
  for (const c of channels) {
    for (let i = 0; i < n; i++) {
      const v = c[i];
      if (Number.isFinite(v)) out[i] += v * k;
    }
  }
  return out;
}
