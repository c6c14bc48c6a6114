// Label Studio task JSON (importable through its "Import" dialog): one task per clip, the current label as
// a completed annotation when a person reviewed it, and the active model's label as a prediction.
// Whole files use a Choices control named "emotion"; segments use a Labels region with start/end.
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { exportRows, type ExportRow } from './rows';

export interface LabelStudioOptions {
  /** Turns a clip's absolute path into the URL Label Studio loads (default: the path itself). */
  audioUrl?: (path: string) => string;
  fromName?: string;
  toName?: string;
}

function result(r: ExportRow, label: string, o: Required<Omit<LabelStudioOptions, 'audioUrl'>>) {
  const seg = r.segmentStartSec != null && r.segmentEndSec != null;
  return [
    seg
      ? { from_name: o.fromName, to_name: o.toName, type: 'labels', value: { start: r.segmentStartSec, end: r.segmentEndSec, labels: [label] } }
      : { from_name: o.fromName, to_name: o.toName, type: 'choices', value: { choices: [label] } },
  ];
}

export function labelStudioTasks(store: ProjectStore, opts: LabelStudioOptions = {}): unknown[] {
  const o = { fromName: opts.fromName ?? 'emotion', toName: opts.toName ?? 'audio' };
  const url = opts.audioUrl ?? ((p: string) => p);
  const tasks: unknown[] = [];
  for (const r of exportRows(store)) {
    const task: Record<string, unknown> = {
      id: r.id,
      data: { audio: url(r.path), name: r.name, speaker: r.speaker, import_label: r.importLabel },
    };
    const label = r.reviewed ? r.currentLabel : null;
    if (label) task.annotations = [{ result: result(r, label, o) }];
    if (r.predictedLabel && r.modelVersionId != null) {
      task.predictions = [{ model_version: String(r.modelVersionId), score: r.confidence, result: result(r, r.predictedLabel, o) }];
    }
    tasks.push(task);
  }
  return tasks;
}

export function exportLabelStudio(store: ProjectStore, target: string, opts: LabelStudioOptions = {}): number {
  const tasks = labelStudioTasks(store, opts);
  writeFileAtomic(target, [JSON.stringify(tasks, null, 1)]);
  return tasks.length;
}
