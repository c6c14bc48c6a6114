// Reading a Praat TextGrid (long or short text format, as Praat and `eodn export --format textgrid` write them):
// its tiers, each with its intervals (IntervalTier) or points (TextTier). Praat's own text reader goes by tokens
// — a free-standing number, a "quoted string" ("" inside for a quote), a <flag> — and ignores the rest (the
// long format's `xmin =`, `item [1]:`); so does this one. A file that does not read as a TextGrid fails with
// the reason.

export class TextGridError extends Error {
  constructor(message: string) {
    super(`not a readable TextGrid: ${message}`);
    this.name = 'TextGridError';
  }
}

export interface TextGridInterval {
  xmin: number;
  xmax: number;
  text: string;
}

export interface TextGridTier {
  name: string;
  kind: 'interval' | 'point';
  xmin: number;
  xmax: number;
  /** IntervalTier: its intervals; TextTier: its points as xmin = xmax = the time. */
  intervals: TextGridInterval[];
}

export interface TextGrid {
  xmin: number;
  xmax: number;
  tiers: TextGridTier[];
}

type Token = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'flag'; value: string };

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new TextGridError('a quoted string is never closed');
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ kind: 'string', value: v });
      continue;
    }
    if (ch === '<') {
      const end = src.indexOf('>', i);
      if (end < 0) throw new TextGridError('a <flag> is never closed');
      out.push({ kind: 'flag', value: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (ch === '!') {
      // A comment to the end of the line.
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    // A word: a number when it stands free (whitespace on both sides), else text to ignore.
    let j = i;
    while (j < src.length && !/\s/.test(src[j]) && src[j] !== '"' && src[j] !== '<') j++;
    if (j === i) {
      i++;
      continue;
    }
    const word = src.slice(i, j);
    const before = i === 0 || /\s/.test(src[i - 1]);
    if (before && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(word)) out.push({ kind: 'number', value: Number(word) });
    i = j;
  }
  return out;
}

export function parseTextGrid(text: string): TextGrid {
  const t = tokens(text);
  let k = 0;
  function next(kind: 'number', what: string): number;
  function next(kind: 'string' | 'flag', what: string): string;
  function next(kind: Token['kind'], what: string): string | number {
    const tok = t[k++];
    if (!tok || tok.kind !== kind) throw new TextGridError(`expected ${what} (token ${k})${tok ? `, found ${tok.kind} ${JSON.stringify(tok.value)}` : ', found the end of the file'}`);
    return tok.value;
  }
  if (next('string', 'the file type') !== 'ooTextFile') throw new TextGridError('the file type is not "ooTextFile"');
  if (next('string', 'the object class') !== 'TextGrid') throw new TextGridError('the object class is not "TextGrid"');
  const xmin = next('number', 'xmin');
  const xmax = next('number', 'xmax');
  const exists = next('flag', '<exists> or <absent>');
  const tiers: TextGridTier[] = [];
  if (exists === 'exists') {
    const size = next('number', 'the number of tiers');
    for (let n = 0; n < size; n++) {
      const cls = next('string', 'a tier class');
      if (cls !== 'IntervalTier' && cls !== 'TextTier') throw new TextGridError(`unknown tier class "${cls}"`);
      const name = next('string', 'a tier name');
      const tmin = next('number', 'a tier xmin');
      const tmax = next('number', 'a tier xmax');
      const count = next('number', 'a tier size');
      const intervals: TextGridInterval[] = [];
      for (let i = 0; i < count; i++) {
        if (cls === 'IntervalTier') {
          const a = next('number', 'an interval xmin');
          const b = next('number', 'an interval xmax');
          intervals.push({ xmin: a, xmax: b, text: next('string', 'an interval text') });
        } else {
          const time = next('number', 'a point time');
          intervals.push({ xmin: time, xmax: time, text: next('string', 'a point mark') });
        }
      }
      tiers.push({ name, kind: cls === 'IntervalTier' ? 'interval' : 'point', xmin: tmin, xmax: tmax, intervals });
    }
  } else if (exists !== 'absent') throw new TextGridError(`expected <exists> or <absent>, found <${exists}>`);
  return { xmin, xmax, tiers };
}
