// eodn import / export / check / backup: the project store from the command line.
import type { CAC } from 'cac';
import fs from 'node:fs';
import path from 'node:path';
import { backupProject } from '../../store/backup';
import { checkProject } from '../../store/check';
import { exportCsv, exportEaf, exportHfAudiofolder, exportJsonl, exportLabelStudio, exportTextGrids, labelStudioConfigPath } from '../../store/export';
import { exportModelOnnx } from '../../pipeline/export-model';
import { describeAdded, importAndSplit } from '../../pipeline/import-and-split';
import { resolveSource } from '../../store/import';
import { ProjectStore } from '../../store/project-store';
import { progressBar } from '../progress';
import { stopOnSignals } from '../stop-signals';

const EXPORT_FORMATS = ['csv', 'jsonl', 'label-studio', 'hf-audiofolder', 'textgrid', 'eaf', 'onnx'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Opens an existing project; commands that only read open it read-only (it may sit on a read-only share). */
function openExisting(project: string, opts: { readonly?: boolean } = {}): ProjectStore {
  if (!fs.existsSync(project)) throw new Error(`no project file at ${project}`);
  return ProjectStore.open(project, { readonly: opts.readonly });
}

export function registerStoreCommands(cli: CAC): void {
  cli
    .command('import <project> <source>', 'Import a dataset (folder per class, manifest CSV/JSONL (eodn exports included), EmoDB/RAVDESS naming, Hugging Face audiofolder, Label Studio JSON export, or unlabelled folder) into a project, creating it if needed')
    .option('--name <name>', 'Project name when the project is created (default: the file name)')
    .option('--local-files-root <dir>', "Label Studio's LOCAL_FILES_DOCUMENT_ROOT, for tasks whose audio is /data/local-files/?d=… (default: the one `eodn export` stored)")
    .example('eodn import lab.eodn ../shared/data/emodb')
    .example('eodn import lab.eodn label-studio-export.json --local-files-root /srv/audio')
    .action(async (project: string, source: string, opts: { name?: string; localFilesRoot?: string }) => {
      const file = path.resolve(project);
      // A bad source fails here, before any project file exists.
      const resolved = resolveSource(path.resolve(source), { localFilesRoot: opts.localFilesRoot ? path.resolve(opts.localFilesRoot) : undefined });
      const store = fs.existsSync(file) ? ProjectStore.open(file) : ProjectStore.create(file, { name: opts.name ?? path.basename(file, path.extname(file)) });
      // A job record, as the studio's import keeps: the studio then shows how this import ended.
      const jobId = store.createJob('import', { source: path.resolve(source) }, resolved.entries.length).id;
      store.updateJob(jobId, { state: 'running', message: 'importing from the command line' });
      const endJob = (u: Parameters<ProjectStore['updateJob']>[1]) => {
        if (store.db.open && store.getJob(jobId).state === 'running') store.updateJob(jobId, u);
      };
      const bar = progressBar('import');
      const controller = new AbortController();
      // Ctrl-C / kill: stop between files; if the current file takes too long, end anyway with the job marked.
      const stop = stopOnSignals(controller, () => {
        bar.stop();
        endJob({ state: 'cancelled', message: `cancelled (${stop.received}); run again to finish` });
        store.close();
        console.error(`eodn import: stopped by ${stop.received}; the clips committed so far are kept, run again to finish`);
      });
      try {
        const t0 = Date.now();
        const splitBar = progressBar('utterances');
        const done = await importAndSplit(store, resolved.source, {
          signal: controller.signal,
          onImportProgress: (p) => bar.update(p.done, p.total, path.basename(p.file)),
          onSplitProgress: (p) => {
            bar.stop();
            splitBar.update(p.done, p.total, path.basename(p.file));
          },
        }).finally(() => splitBar.stop());
        bar.stop();
        const { imported: report, split, cancelled } = done;
        const summary = `${report.kind}: ${report.total} files, ${describeAdded(done)}, ${report.skippedDuplicates} already in the project, ${report.errors.length} errors${report.skipped.length ? `, ${report.skipped.length} not imported` : ''}`;
        console.log(`${summary} (${((Date.now() - t0) / 1000).toFixed(1)} s)${cancelled ? ' — cancelled; run again to finish' : ''}`);
        for (const e of report.errors) console.log(`  ${e.file}: ${e.reason}`);
        for (const k of split.kept) console.log(`  ${k.file}: ${k.reason}`);
        for (const s of report.skipped) console.log(`  ${s.file}: not imported: ${s.reason}`);
        for (const w of report.warnings) console.log(`  warning: ${w}`);
        endJob({ state: cancelled ? 'cancelled' : 'done', done: report.total, total: report.total, message: summary });
        const info = store.info();
        console.log(`${info.name}: ${info.clipCount} clips, ${info.classes.length} classes, ${info.speakers.length} speakers → ${file}`);
        if (stop.received) process.exitCode = stop.exitCode;
        else if (report.errors.length || cancelled) process.exitCode = 1;
      } catch (e) {
        endJob({ state: 'failed', message: 'failed', error: (e as Error).message });
        throw e;
      } finally {
        stop.dispose();
        bar.stop();
        store.close();
      }
    });

  cli
    .command('export <project>', `Export clips and their current labels (${EXPORT_FORMATS.join(', ')}; onnx: the active model version)`)
    .option('--format <format>', 'Output format', { default: 'csv' })
    .option('--out <path>', 'Output file (csv, jsonl, label-studio, onnx: the graph, its JSON beside it as <out>.json) or folder (hf-audiofolder, textgrid, eaf)')
    .option('--audio-url-prefix <url>', 'label-studio: data.audio = this URL prefix + the clip path relative to --audio-root')
    .option('--audio-root <dir>', 'label-studio: the folder --audio-url-prefix serves (default: the common folder of the clips)')
    .option('--local-files-root <dir>', "label-studio: Label Studio's LOCAL_FILES_DOCUMENT_ROOT; data.audio = /data/local-files/?d=<path relative to it>")
    .example('eodn export lab.eodn --format label-studio --out tasks.json --local-files-root /srv/audio')
    .action(async (project: string, opts: { format: string; out?: string; audioUrlPrefix?: string; audioRoot?: string; localFilesRoot?: string }) => {
      if (!EXPORT_FORMATS.includes(opts.format as ExportFormat)) throw new Error(`unknown format "${opts.format}": one of ${EXPORT_FORMATS.join(', ')}`);
      if (!opts.out) throw new Error('--out is required');
      const out = path.resolve(opts.out);
      const store = openExisting(project, { readonly: true });
      try {
        const format = opts.format as ExportFormat;
        if (format === 'csv') console.log(`${exportCsv(store, out)} rows → ${out}`);
        else if (format === 'jsonl') console.log(`${exportJsonl(store, out)} rows → ${out}`);
        else if (format === 'label-studio') {
          if (opts.audioUrlPrefix != null && opts.localFilesRoot != null) throw new Error('give --audio-url-prefix or --local-files-root, not both');
          if (opts.audioRoot != null && opts.audioUrlPrefix == null) throw new Error('--audio-root goes with --audio-url-prefix');
          if (opts.audioUrlPrefix == null && opts.localFilesRoot == null) {
            console.warn(
              'eodn export: warning: data.audio will be each clip\'s absolute path, which Label Studio does not serve (it loads audio by URL): ' +
                'an import of these tasks shows no audio. Give --audio-url-prefix <url> (with --audio-root <dir>) or --local-files-root <dir>.',
            );
          }
          const n = exportLabelStudio(store, out, {
            audioUrlPrefix: opts.audioUrlPrefix != null ? String(opts.audioUrlPrefix) : undefined,
            audioRoot: opts.audioRoot != null ? path.resolve(String(opts.audioRoot)) : undefined,
            localFilesRoot: opts.localFilesRoot != null ? path.resolve(String(opts.localFilesRoot)) : undefined,
          });
          console.log(`${n} tasks → ${out}; labeling config → ${labelStudioConfigPath(out)}`);
        }
        else if (format === 'textgrid') console.log(`${exportTextGrids(store, out).length} TextGrids (one per recording; which is which: index.csv) → ${out}`);
        else if (format === 'eaf') console.log(`${exportEaf(store, out).length} ELAN documents (one per recording; which is which: index.csv) → ${out}`);
        else if (format === 'onnx') {
          const r = exportModelOnnx(store, out);
          console.log(`model version ${r.versionId} (${r.classes.length} classes, ${r.dim} features) → ${r.onnxPath}; classes, thresholds, standardisation → ${r.metaPath}`);
        }
        else {
          const r = await exportHfAudiofolder(store, out);
          console.log(`Hugging Face audiofolder → ${out}: ${JSON.stringify(r)}`);
        }
      } finally {
        store.close();
      }
    });

  cli.command('check <project>', "Check a project file: SQLite integrity_check plus the store's own invariants").action((project: string) => {
    const report = checkProject(path.resolve(project));
    console.log(`schema version ${report.version}: ${report.ok ? 'ok' : 'PROBLEMS'}`);
    for (const line of [...report.integrity, ...report.problems]) console.log(`  ${line}`);
    if (!report.ok) process.exitCode = 1;
  });

  cli.command('backup <project> <target>', "Copy a project with SQLite's online backup (safe while the studio has it open)").action(async (project: string, target: string) => {
    const store = openExisting(project, { readonly: true });
    try {
      await backupProject(store, path.resolve(target));
      console.log(`backup → ${path.resolve(target)}`);
    } finally {
      store.close();
    }
  });
}
