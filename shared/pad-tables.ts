// PAD standard emotion vectors, embedded as data (generated once from /work/shared/data/pad/*.csv).
// No Node or DOM imports: used by the engine and the renderer alike.
import type { PadTerm } from "./domain";

/** Source string of the paper's Table 1 rows. */
export const EODN_TABLE1_SOURCE = "E-ODN paper Table 1";
/** Source string of the Russell & Mehrabian rows. */
export const RUSSELL_MEHRABIAN_SOURCE = "Russell & Mehrabian 1977, Table 4 (x4)";

/**
 * The E-ODN paper's Table 1 ("Partial Standard Emotional Vector in the PAD Three-Dimensional Emotional
 * Space"), on its -4..+4 scale, which the paper attributes to Mehrabian et al. Neutral at the origin is
 * not in the paper: it is added by convention so that a neutral class has a standard vector.
 */
export const EODN_TABLE1: readonly PadTerm[] = [
  { name: "Happy", pad: [2.77, 1.21, 1.42], source: EODN_TABLE1_SOURCE },
  { name: "Optimistic", pad: [2.48, 1.05, 1.75], source: EODN_TABLE1_SOURCE },
  { name: "Relaxed", pad: [2.19, -0.66, 1.05], source: EODN_TABLE1_SOURCE },
  { name: "Surprise", pad: [1.72, 1.71, 0.22], source: EODN_TABLE1_SOURCE },
  { name: "Mild", pad: [1.57, -0.79, 0.38], source: EODN_TABLE1_SOURCE },
  { name: "Boring", pad: [-0.53, -1.25, -0.84], source: EODN_TABLE1_SOURCE },
  { name: "Sad", pad: [-0.89, 0.17, -0.7], source: EODN_TABLE1_SOURCE },
  { name: "Fearful", pad: [-0.93, 1.3, -0.64], source: EODN_TABLE1_SOURCE },
  { name: "Anxiety", pad: [-0.95, 0.32, -0.63], source: EODN_TABLE1_SOURCE },
  { name: "Disgusted", pad: [-1.8, 0.4, 0.67], source: EODN_TABLE1_SOURCE },
  { name: "Anger", pad: [-1.98, 1.1, 0.6], source: EODN_TABLE1_SOURCE },
  { name: "Animosity", pad: [-2.08, 1, 1.12], source: EODN_TABLE1_SOURCE },
  { name: "Neutral", pad: [0, 0, 0], source: "origin by convention (not in the paper)" },
];

/**
 * Russell, J. A. & Mehrabian, A. (1977). Evidence for a three-factor theory of emotions. Journal of Research
 * in Personality 11(3):273-294, Table 4: 151 terms, mean P, A, D on a -1..+1 scale, here multiplied by 4 to
 * land on Table 1's -4..+4 scale (four OCR typos of the public transcription fixed: Excited, Capable,
 * Defiant, Upset). Standard deviations are left out (the method uses the means only).
 */
export const RUSSELL_MEHRABIAN_151: readonly PadTerm[] = [
  { name: "Bold", pad: [1.76, 2.44, 2.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Useful", pad: [2.8, 1.76, 1.88], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Mighty", pad: [1.92, 2.04, 2.76], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Kind", pad: [2.92, 0.76, 2.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Self-satisfied", pad: [3.44, 0.8, 2.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Admired", pad: [3.24, 1.76, 2.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Proud", pad: [3.08, 1.52, 2.6], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Interested", pad: [2.56, 2.04, 0.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Arrogant", pad: [0, 1.36, 1.92], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Inspired", pad: [2.84, 2.52, 1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Excited", pad: [2.48, 3, 1.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Influential", pad: [2.72, 1.6, 3], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Aggressive", pad: [1.64, 2.52, 2.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Strong", pad: [2.32, 1.92, 2.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Dignified", pad: [2.2, 0.88, 2.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Powerful", pad: [2.16, 1.8, 2.92], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Elated", pad: [2, 1.68, 0.92], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Hopeful", pad: [2.04, 0.92, 0.56], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Triumphant", pad: [2.76, 2.28, 2.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Joyful", pad: [3.04, 1.92, 1.4], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Capable", pad: [2.8, 1.12, 2.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Lucky", pad: [2.84, 1.92, 1.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Responsible", pad: [1.4, 1.52, 1.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Friendly", pad: [2.76, 1.4, 1.2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Masterful", pad: [2.32, 1.76, 2.76], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Free", pad: [3.24, 0.96, 1.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Devoted", pad: [1.96, 0.68, 0.4], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Domineering", pad: [0.92, 1.6, 2.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Aroused", pad: [0.96, 2.28, 0.88], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Concentrating", pad: [1.68, 1.12, 1.56], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Happy", pad: [3.24, 2.04, 1.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Egotistical", pad: [0.96, 1.28, 2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Carefree", pad: [3.12, 1, 1.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Affectionate", pad: [2.56, 1.4, 0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Vigorous", pad: [2.32, 2.44, 1.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Activated", pad: [1.68, 2.32, 1.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Alert", pad: [1.96, 2.28, 1.8], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Alone with responsibility", pad: [1.32, 1.36, 1.92], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Controlling", pad: [1.88, 1.36, 2.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Proud and lonely", pad: [0.04, 0.08, 1.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Enjoyment", pad: [3.08, 1.76, 1.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Serious", pad: [1.08, 0.96, 1.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Cooperative", pad: [1.56, 0.52, 0.12], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Thankful", pad: [2.44, 0.4, -0.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Respectful", pad: [1.52, 0.52, -0.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Appreciative", pad: [2.2, 0.28, -0.56], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Loved", pad: [3.48, 2.16, -0.72], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Grateful", pad: [2.56, 0.64, -0.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "In love", pad: [3.28, 2.6, -0.2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Anxious", pad: [0.04, 2.36, -0.6], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Impressed", pad: [1.64, 1.2, -1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Surprised", pad: [1.6, 2.68, -0.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Sexually excited", pad: [2.32, 2.48, -0.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Wonder", pad: [1.08, 0.96, -0.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Fascinated", pad: [2.2, 2.04, -0.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Awed", pad: [0.72, 1.6, -1.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Overwhelmed", pad: [0.56, 1.8, -0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Curious", pad: [0.88, 2.48, -0.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Relaxed", pad: [2.72, -1.84, 0.24], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Untroubled", pad: [3.16, -0.04, 1.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Modest", pad: [1.08, -0.24, 0.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Secure", pad: [2.96, -0.52, 0.12], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Nonchalant", pad: [0.28, -1, 0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Aloof", pad: [0.64, -0.04, 1], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Leisurely", pad: [2.32, -1.28, 0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Reserved", pad: [0.04, -0.76, 0.08], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Protected", pad: [2.4, -0.88, -1.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Consoled", pad: [1.16, -0.76, -1.12], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Quiet", pad: [0.76, -1.6, -0.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Sheltered", pad: [0.56, -1.44, -1.76], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Humble", pad: [0.92, -1.12, -1.08], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Solemn", pad: [0.12, -1.28, -0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Reverent", pad: [1.24, -0.32, -1.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Astonished", pad: [0.64, 3.52, -0.6], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Disgusted", pad: [-2.4, 1.4, 0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Insolent", pad: [-1.04, 0.84, 0.8], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Cruel", pad: [-1.8, 1.92, 1.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Irritated", pad: [-2.32, 1.6, 0.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Defiant", pad: [-0.64, 2.16, 1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Hate", pad: [-2.24, 2.36, 0.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Hostile", pad: [-1.68, 2.12, 1.2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Angry", pad: [-2.04, 2.36, 1], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Mildly annoyed", pad: [-1.12, 0.68, 0.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Enraged", pad: [-1.76, 2.88, 1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Contempt", pad: [-0.92, 1.24, 0.72], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Selfish", pad: [-1.36, 0.36, 1.24], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Reprehensible", pad: [-0.36, 0.44, 0.24], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Contemptuous", pad: [-0.96, 1.24, 0.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Scornful", pad: [-1.4, 1.4, 1.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Suspicious", pad: [-1, 1.68, 0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Skeptical", pad: [-0.88, 0.84, 0.12], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Burdened with responsibility", pad: [-0.32, 1.12, 0.76], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Cold anger", pad: [-1.72, 2.68, 1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Hostile but controlled", pad: [-0.96, 1.68, 0.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Crushed", pad: [-2.76, 0.12, -2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Frustrated", pad: [-2.56, 2.08, -1.4], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Distressed", pad: [-2.44, 1.12, -1.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Insecure", pad: [-2.28, 0.56, -1.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Humiliated", pad: [-2.52, 1.72, -1.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Hungry", pad: [-1.76, 0.56, -0.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Fearful", pad: [-2.56, 2.4, -1.72], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Terrified", pad: [-2.48, 3.28, -1.72], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Embattled", pad: [-1.48, 1.6, -0.08], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Helpless", pad: [-2.84, 1.68, -2.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Troubled", pad: [-2.52, 0.64, -1.6], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Startled", pad: [-0.36, 2.6, -1.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Anguished", pad: [-2, 0.32, -0.8], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Shamed", pad: [-2.28, 0.04, -1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Displeased", pad: [-2.2, 0.64, -0.2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Embarrassed", pad: [-1.84, 2.16, -0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Upset", pad: [-2.52, 1.2, -0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Defeated", pad: [-2.44, 0.24, -1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Pain", pad: [-2.32, 1.64, -1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Quietly indignant", pad: [-1.12, 0.16, -0.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Repentant", pad: [-0.24, 0.24, -0.48], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Sinful", pad: [-1.2, 0.88, -0.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Shy", pad: [-0.6, 0.24, -1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Guilty", pad: [-2.28, 1.12, -1.36], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Weary with responsibility", pad: [-1.08, 0.08, -0.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Angry but detached", pad: [-1.68, 1.12, -0.12], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Confused", pad: [-2.12, 1.08, -1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Dissatisfied", pad: [-2, 0.2, 0.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Regretful", pad: [-2.08, 0.08, -0.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Tense", pad: [-1.32, 2.32, -0.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Disdainful", pad: [-1.28, -0.44, 0.2], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Depressed", pad: [-2.88, -1.16, -1.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Despairing", pad: [-2.88, -0.64, -1.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Lonely", pad: [-2.64, -1.72, -1.28], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Meek", pad: [-0.76, -1, -1.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Burdened", pad: [-2.64, -0.12, -1.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Timid", pad: [-0.6, -0.48, -1.88], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Bored", pad: [-2.6, -2.48, -1.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Feeble", pad: [-1.68, -0.8, -1.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Nauseated", pad: [-2.44, -0.04, -1.44], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Inhibited", pad: [-2.16, -0.16, -1.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Fatigued", pad: [-0.72, -2.28, -1.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Rejected", pad: [-2.48, -0.04, -1.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Subdued", pad: [-0.68, -1.04, -0.72], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Impotent", pad: [-2.12, -0.52, -1.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Ennui", pad: [-1.8, -1.72, -0.68], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Blase", pad: [-1.16, -2.04, -0.64], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Haughty and lonely", pad: [-1.88, -0.96, -0.52], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Listless", pad: [-1.8, -2.36, -0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Deactivated", pad: [-1.84, -1.72, -1.84], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Weary", pad: [-0.72, -1.32, -0.96], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Snobbish and lonely", pad: [-2.48, -0.76, -0.56], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Uninterested", pad: [-1.88, -2, -0.32], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Detached", pad: [-1.48, -1.04, -0.56], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Discontented", pad: [-2.12, -0.64, -1.04], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Discouraged", pad: [-2.44, -0.6, -1.16], source: RUSSELL_MEHRABIAN_SOURCE },
  { name: "Sad", pad: [-2.52, -1.08, -1.32], source: RUSSELL_MEHRABIAN_SOURCE },
];

export type PadTableId = "eodn" | "russell-mehrabian" | "combined";

/**
 * A table by id. "combined" is Table 1 followed by the R&M terms whose names Table 1 does not already use
 * (Table 1 wins on a name clash, so a known class keeps the paper's vector).
 */
export function padTable(id: PadTableId): readonly PadTerm[] {
  if (id === "eodn") return EODN_TABLE1;
  if (id === "russell-mehrabian") return RUSSELL_MEHRABIAN_151;
  const seen = new Set(EODN_TABLE1.map((t) => t.name.toLowerCase()));
  return [...EODN_TABLE1, ...RUSSELL_MEHRABIAN_151.filter((t) => !seen.has(t.name.toLowerCase()))];
}

/** A term by name (case-insensitive) in a table, or null. */
export function findPadTerm(table: readonly PadTerm[], name: string): PadTerm | null {
  const key = name.trim().toLowerCase();
  return table.find((t) => t.name.toLowerCase() === key) ?? null;
}
