// Common emotion class names → the name of a PAD table term (see pad-tables.ts).
// No Node or DOM imports: used by the engine and the renderer alike.

const NAME_TO_TERM: Readonly<Record<string, string>> = {
  anger: 'Anger',
  angry: 'Anger',
  fear: 'Fearful',
  fearful: 'Fearful',
  boredom: 'Boring',
  bored: 'Boring',
  disgust: 'Disgusted',
  disgusted: 'Disgusted',
  happiness: 'Happy',
  happy: 'Happy',
  sadness: 'Sad',
  sad: 'Sad',
  surprise: 'Surprise',
  surprised: 'Surprise',
  calm: 'Relaxed',
  neutral: 'Neutral',
};

/** The PAD table term for a class name (case-insensitive, trimmed), or null for a name it does not know. */
export function padTermNameFor(className: string): string | null {
  return NAME_TO_TERM[className.trim().toLowerCase()] ?? null;
}
