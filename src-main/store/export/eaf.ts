// ELAN annotation documents (.eaf, EAF 3.0): one per source recording, with the same tiers as the TextGrid
// export (tiers.ts): each clip with a text on a tier an ALIGNABLE_ANNOTATION between two TIME_SLOTs (milliseconds), the
// recording linked as the document's MEDIA_DESCRIPTOR (absolute file URL, and relative to the .eaf). Named and
// indexed as the TextGrids are.
import { mkdirSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { indexCsv, INDEX_FILE, outputFolder, outputNames, recordingTiers, type RecordingTiers } from './tiers';

const MIME: Record<string, string> = { '.wav': 'audio/x-wav', '.mp3': 'audio/mpeg', '.flac': 'audio/flac', '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.opus': 'audio/ogg', '.aif': 'audio/aiff', '.aiff': 'audio/aiff', '.aifc': 'audio/aiff' };

/** XML text or attribute value (characters XML 1.0 forbids are dropped). */
const x = (s: string) =>
  s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** EAF text for one recording; `eafFile` (where it will lie) makes the media's relative URL. */
export function eafDocument(rec: RecordingTiers, eafFile: string, date = new Date()): string {
  // Two time slots per annotation (as ELAN itself writes them), listed in time order.
  const slots: { ms: number; id: string }[] = [];
  const slot = (sec: number) => {
    const s = { ms: Math.round(sec * 1000), id: '' };
    slots.push(s);
    return s;
  };
  const tiers = rec.tiers.map((t) => ({
    name: t.name,
    spans: t.intervals.filter((iv) => iv.text !== '' && Math.round(iv.xmax * 1000) > Math.round(iv.xmin * 1000)).map((iv) => ({ from: slot(iv.xmin), to: slot(iv.xmax), text: iv.text })),
  }));
  const ordered = slots.map((s, i) => ({ s, i })).sort((a, b) => a.s.ms - b.s.ms || a.i - b.i);
  ordered.forEach(({ s }, k) => (s.id = `ts${k + 1}`));
  let annotationId = 0;
  const relPath = relative(dirname(eafFile), rec.path).split(sep).map(encodeURIComponent).join('/');
  const rel = relPath.startsWith('../') ? relPath : `./${relPath}`; // as ELAN writes it
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ANNOTATION_DOCUMENT AUTHOR="E-ODN Studio" DATE="${date.toISOString()}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
    '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">',
    `        <MEDIA_DESCRIPTOR MEDIA_URL="${x(pathToFileURL(rec.path).href)}" MIME_TYPE="${MIME[extname(rec.path).toLowerCase()] ?? 'audio/*'}" RELATIVE_MEDIA_URL="${x(rel)}"/>`,
    `        <PROPERTY NAME="lastUsedAnnotationId">${tiers.reduce((n, t) => n + t.spans.length, 0)}</PROPERTY>`,
    '    </HEADER>',
    '    <TIME_ORDER>',
    ...ordered.map(({ s }) => `        <TIME_SLOT TIME_SLOT_ID="${s.id}" TIME_VALUE="${s.ms}"/>`),
    '    </TIME_ORDER>',
  ];
  for (const t of tiers) {
    out.push(`    <TIER LINGUISTIC_TYPE_REF="emotion" TIER_ID="${x(t.name)}">`);
    for (const s of t.spans) {
      out.push(
        '        <ANNOTATION>',
        `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a${++annotationId}" TIME_SLOT_REF1="${s.from.id}" TIME_SLOT_REF2="${s.to.id}">`,
        `                <ANNOTATION_VALUE>${x(s.text)}</ANNOTATION_VALUE>`,
        '            </ALIGNABLE_ANNOTATION>',
        '        </ANNOTATION>',
      );
    }
    out.push('    </TIER>');
  }
  out.push('    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="emotion" TIME_ALIGNABLE="true"/>', '</ANNOTATION_DOCUMENT>', '');
  return out.join('\n');
}

/** Writes one <name>.eaf per recording under `folder`, and index.csv; returns the documents written. */
export function exportEaf(store: ProjectStore, folder: string): string[] {
  const recs = recordingTiers(store);
  const names = outputNames(recs.map((r) => r.path));
  outputFolder(folder);
  const written: string[] = [];
  const index: { file: string; rec: RecordingTiers }[] = [];
  const date = new Date();
  for (const rec of recs) {
    const file = `${names.get(rec.path)!}.eaf`;
    const target = join(folder, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, [eafDocument(rec, target, date)]);
    written.push(target);
    index.push({ file, rec });
  }
  writeFileAtomic(join(folder, INDEX_FILE), indexCsv(index));
  return written;
}
