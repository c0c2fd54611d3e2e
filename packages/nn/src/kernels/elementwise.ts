/**
 * Element-wise and reduction kernels on strided Float64Array matrices: entry (r, c) of a matrix
 * lives at `off + r·rs + c·cs`. The tensor steps of the matrix form that are not products run on
 * these: the bias broadcast (+ b), Σ over examples, (λ/m)Θ, ⊙, and the column-wise softmax.
 * Nothing is allocated.
 */

/** A strided matrix in a buffer: entry (r, c) at `off + r·rs + c·cs`. */
export interface Strided {
  readonly off: number;
  readonly rows: number;
  readonly cols: number;
  readonly rs: number;
  readonly cs: number;
}

/** D (+)= S entry by entry (shapes equal). */
export function copyInto(S: Float64Array, s: Strided, D: Float64Array, d: Strided, acc: boolean): void {
  for (let r = 0; r < d.rows; r++) {
    for (let c = 0; c < d.cols; c++) {
      const i = d.off + r * d.rs + c * d.cs;
      const v = S[s.off + r * s.rs + c * s.cs]!;
      D[i] = acc ? D[i]! + v : v;
    }
  }
}

/** D += f · S entry by entry (shapes equal). */
export function axpyInto(f: number, S: Float64Array, s: Strided, D: Float64Array, d: Strided): void {
  if (d.cs === 1 && s.cs === 1) {
    for (let r = 0; r < d.rows; r++) {
      const di = d.off + r * d.rs;
      const si = s.off + r * s.rs;
      for (let c = 0; c < d.cols; c++) D[di + c] = D[di + c]! + f * S[si + c]!;
    }
    return;
  }
  for (let r = 0; r < d.rows; r++) {
    for (let c = 0; c < d.cols; c++) {
      const i = d.off + r * d.rs + c * d.cs;
      D[i] = D[i]! + f * S[s.off + r * s.rs + c * s.cs]!;
    }
  }
}

/** D ·= f entry by entry. */
export function scaleInPlace(f: number, D: Float64Array, d: Strided): void {
  for (let r = 0; r < d.rows; r++) {
    for (let c = 0; c < d.cols; c++) {
      const i = d.off + r * d.rs + c * d.cs;
      D[i] = f * D[i]!;
    }
  }
}

/** D ⊙= S entry by entry (shapes equal). */
export function hadamardInPlace(S: Float64Array, s: Strided, D: Float64Array, d: Strided): void {
  for (let r = 0; r < d.rows; r++) {
    for (let c = 0; c < d.cols; c++) {
      const i = d.off + r * d.rs + c * d.cs;
      D[i] = D[i]! * S[s.off + r * s.rs + c * s.cs]!;
    }
  }
}

/** D[:, c] += b for every column c: the bias broadcast of Z = ΘA + b (b is rows × 1). */
export function addColumnVector(B: Float64Array, b: Strided, D: Float64Array, d: Strided): void {
  if (d.rs === 1) {
    // one example per column, contiguous: the common layout
    for (let c = 0; c < d.cols; c++) {
      const o = d.off + c * d.cs;
      for (let r = 0, q = b.off; r < d.rows; r++, q += b.rs) D[o + r] = D[o + r]! + B[q]!;
    }
    return;
  }
  for (let r = 0; r < d.rows; r++) {
    const v = B[b.off + r * b.rs]!;
    for (let c = 0; c < d.cols; c++) {
      const i = d.off + r * d.rs + c * d.cs;
      D[i] = D[i]! + v;
    }
  }
}

/** D[r] (+)= Σ_c S[r, c]: the sum over examples (columns) of each row; D is rows × 1. */
export function rowSums(S: Float64Array, s: Strided, D: Float64Array, d: Strided, acc: boolean): void {
  if (s.rs === 1) {
    // accumulate column by column (contiguous), then store: same order as a per-row loop
    for (let r = 0, q = d.off; r < s.rows; r++, q += d.rs) {
      let t = 0;
      for (let c = 0, i = s.off + r; c < s.cols; c++, i += s.cs) t += S[i]!;
      D[q] = acc ? D[q]! + t : t;
    }
    return;
  }
  for (let r = 0; r < s.rows; r++) {
    let t = 0;
    for (let c = 0; c < s.cols; c++) t += S[s.off + r * s.rs + c * s.cs]!;
    const q = d.off + r * d.rs;
    D[q] = acc ? D[q]! + t : t;
  }
}

/**
 * Column-wise softmax of Z (n × m, one example per contiguous column) into A, and each column's
 * log-sum-exp into LSE: lse = max + log Σ exp(z − max), a = exp(z − lse) — the forward form's
 * definition, with the maximum subtracted so no exp overflows.
 */
export function softmaxColumns(Z: Float64Array, A: Float64Array, LSE: Float64Array, n: number, m: number): void {
  for (let e = 0, o = 0; e < m; e++, o += n) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (Z[o + j]! > max) max = Z[o + j]!;
    let lse = max;
    if (max !== -Infinity && Number.isFinite(max)) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(Z[o + j]! - max);
      lse = max + Math.log(s);
    }
    LSE[e] = lse;
    for (let j = 0; j < n; j++) A[o + j] = Math.exp(Z[o + j]! - lse);
  }
}
