/**
 * A linear SVM (L2-regularised, squared hinge loss) trained by dual coordinate descent — the
 * method of liblinear (Hsieh et al., ICML 2008), which is what arxiv-sanity's LinearSVC ran. Over
 * sparse rows in CSR form; each example has its own cost C_i (class balance, explicit "not for me"
 * weighed higher). The bias is learned as the weight of a constant feature, as liblinear does.
 *
 * Dual: min ½αᵀQ̄α − Σα_i, α ≥ 0, Q̄ = Q + D, Q_ij = y_i y_j x_iᵀx_j, D_ii = 1/(2C_i); w = Σ α_i y_i x_i.
 */

/** Rows of a sparse matrix: row r's columns are idx[offsets[r] .. offsets[r+1]), values in val. */
export interface SparseRows {
  offsets: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  cols: number;
}

export interface SvmOptions {
  /** Stop when the projected gradient's spread is below this (liblinear's default 0.1). */
  eps?: number;
  maxEpochs?: number;
  /** Deterministic order of coordinates (tests and benches repeat exactly). */
  random?: () => number;
  /** Value of the constant feature that carries the bias. */
  biasFeature?: number;
}

export interface SvmResult {
  weights: Float32Array;
  bias: number;
  epochs: number;
}

/** Mulberry32: a small seeded generator. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `y[i]` is +1 or −1; `cost[i]` > 0. */
export function trainLinearSvm(x: SparseRows, y: Int8Array, cost: Float32Array, opts: SvmOptions = {}): SvmResult {
  const n = y.length;
  const { offsets, idx, val } = x;
  const eps = opts.eps ?? 0.1;
  const maxEpochs = opts.maxEpochs ?? 10;
  const random = opts.random ?? seeded(1);
  const B = opts.biasFeature ?? 1;
  const w = new Float64Array(x.cols);
  let bias = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = 0.5 / cost[i]!;
    let sq = B * B;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) sq += val[k]! * val[k]!;
    qii[i] = sq + diag[i]!;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let epoch = 0;
  for (; epoch < maxEpochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (let s = 0; s < n; s++) {
      const i = order[s]!;
      const yi = y[i]!;
      let dot = bias * B;
      const end = offsets[i + 1]!;
      for (let k = offsets[i]!; k < end; k++) dot += w[idx[k]!]! * val[k]!;
      const g = yi * dot - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - g / qii[i]!, 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        if (d !== 0) {
          for (let k = offsets[i]!; k < end; k++) w[idx[k]!] = w[idx[k]!]! + d * val[k]!;
          bias += d * B;
        }
      }
    }
    if (maxPg - minPg < eps) {
      epoch++;
      break;
    }
  }
  return { weights: Float32Array.from(w), bias: bias * B, epochs: epoch };
}
