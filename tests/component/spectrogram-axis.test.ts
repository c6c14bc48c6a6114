// The clip view's spectrogram reaches the clip's Nyquist frequency with a readable axis (issue 18, item 9: it
// stopped near 3 kHz — wavesurfer decoded at its default 8 kHz and labelled 0, 1.4 and 2.7 kHz).
import { describe, expect, it } from 'vitest';
import { decodeSampleRate, frequencyLabel, frequencyTicks } from '../../src-renderer/lib/spectrogram-axis';

describe('spectrogram axis', () => {
  it("decodes at the clip's own rate, within 8-48 kHz, 16 kHz when unknown", () => {
    expect(decodeSampleRate(22_050)).toBe(22_050);
    expect(decodeSampleRate(16_000)).toBe(16_000);
    expect(decodeSampleRate(96_000)).toBe(48_000);
    expect(decodeSampleRate(4_000)).toBe(8_000);
    expect(decodeSampleRate(null)).toBe(16_000);
    expect(decodeSampleRate(0)).toBe(16_000);
  });

  it('labels round frequencies up to the top, far enough apart to read', () => {
    const at11k = frequencyTicks(11_025, 150);
    expect(at11k.map((t) => t.label)).toEqual(['0 Hz', '2 kHz', '4 kHz', '6 kHz', '8 kHz', '10 kHz']);
    expect(at11k[at11k.length - 1].at).toBeCloseTo(10_000 / 11_025);
    const at8k = frequencyTicks(8_000, 150);
    expect(at8k.map((t) => t.hz)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(at8k[at8k.length - 1].at).toBe(1);
    const at24k = frequencyTicks(24_000, 150);
    expect(at24k.map((t) => t.label)).toEqual(['0 Hz', '5 kHz', '10 kHz', '15 kHz', '20 kHz']);
    for (const ticks of [at11k, at8k, at24k]) {
      for (let i = 1; i < ticks.length; i++) expect((ticks[i].at - ticks[i - 1].at) * 150).toBeGreaterThanOrEqual(24);
    }
    expect(frequencyTicks(0, 150)).toEqual([]);
    expect(frequencyLabel(500)).toBe('500 Hz');
    expect(frequencyLabel(2500)).toBe('2.5 kHz');
  });
});
