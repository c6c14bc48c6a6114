// `eodn export --format onnx`: a model version (the active one by default) out of the studio, as two files:
//   <out>        an ONNX graph: features, mean, scale → z-scores → the detection head → softmax probabilities
//                (engine/odn/onnx-graph.ts), the head whose probabilities make every stored decision;
//   <out>.json   what the graph needs and what to do with its output: class names in output order, the
//                standardisation statistics (global and per speaker), the encoder the features must come from,
//                the triplet thresholds η/μ/δ with ε, ρ and the μ rule, the classes' PAD vectors, the version.
// Standardisation stays outside the graph's weights because the studio z-scores per speaker: each clip is
// standardised with its speaker's statistics (fitted on all of the project's clips of that speaker, when it has
// at least `minClipsPerSpeaker`), else the global ones. The graph takes them as inputs `mean` and `scale`, one row
// per clip (or one row for all); the JSON lists every speaker the version saw, and a new speaker's statistics are
// its own clips' (population) mean and standard deviation, as the studio fits an unseen speaker. Fed this way the
// graph reproduces the version's stored probabilities (tests/unit/pipeline/export-model.test.ts; docs/export-model/).
import { basename } from 'node:path';
import { encoderCacheKey, PIPELINE_VERSION } from '../engine/embed/cache-key';
import { fitZScore, Standardizer, type HeadJSON } from '../engine/odn';
import { headOnnxGraph, ONNX_HEAD_INPUTS, ONNX_HEAD_OPSET, ONNX_HEAD_OUTPUTS } from '../engine/odn/onnx-graph';
import type { Pad } from '../../shared/domain';
import { writeFileAtomic } from '../store/export';
import type { ProjectStore } from '../store/project-store';
import { loadVersion } from './model-bundle';
import { PipelineError } from './project-data';

export const ONNX_META_FORMAT = 'eodn-onnx-model/1';

/** Where the JSON beside an exported graph goes: the graph's path + `.json` (m.onnx → m.onnx.json). */
export const onnxMetaPath = (out: string): string => `${out}.json`;

export interface ZScoreStats {
  mean: number[];
  scale: number[];
}

/** The JSON written beside the graph. */
export interface OnnxModelMeta {
  format: typeof ONNX_META_FORMAT;
  /** The graph's file name (beside this JSON). */
  model: string;
  version: { id: number; name: string; createdAt: string; parentId: number | null };
  project: string;
  /** Class names in the order of the graph's outputs. */
  classes: string[];
  graph: {
    opset: number;
    inputs: Record<string, { dtype: 'float32' | 'float64'; shape: (string | number)[]; meaning: string }>;
    outputs: Record<string, { dtype: 'float32'; shape: (string | number)[]; meaning: string }>;
    /** Which of the version's heads the graph holds (the detection head: its probabilities are the stored ones). */
    head: { which: 'detection' | 'single'; hidden: number; l2: number };
  };
  encoder: {
    /** The studio's description of the encoder (`EncoderSpec`; a manifest encoder names its manifest file). */
    spec: unknown;
    /** The embedding cache's id and settings hash for it (null when the manifest cannot be read now). */
    id: string | null;
    settingsHash: string | null;
    /** The studio's feature pipeline version (embedding cache key). */
    pipelineVersion: number;
    /** Width of the pooled feature vector the graph takes. */
    dim: number;
    note: string;
  };
  standardization: {
    mode: 'global' | 'per-speaker';
    minClipsPerSpeaker: number;
    /** A standard deviation at or below this is replaced by 1 (a constant feature maps to 0). */
    minStd: number;
    global: ZScoreStats;
    /** Every speaker the version was fitted with (empty in global mode). */
    speakers: Record<string, ZScoreStats>;
    rule: string;
  };
  decision: {
    epsilon: number;
    rho: number;
    muRule: 'top1' | 'min' | 'max';
    /** η, μ, δ per class, in class order. */
    thresholds: { class: string; eta: number; mu: number; delta: number }[];
    rule: string;
  };
  pad: {
    table: string;
    method: string;
    /** F_j per class (pleasure, arousal, dominance), null where a class has none. */
    classPads: Record<string, Pad | null>;
  };
}

export interface OnnxExportResult {
  versionId: number;
  classes: string[];
  dim: number;
  onnxPath: string;
  metaPath: string;
  bytes: number;
}

const STANDARDIZATION_RULE =
  "mean/scale per clip: the clip's speaker's entry of `speakers` if there is one; else, in per-speaker mode, the " +
  "population mean and standard deviation (a standard deviation <= minStd becomes 1) over that speaker's clips when " +
  'there are at least minClipsPerSpeaker of them; else `global`. Clips without a speaker take `global`.';

const DECISION_RULE =
  'l = argmax p, s = the second largest, p1 = p[l], p2 = p[s]; mu = thresholds[l].mu (muRule top1) or the min/max ' +
  'of every class mu; accepted as classes[l] when p1 >= eta_l; unknown when p1 < mu; otherwise ambiguous-accepted ' +
  'when p1 - p2 >= delta_l, else ambiguous-unknown (E-ODN eqs. 1-3 and section 3.1).';

/** The version's graph and JSON, in memory (exportModelOnnx writes them). */
export function modelOnnx(store: ProjectStore, opts: { versionId?: number; modelFileName?: string } = {}): { onnx: Uint8Array; meta: OnnxModelMeta } {
  const id = opts.versionId ?? store.activeModelVersionId();
  if (id === null) throw new PipelineError('the project has no active model version: train one first (eodn train <project>), or activate one');
  const v = store.getModelVersion(id);
  const { bundle, settings, thresholds } = loadVersion(v);
  const head: HeadJSON = bundle.detectorHead ?? bundle.head;
  if (head.nClasses !== v.classes.length) throw new PipelineError(`model version ${id} has ${v.classes.length} classes but its head ${head.nClasses} outputs`);
  const std = Standardizer.fromJSON(bundle.standardizer);
  if (bundle.standardizer.global.mean.length !== head.nFeatures) throw new PipelineError(`model version ${id}: the standardizer has ${bundle.standardizer.global.mean.length} features, the head ${head.nFeatures}`);
  const classes = [...v.classes];
  const D = head.nFeatures;
  const C = classes.length;

  let key: { encoderId: string; settingsHash: string } | null = null;
  try {
    key = encoderCacheKey(bundle.encoder);
  } catch {
    key = null; // a manifest encoder whose manifest is not there any more: its spec still names it
  }
  const info = store.info();
  const onnx = headOnnxGraph(head, {
    name: `eodn-v${id}`,
    doc: `E-ODN Studio model version ${id} (${v.name}) of project ${info.name}: standardisation → detection head → softmax. See the JSON beside this file.`,
    metadata: { 'eodn.version': String(id), 'eodn.classes': JSON.stringify(classes), 'eodn.meta': ONNX_META_FORMAT },
  });
  const I = ONNX_HEAD_INPUTS;
  const O = ONNX_HEAD_OUTPUTS;
  const meta: OnnxModelMeta = {
    format: ONNX_META_FORMAT,
    model: opts.modelFileName ?? 'model.onnx',
    version: { id, name: v.name, createdAt: v.createdAt, parentId: v.parentId },
    project: info.name,
    classes,
    graph: {
      opset: ONNX_HEAD_OPSET,
      inputs: {
        [I.features]: { dtype: 'float32', shape: ['N', D], meaning: 'pooled embeddings from `encoder`, one row per clip' },
        [I.mean]: { dtype: 'float64', shape: ['N or 1', D], meaning: 'z-score means per clip (see standardization.rule)' },
        [I.scale]: { dtype: 'float64', shape: ['N or 1', D], meaning: 'z-score standard deviations per clip (see standardization.rule)' },
      },
      outputs: {
        [O.probabilities]: { dtype: 'float32', shape: ['N', C], meaning: 'softmax probabilities in `classes` order: the studio stores these' },
        [O.logits]: { dtype: 'float32', shape: ['N', C], meaning: 'pre-softmax outputs' },
        [O.standardized]: { dtype: 'float32', shape: ['N', D], meaning: 'the z-scored features the head reads' },
      },
      head: { which: bundle.detectorHead ? 'detection' : 'single', hidden: head.settings.hidden, l2: head.settings.l2 },
    },
    encoder: {
      spec: bundle.encoder,
      id: key?.encoderId ?? null,
      settingsHash: key?.settingsHash ?? null,
      pipelineVersion: PIPELINE_VERSION,
      dim: D,
      note:
        'features must come from this encoder with these settings: `eodn embed <audio> --out emb.jsonl` (with --encoder as in spec) writes them, ' +
        'and the embedding cache of the project holds them under id + settingsHash',
    },
    standardization: {
      mode: std.mode,
      minClipsPerSpeaker: std.minClipsPerSpeaker,
      minStd: 1e-8,
      global: bundle.standardizer.global,
      speakers: bundle.standardizer.speakers,
      rule: STANDARDIZATION_RULE,
    },
    decision: {
      epsilon: thresholds.epsilon,
      rho: thresholds.rho,
      muRule: settings.muRule ?? 'top1',
      thresholds: thresholds.classes.map((t, i) => ({ class: classes[i], eta: t.eta, mu: t.mu, delta: t.delta })),
      rule: DECISION_RULE,
    },
    pad: {
      table: settings.padTable,
      method: settings.padMethod,
      classPads: Object.fromEntries(classes.map((c, i) => [c, bundle.classPads[i] ?? null])),
    },
  };
  return { onnx, meta };
}

/** Writes the version's graph to `out` and its JSON to `onnxMetaPath(out)`, each whole or not at all. */
export function exportModelOnnx(store: ProjectStore, out: string, opts: { versionId?: number } = {}): OnnxExportResult {
  const name = basename(out);
  const { onnx, meta } = modelOnnx(store, { ...opts, modelFileName: name });
  const metaPath = onnxMetaPath(out);
  writeFileAtomic(out, [onnx]);
  writeFileAtomic(metaPath, [JSON.stringify(meta, null, 2), '\n']);
  return { versionId: meta.version.id, classes: meta.classes, dim: meta.encoder.dim, onnxPath: out, metaPath, bytes: onnx.byteLength };
}

/**
 * mean/scale rows for clips by speaker, by the JSON's rule (the studio's `Standardizer.transform`): the speaker's
 * statistics from the export, else (per-speaker mode) fitted on that speaker's rows in `features`, else global.
 */
export function standardizationInputs(meta: OnnxModelMeta, features: readonly Float32Array[], speakers: readonly (string | null)[]): { mean: Float64Array; scale: Float64Array } {
  const st = meta.standardization;
  const D = st.global.mean.length;
  const mean = new Float64Array(features.length * D);
  const scale = new Float64Array(features.length * D);
  const fitted = new Map<string, ZScoreStats>();
  const statsFor = (spk: string | null): ZScoreStats => {
    if (spk === null || st.mode === 'global') return st.global;
    const known = st.speakers[spk] ?? fitted.get(spk);
    if (known) return known;
    const own = features.filter((_, i) => speakers[i] === spk);
    const s = own.length >= st.minClipsPerSpeaker ? fitZScore(own, st.minStd) : st.global;
    fitted.set(spk, s);
    return s;
  };
  features.forEach((x, i) => {
    if (x.length !== D) throw new PipelineError(`row ${i} has ${x.length} features, the model takes ${D}`);
    const s = statsFor(speakers[i]);
    mean.set(s.mean, i * D);
    scale.set(s.scale, i * D);
  });
  return { mean, scale };
}
