// The clip view's spectrogram axes. Frequency: 0 Hz up to the audio's Nyquist frequency, labelled at round
// steps far enough apart to read (wavesurfer's own labels fell at 0, 1.4 and 2.7 kHz of an 8-kHz decode: the
// spectrogram seemed to stop near 3 kHz, issue 18). The decode rate: the clip's own, so nothing is cut off.

/** The rate wavesurfer decodes a clip at: its own (wavesurfer's default, 8 kHz, cut everything above 4 kHz),
 * within 8-48 kHz; 16 kHz when it is not known. */
export function decodeSampleRate(clipRate: number | null | undefined): number {
  if (!clipRate || !Number.isFinite(clipRate) || clipRate <= 0) return 16_000;
  return Math.round(Math.min(48_000, Math.max(8_000, clipRate)));
}

const STEPS_HZ = [250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000];

export interface FrequencyTick {
  hz: number;
  /** Height above the bottom of the spectrogram as a share of it (0 Hz at 0, maxHz at 1). */
  at: number;
  label: string;
}

/** Round-numbered ticks from 0 to `maxHz` (the top of the drawing), at least `minSpacingPx` apart on a
 * spectrogram `heightPx` tall. */
export function frequencyTicks(maxHz: number, heightPx: number, minSpacingPx = 24): FrequencyTick[] {
  if (!(maxHz > 0) || !(heightPx > 0)) return [];
  const intervals = Math.max(1, Math.floor(heightPx / minSpacingPx));
  const step = STEPS_HZ.find((s) => maxHz / s <= intervals) ?? Math.ceil(maxHz / intervals / 10_000) * 10_000;
  const ticks: FrequencyTick[] = [];
  for (let hz = 0; hz <= maxHz + 1e-6; hz += step) ticks.push({ hz, at: hz / maxHz, label: frequencyLabel(hz) });
  return ticks;
}

export function frequencyLabel(hz: number): string {
  if (hz === 0) return '0 Hz';
  if (hz < 1000) return `${hz} Hz`;
  const k = hz / 1000;
  return `${Number.isInteger(k) ? k : k.toFixed(1)} kHz`;
}
