// The classifier head: softmax regression, or one ReLU hidden layer (MLP), trained with Adam on a
// class-balanced cross-entropy with L2. Settings live in the constructor; learned state (trailing
// underscore) is explicit and serialises to plain number arrays, stored as a model version.
// The output layer's column c (W_[i*C + c] over i, with b_[c]) is the class-c weight vector w_c of eq. 6.

import { makeRng, shuffleInPlace } from './rng';
import { classCount, columnCount, softmax, type Labels, type Rows } from './rows';

export interface HeadSettings {
  /** Hidden units; 0 gives softmax regression. */
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on weights (not biases): loss += l2/2 · ‖W‖². */
  l2: number;
  /** 'balanced': class c weighs n / (C · n_c), so rare classes count as much as common ones. */
  classWeight: 'balanced' | 'none';
  seed: number;
  beta1: number;
  beta2: number;
  adamEpsilon: number;
}

export const DEFAULT_HEAD_SETTINGS: HeadSettings = {
  hidden: 0,
  epochs: 150,
  batchSize: 32,
  learningRate: 0.01,
  l2: 1e-3,
  classWeight: 'balanced',
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
  adamEpsilon: 1e-8,
};

export interface FitOptions {
  /** Number of output classes; defaults to max(label) + 1. Ignored on a warm start (the head's own count). */
  nClasses?: number;
  /** Continue from the current weights instead of a fresh seeded initialisation (fine-tuning). */
  warmStart?: boolean;
  /** Epochs for this call (defaults to settings.epochs). */
  epochs?: number;
  /** Learning-rate multiplier per output column (length C): lets new class columns learn faster. */
  columnLrScale?: ArrayLike<number>;
  /** Learning-rate multiplier of the hidden layer; 0 freezes it. */
  hiddenLrScale?: number;
  /** Extra per-sample weights, multiplied with the class weights. */
  sampleWeight?: ArrayLike<number>;
  onEpoch?: (epoch: number, loss: number, accuracy: number) => void;
  /** Checked once per mini-batch; true stops training, keeping the weights reached so far. */
  shouldAbort?: () => boolean;
}

export interface FitReport {
  epochs: number;
  aborted: boolean;
  /** Mean weighted cross-entropy + L2 term over the last epoch. */
  loss: number;
  /** Training accuracy over the last epoch (as seen during the epoch's mini-batches). */
  accuracy: number;
}

export interface HeadJSON {
  format: 'eodn-head/1';
  settings: HeadSettings;
  nFeatures: number;
  nClasses: number;
  W1: number[];
  b1: number[];
  W: number[];
  b: number[];
}

export class Head {
  readonly settings: HeadSettings;
  nFeatures_ = 0;
  nClasses_ = 0;
  /** Hidden layer, row-major nFeatures × hidden (empty without a hidden layer). */
  W1_: Float64Array = new Float64Array(0);
  b1_: Float64Array = new Float64Array(0);
  /** Output layer, row-major nIn × nClasses, nIn = hidden or nFeatures. */
  W_: Float64Array = new Float64Array(0);
  b_: Float64Array = new Float64Array(0);

  constructor(settings: Partial<HeadSettings> = {}) {
    this.settings = { ...DEFAULT_HEAD_SETTINGS, ...settings };
    if (this.settings.hidden < 0 || !Number.isInteger(this.settings.hidden)) throw new Error('hidden must be an integer ≥ 0');
  }

  get fitted(): boolean {
    return this.nClasses_ > 0;
  }

  /** Width of the layer feeding the output layer. */
  get nIn(): number {
    return this.settings.hidden > 0 ? this.settings.hidden : this.nFeatures_;
  }

  /** Seeded Glorot-uniform initialisation for d inputs and C classes. */
  initialize(d: number, C: number): void {
    const rng = makeRng(this.settings.seed);
    const h = this.settings.hidden;
    this.nFeatures_ = d;
    this.nClasses_ = C;
    const glorot = (fanIn: number, fanOut: number, n: number) => {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = (2 * rng() - 1) * a;
      return w;
    };
    if (h > 0) {
      this.W1_ = glorot(d, h, d * h);
      this.b1_ = new Float64Array(h);
    } else {
      this.W1_ = new Float64Array(0);
      this.b1_ = new Float64Array(0);
    }
    this.W_ = glorot(this.nIn, C, this.nIn * C);
    this.b_ = new Float64Array(C);
  }

  fit(X: Rows, y: Labels, opts: FitOptions = {}): FitReport {
    const n = X.length;
    if (n === 0) throw new Error('no training rows');
    if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
    const d = columnCount(X);
    if (opts.warmStart && this.fitted) {
      if (d !== this.nFeatures_) throw new Error(`warm start with ${d} features, head has ${this.nFeatures_}`);
      classCount(y, this.nClasses_);
    } else {
      this.initialize(d, classCount(y, opts.nClasses));
    }
    const C = this.nClasses_;
    const h = this.settings.hidden;
    const nIn = this.nIn;
    const s = this.settings;

    // Per-sample weights: class balance × optional caller weights.
    const counts = new Float64Array(C);
    for (let i = 0; i < n; i++) counts[y[i]]++;
    const present = counts.reduce((a, c) => a + (c > 0 ? 1 : 0), 0);
    const sw = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const cw = s.classWeight === 'balanced' ? n / (present * counts[y[i]]) : 1;
      sw[i] = cw * (opts.sampleWeight ? opts.sampleWeight[i] : 1);
    }
    const colLr = new Float64Array(C).fill(1);
    if (opts.columnLrScale) {
      if (opts.columnLrScale.length !== C) throw new Error(`columnLrScale has ${opts.columnLrScale.length} entries, head has ${C} classes`);
      for (let c = 0; c < C; c++) colLr[c] = opts.columnLrScale[c];
    }
    const hidLr = opts.hiddenLrScale ?? 1;

    // Adam state, fresh for each call.
    const mW = new Float64Array(this.W_.length), vW = new Float64Array(this.W_.length);
    const mb = new Float64Array(C), vb = new Float64Array(C);
    const mW1 = new Float64Array(this.W1_.length), vW1 = new Float64Array(this.W1_.length);
    const mb1 = new Float64Array(h), vb1 = new Float64Array(h);
    const gW = new Float64Array(this.W_.length), gb = new Float64Array(C);
    const gW1 = new Float64Array(this.W1_.length), gb1 = new Float64Array(h);
    const a = new Float64Array(nIn);
    const z = new Float64Array(C);
    const ga = new Float64Array(h);
    let t = 0;

    const rng = makeRng(s.seed ^ 0x9e3779b9);
    const order = Array.from({ length: n }, (_, i) => i);
    const epochs = opts.epochs ?? s.epochs;
    let report: FitReport = { epochs: 0, aborted: false, loss: NaN, accuracy: NaN };

    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < n; start += s.batchSize) {
        if (opts.shouldAbort?.()) return { ...report, aborted: true };
        const end = Math.min(n, start + s.batchSize);
        const B = end - start;
        gW.fill(0);
        gb.fill(0);
        if (h > 0) {
          gW1.fill(0);
          gb1.fill(0);
        }
        for (let bi = start; bi < end; bi++) {
          const i = order[bi];
          const x = X[i];
          this.forwardOne(x, a, z);
          const p = softmaxInPlace(z);
          const yi = y[i];
          lossSum += -sw[i] * Math.log(Math.max(p[yi], 1e-300));
          let am = 0;
          for (let c = 1; c < C; c++) if (p[c] > p[am]) am = c;
          if (am === yi) correct++;
          // dL/dz = w · (p − onehot) / B
          for (let c = 0; c < C; c++) p[c] = (sw[i] * (p[c] - (c === yi ? 1 : 0))) / B;
          for (let k = 0; k < nIn; k++) {
            const ak = a[k];
            if (ak === 0) continue;
            const row = k * C;
            for (let c = 0; c < C; c++) gW[row + c] += ak * p[c];
          }
          for (let c = 0; c < C; c++) gb[c] += p[c];
          if (h > 0 && hidLr !== 0) {
            for (let k = 0; k < h; k++) {
              if (a[k] <= 0) {
                ga[k] = 0;
                continue;
              }
              let g = 0;
              const row = k * C;
              for (let c = 0; c < C; c++) g += this.W_[row + c] * p[c];
              ga[k] = g;
              gb1[k] += g;
            }
            for (let j = 0; j < d; j++) {
              const xj = x[j];
              if (xj === 0) continue;
              const row = j * h;
              for (let k = 0; k < h; k++) gW1[row + k] += xj * ga[k];
            }
          }
        }
        t++;
        const bc1 = 1 - Math.pow(s.beta1, t);
        const bc2 = 1 - Math.pow(s.beta2, t);
        // Output layer, per-column learning rate.
        for (let k = 0; k < nIn; k++) {
          const row = k * C;
          for (let c = 0; c < C; c++) {
            const idx = row + c;
            const g = gW[idx] + s.l2 * this.W_[idx];
            this.W_[idx] -= adamStep(mW, vW, idx, g, s, bc1, bc2) * colLr[c];
          }
        }
        for (let c = 0; c < C; c++) this.b_[c] -= adamStep(mb, vb, c, gb[c], s, bc1, bc2) * colLr[c];
        if (h > 0 && hidLr !== 0) {
          for (let idx = 0; idx < this.W1_.length; idx++) {
            const g = gW1[idx] + s.l2 * this.W1_[idx];
            this.W1_[idx] -= adamStep(mW1, vW1, idx, g, s, bc1, bc2) * hidLr;
          }
          for (let k = 0; k < h; k++) this.b1_[k] -= adamStep(mb1, vb1, k, gb1[k], s, bc1, bc2) * hidLr;
        }
      }
      const loss = lossSum / n + (s.l2 / 2) * (sumSq(this.W_) + sumSq(this.W1_));
      const accuracy = correct / n;
      report = { epochs: epoch + 1, aborted: false, loss, accuracy };
      opts.onEpoch?.(epoch + 1, loss, accuracy);
    }
    return report;
  }

  /** The activation vectors feeding the output layer (the features themselves without a hidden layer). */
  hiddenActivations(X: Rows): Float64Array[] {
    this.assertFitted(X);
    return X.map((x) => {
      const a = new Float64Array(this.nIn);
      this.hiddenOne(x, a);
      return a;
    });
  }

  /** Pre-softmax outputs (OpenMax's activation vectors). */
  logits(X: Rows): Float64Array[] {
    this.assertFitted(X);
    const a = new Float64Array(this.nIn);
    return X.map((x) => {
      const z = new Float64Array(this.nClasses_);
      this.forwardOne(x, a, z);
      return z;
    });
  }

  predictProba(X: Rows): Float64Array[] {
    return this.logits(X).map((z) => softmax(z));
  }

  predict(X: Rows): Int32Array {
    const P = this.predictProba(X);
    const out = new Int32Array(P.length);
    P.forEach((p, i) => {
      let am = 0;
      for (let c = 1; c < p.length; c++) if (p[c] > p[am]) am = c;
      out[i] = am;
    });
    return out;
  }

  /** Output weight column w_c (length nIn) and its bias. */
  outputColumn(c: number): { w: Float64Array; b: number } {
    if (c < 0 || c >= this.nClasses_) throw new Error(`no class column ${c}`);
    const C = this.nClasses_;
    const w = new Float64Array(this.nIn);
    for (let k = 0; k < w.length; k++) w[k] = this.W_[k * C + c];
    return { w, b: this.b_[c] };
  }

  /** A copy with extra output columns appended (the hidden layer is copied unchanged). */
  withExtraColumns(columns: readonly { w: ArrayLike<number>; b: number }[]): Head {
    if (!this.fitted) throw new Error('Head is not fitted');
    const C = this.nClasses_;
    const C2 = C + columns.length;
    const nIn = this.nIn;
    const out = this.clone();
    out.nClasses_ = C2;
    out.W_ = new Float64Array(nIn * C2);
    out.b_ = new Float64Array(C2);
    for (let k = 0; k < nIn; k++) {
      for (let c = 0; c < C; c++) out.W_[k * C2 + c] = this.W_[k * C + c];
      columns.forEach((col, e) => {
        if (col.w.length !== nIn) throw new Error(`new column has ${col.w.length} weights, expected ${nIn}`);
        out.W_[k * C2 + C + e] = col.w[k];
      });
    }
    out.b_.set(this.b_);
    columns.forEach((col, e) => (out.b_[C + e] = col.b));
    return out;
  }

  clone(): Head {
    return Head.fromJSON(this.toJSON());
  }

  toJSON(): HeadJSON {
    return {
      format: 'eodn-head/1',
      settings: { ...this.settings },
      nFeatures: this.nFeatures_,
      nClasses: this.nClasses_,
      W1: Array.from(this.W1_),
      b1: Array.from(this.b1_),
      W: Array.from(this.W_),
      b: Array.from(this.b_),
    };
  }

  static fromJSON(j: HeadJSON): Head {
    if (j.format !== 'eodn-head/1') throw new Error(`unknown head format ${String(j.format)}`);
    const head = new Head(j.settings);
    head.nFeatures_ = j.nFeatures;
    head.nClasses_ = j.nClasses;
    head.W1_ = Float64Array.from(j.W1);
    head.b1_ = Float64Array.from(j.b1);
    head.W_ = Float64Array.from(j.W);
    head.b_ = Float64Array.from(j.b);
    const nIn = head.nIn;
    if (head.W_.length !== nIn * j.nClasses || head.b_.length !== j.nClasses) throw new Error('head JSON has inconsistent shapes');
    if (head.W1_.length !== (j.settings.hidden > 0 ? j.nFeatures * j.settings.hidden : 0)) throw new Error('head JSON has inconsistent hidden shapes');
    return head;
  }

  private assertFitted(X: Rows): void {
    if (!this.fitted) throw new Error('Head is not fitted');
    if (X.length && X[0].length !== this.nFeatures_) throw new Error(`rows have ${X[0].length} features, head expects ${this.nFeatures_}`);
  }

  private hiddenOne(x: ArrayLike<number>, a: Float64Array): void {
    const h = this.settings.hidden;
    if (h === 0) {
      for (let j = 0; j < this.nFeatures_; j++) a[j] = x[j];
      return;
    }
    a.set(this.b1_);
    const d = this.nFeatures_;
    for (let j = 0; j < d; j++) {
      const xj = x[j];
      if (xj === 0) continue;
      const row = j * h;
      for (let k = 0; k < h; k++) a[k] += xj * this.W1_[row + k];
    }
    for (let k = 0; k < h; k++) if (a[k] < 0) a[k] = 0;
  }

  private forwardOne(x: ArrayLike<number>, a: Float64Array, z: Float64Array): void {
    this.hiddenOne(x, a);
    const C = this.nClasses_;
    z.set(this.b_);
    for (let k = 0; k < a.length; k++) {
      const ak = a[k];
      if (ak === 0) continue;
      const row = k * C;
      for (let c = 0; c < C; c++) z[c] += ak * this.W_[row + c];
    }
  }
}

function softmaxInPlace(z: Float64Array): Float64Array {
  let m = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c] > m) m = z[c];
  let s = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c] - m);
    s += z[c];
  }
  for (let c = 0; c < z.length; c++) z[c] /= s;
  return z;
}

function adamStep(m: Float64Array, v: Float64Array, i: number, g: number, s: HeadSettings, bc1: number, bc2: number): number {
  m[i] = s.beta1 * m[i] + (1 - s.beta1) * g;
  v[i] = s.beta2 * v[i] + (1 - s.beta2) * g * g;
  return (s.learningRate * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + s.adamEpsilon);
}

function sumSq(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * w[i];
  return s;
}
