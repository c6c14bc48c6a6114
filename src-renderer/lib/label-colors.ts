// A stable colour per emotion label, so a label reads the same in every list, chart and plot.
const NAMED: Record<string, string> = {
  anger: '#ff6b6b',
  boredom: '#8d99ae',
  disgust: '#9bd36a',
  fear: '#c38bff',
  happiness: '#ffd166',
  neutral: '#a8b3c2',
  sadness: '#5aa9ff',
  surprise: '#ff9f5a',
};
const PALETTE = ['#4cc9f0', '#f72585', '#b5e48c', '#ffb703', '#8338ec', '#06d6a0', '#ef476f', '#3a86ff'];

export function labelColor(label: string | null | undefined): string {
  if (!label) return '#6b7280';
  const known = NAMED[label.toLowerCase()];
  if (known) return known;
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}
