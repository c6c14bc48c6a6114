// A small RFC 4180 CSV reader: quoted fields with "" escapes and line breaks inside quotes, CRLF or LF,
// a leading BOM. Hostile input fails with a line number instead of eating memory or guessing.

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /** Longest record accepted, in characters (quoted line breaks included). */
  maxRecordLength?: number;
  delimiter?: string;
}

export function parseCsv(text: string, opts: CsvOptions = {}): CsvRecord[] {
  const max = opts.maxRecordLength ?? 64 * 1024;
  const delim = opts.delimiter ?? ',';
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  let i = 0;
  let quoted = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  while (i < src.length) {
    if (i - recordStart > max) throw new CsvError(recordLine, `record longer than ${max} characters`);
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '' || afterQuote) throw new CsvError(line, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
      quoted = true;
    } else if (ch === delim) {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
      recordStart = i + 1;
    } else {
      if (afterQuote) throw new CsvError(line, 'text after a closing quote');
      field += ch;
    }
    i++;
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is never closed');
  if (field !== '' || fields.length) endRecord();
  return out;
}

/** Quotes a field for writing when it needs it. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\n';
}
