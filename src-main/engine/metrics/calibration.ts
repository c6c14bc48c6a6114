// Expected calibration error (Guo et al., ICML 2017): confidences split into equal-width bins; the
// clip-weighted mean gap between each bin's mean confidence and its accuracy. 0 for a perfectly calibrated
// model; a model that says 0.9 and is right half the time scores 0.4.

export interface CalibrationReport {
  ece: number;
  clips: number;
  bins: { from: number; to: number; clips: number; confidence: number; accuracy: number }[];
}

export function expectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, nBins = 10): CalibrationReport {
  if (confidence.length !== correct.length) throw new Error(`${confidence.length} confidences for ${correct.length} outcomes`);
  const sums = Array.from({ length: nBins }, () => ({ n: 0, conf: 0, right: 0 }));
  for (let i = 0; i < confidence.length; i++) {
    const c = Math.min(1, Math.max(0, confidence[i]));
    const b = sums[Math.min(nBins - 1, Math.floor(c * nBins))];
    b.n++;
    b.conf += c;
    b.right += correct[i] ? 1 : 0;
  }
  const n = confidence.length;
  let ece = 0;
  const bins = sums.map((b, k) => {
    if (b.n) ece += (b.n / n) * Math.abs(b.conf / b.n - b.right / b.n);
    return { from: k / nBins, to: (k + 1) / nBins, clips: b.n, confidence: b.n ? b.conf / b.n : 0, accuracy: b.n ? b.right / b.n : 0 };
  });
  return { ece: n ? ece : 0, clips: n, bins };
}
