// Plain typed-array data shapes shared by the engine's maths modules.

/** Feature rows: one vector per sample (Float32Array[], Float64Array[] or number[][]). */
export type Rows = readonly ArrayLike<number>[];
/** Integer class labels, one per sample. */
export type Labels = ArrayLike<number>;

/** Views into a row-major matrix of n rows and d columns (no copy). */
export function fromRowMajor(data: Float32Array | Float64Array, n: number, d: number): Float32Array[] | Float64Array[] {
  if (data.length !== n * d) throw new Error(`row-major data has ${data.length} values, expected ${n}×${d}`);
  const out = [];
  for (let i = 0; i < n; i++) out.push(data.subarray(i * d, (i + 1) * d));
  return out as Float32Array[] | Float64Array[];
}

/** The number of columns, checking that every row has it. */
export function columnCount(X: Rows): number {
  if (X.length === 0) throw new Error('no rows');
  const d = X[0].length;
  for (let i = 1; i < X.length; i++) if (X[i].length !== d) throw new Error(`row ${i} has ${X[i].length} values, expected ${d}`);
  return d;
}

/** Indices of the two largest values (top1, top2); top2 = top1 for a single value. */
export function top2(p: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = -1;
  for (let j = 1; j < p.length; j++) {
    if (p[j] > p[a]) {
      b = a;
      a = j;
    } else if (b < 0 || p[j] > p[b]) b = j;
  }
  return [a, b < 0 ? a : b];
}

export function argmax(p: ArrayLike<number>): number {
  let a = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[a]) a = j;
  return a;
}

/** Numerically stable softmax of a vector. */
export function softmax(z: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let j = 0; j < z.length; j++) if (z[j] > m) m = z[j];
  const out = new Float64Array(z.length);
  let s = 0;
  for (let j = 0; j < z.length; j++) {
    out[j] = Math.exp(z[j] - m);
    s += out[j];
  }
  for (let j = 0; j < z.length; j++) out[j] /= s;
  return out;
}

/** Number of classes implied by labels (max + 1), or the given count after checking it. */
export function classCount(y: Labels, nClasses?: number): number {
  let m = -1;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i]) || y[i] < 0) throw new Error(`label ${y[i]} at ${i} is not a class index`);
    if (y[i] > m) m = y[i];
  }
  if (nClasses === undefined) return m + 1;
  if (m >= nClasses) throw new Error(`label ${m} ≥ nClasses ${nClasses}`);
  return nClasses;
}
