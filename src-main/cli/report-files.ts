// Where a command's report files go (--json, --table, --svg): the folder is made, the path said on stderr so
// that stdout stays the report itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function writeReportFile(file: string, text: string): void {
  const abs = resolve(file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  process.stderr.write(`wrote ${abs}\n`);
}
