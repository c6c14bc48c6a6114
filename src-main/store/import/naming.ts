// Labels and speakers read from dataset file-naming conventions.

export interface NamedLabel {
  label: string;
  speaker: string;
}

/** EmoDB letters (German initials) → emotion names used across the studio. */
export const EMODB_EMOTIONS: Readonly<Record<string, string>> = {
  W: 'anger', // Wut
  L: 'boredom', // Langeweile
  E: 'disgust', // Ekel
  A: 'fear', // Angst
  F: 'happiness', // Freude
  T: 'sadness', // Trauer
  N: 'neutral',
};

/** RAVDESS emotion codes (third field). Same names as EmoDB where the emotion is the same. */
export const RAVDESS_EMOTIONS: Readonly<Record<string, string>> = {
  '01': 'neutral',
  '02': 'calm',
  '03': 'happiness',
  '04': 'sadness',
  '05': 'anger',
  '06': 'fear',
  '07': 'disgust',
  '08': 'surprise',
};

const EMODB_RE = /^(\d\d)([a-z]\d\d)([WLEAFTN])([a-z])\.[A-Za-z0-9]+$/;
const RAVDESS_RE = /^(0[1-3])-(0[12])-(0[1-8])-(0[12])-(0[12])-(0[12])-(\d\d)\.[A-Za-z0-9]+$/;

/** SSTTTEV.wav: speaker SS, text TTT, emotion letter E, version V. */
export function parseEmodbName(fileName: string): NamedLabel | null {
  const m = EMODB_RE.exec(fileName);
  return m ? { speaker: m[1], label: EMODB_EMOTIONS[m[3]] } : null;
}

/** MM-VC-EE-II-SS-RR-AA.wav: modality, vocal channel, emotion, intensity, statement, repetition, actor. */
export function parseRavdessName(fileName: string): NamedLabel | null {
  const m = RAVDESS_RE.exec(fileName);
  return m ? { speaker: m[7], label: RAVDESS_EMOTIONS[m[3]] } : null;
}
