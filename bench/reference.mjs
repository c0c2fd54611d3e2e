// The hand-written reference of bench/nn.bench.mjs: a training step for layered networks on Float64Arrays,
// examples as rows (X: m × k), weights row-major (W: n × k, neuron j's weights in row j), in the three
// products of a step:
//   forward   Z = A·Wᵀ + b          (each neuron's weighted sum: W·A with examples as columns)
//   backward  δ⁽ˡ⁻¹⁾ = δ⁽ˡ⁾·W ⊙ f′    (Wᵀ·δ)
//   gradient  W −= lr · δᵀ·A       (δ·Aᵀ, summed over the examples, fused with the SGD update)
// each in 2 × 5 register tiles (ten accumulators), the 5-wide side in the outer loop. Of the blockings
// bench/blockings.bench.mjs tries (it reruns the comparison), this one is the fastest or within a few per
// cent of it for both networks of nn.bench.mjs; tiles of 16 accumulators spill.

/** Σ_p A[a + p·sa] · B[b + p·sb], p < K: the edges the tiles leave. */
function dot(A, a, sa, B, b, sb, K) {
  let s = 0;
  for (let p = 0; p < K; p++, a += sa, b += sb) s += A[a] * B[b];
  return s;
}

/** Z[e][j] = bias[j] + Σ_p X[e][p] W[j][p]   (X: m × k, W: n × k, Z: m × n) */
export function forward(m, n, k, X, W, bias, Z) {
  let j = 0;
  for (; j + 5 <= n; j += 5) {
    const w0 = j * k,
      w1 = w0 + k,
      w2 = w1 + k,
      w3 = w2 + k,
      w4 = w3 + k;
    let e = 0;
    for (; e + 2 <= m; e += 2) {
      const x0 = e * k,
        x1 = x0 + k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c04 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c14 = 0;
      for (let p = 0; p < k; p++) {
        const a0 = X[x0 + p],
          a1 = X[x1 + p];
        const b0 = W[w0 + p],
          b1 = W[w1 + p],
          b2 = W[w2 + p],
          b3 = W[w3 + p],
          b4 = W[w4 + p];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c04 += a0 * b4;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c14 += a1 * b4;
      }
      const o = e * n + j;
      Z[o] = c00 + bias[j];
      Z[o + 1] = c01 + bias[j + 1];
      Z[o + 2] = c02 + bias[j + 2];
      Z[o + 3] = c03 + bias[j + 3];
      Z[o + 4] = c04 + bias[j + 4];
      Z[o + n] = c10 + bias[j];
      Z[o + n + 1] = c11 + bias[j + 1];
      Z[o + n + 2] = c12 + bias[j + 2];
      Z[o + n + 3] = c13 + bias[j + 3];
      Z[o + n + 4] = c14 + bias[j + 4];
    }
    for (; e < m; e++) for (let c = j; c < j + 5; c++) Z[e * n + c] = bias[c] + dot(X, e * k, 1, W, c * k, 1, k);
  }
  for (; j < n; j++) for (let e = 0; e < m; e++) Z[e * n + j] = bias[j] + dot(X, e * k, 1, W, j * k, 1, k);
}

/** P[e][c] = Σ_j D[e][j] W[j][c]   (D: m × n, W: n × k, P: m × k) */
export function backward(m, n, k, D, W, P) {
  let c = 0;
  for (; c + 5 <= k; c += 5) {
    let e = 0;
    for (; e + 2 <= m; e += 2) {
      const d0 = e * n,
        d1 = d0 + n;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c04 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c14 = 0;
      for (let j = 0, w = c; j < n; j++, w += k) {
        const a0 = D[d0 + j],
          a1 = D[d1 + j];
        const b0 = W[w],
          b1 = W[w + 1],
          b2 = W[w + 2],
          b3 = W[w + 3],
          b4 = W[w + 4];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c04 += a0 * b4;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c14 += a1 * b4;
      }
      const o = e * k + c;
      P[o] = c00;
      P[o + 1] = c01;
      P[o + 2] = c02;
      P[o + 3] = c03;
      P[o + 4] = c04;
      P[o + k] = c10;
      P[o + k + 1] = c11;
      P[o + k + 2] = c12;
      P[o + k + 3] = c13;
      P[o + k + 4] = c14;
    }
    for (; e < m; e++) for (let q = c; q < c + 5; q++) P[e * k + q] = dot(D, e * n, 1, W, q, k, n);
  }
  for (; c < k; c++) for (let e = 0; e < m; e++) P[e * k + c] = dot(D, e * n, 1, W, c, k, n);
}

/** W[j][c] −= lr · Σ_e D[e][j] A[e][c]   (D: m × n, A: m × k, W: n × k) */
export function descend(m, n, k, D, A, W, lr) {
  let c = 0;
  for (; c + 5 <= k; c += 5) {
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c04 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c14 = 0;
      for (let e = 0, d = j, a = c; e < m; e++, d += n, a += k) {
        const a0 = D[d],
          a1 = D[d + 1];
        const b0 = A[a],
          b1 = A[a + 1],
          b2 = A[a + 2],
          b3 = A[a + 3],
          b4 = A[a + 4];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c04 += a0 * b4;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c14 += a1 * b4;
      }
      const o = j * k + c;
      W[o] -= lr * c00;
      W[o + 1] -= lr * c01;
      W[o + 2] -= lr * c02;
      W[o + 3] -= lr * c03;
      W[o + 4] -= lr * c04;
      W[o + k] -= lr * c10;
      W[o + k + 1] -= lr * c11;
      W[o + k + 2] -= lr * c12;
      W[o + k + 3] -= lr * c13;
      W[o + k + 4] -= lr * c14;
    }
    for (; j < n; j++) for (let q = c; q < c + 5; q++) W[j * k + q] -= lr * dot(D, j, n, A, q, k, m);
  }
  for (; c < k; c++) for (let j = 0; j < n; j++) W[j * k + c] -= lr * dot(D, j, n, A, c, k, m);
}

/**
 * A training step of a layered network (hidden layers sigmoid or relu, softmax output,
 * cross-entropy J = −(1/m) Σ y·log a) on minibatches of m examples: forward, backward, SGD update of
 * W (per layer, n × k) and b in place. `kernels` replaces the three products (blockings.bench.mjs).
 */
export function makeReference(sizes, hidden, m, W, b, kernels = { forward, backward, descend }) {
  const { forward: fwd, backward: bwd, descend: dsc } = kernels;
  const L = sizes.length - 1;
  const A = sizes.map((n) => new Float64Array(m * n)); // A[0] is the minibatch's X
  const D = sizes.map((n) => new Float64Array(m * n));
  const G = sizes.map((n) => new Float64Array(n)); // ∂J/∂b
  return function step(X, Y, lr) {
    A[0] = X;
    for (let l = 1; l <= L; l++) {
      const n = sizes[l],
        Z = A[l];
      fwd(m, n, sizes[l - 1], A[l - 1], W[l], b[l], Z);
      if (l === L) break;
      if (hidden === "sigmoid") for (let i = 0; i < m * n; i++) Z[i] = 1 / (1 + Math.exp(-Z[i]));
      else for (let i = 0; i < m * n; i++) if (Z[i] < 0) Z[i] = 0;
    }
    const n = sizes[L],
      Z = A[L],
      DL = D[L];
    for (let o = 0; o < m * n; o += n) {
      let max = Z[o];
      for (let j = 1; j < n; j++) if (Z[o + j] > max) max = Z[o + j];
      let s = 0;
      for (let j = 0; j < n; j++) s += Z[o + j] = Math.exp(Z[o + j] - max);
      // softmax + cross-entropy: δ = (a − y)/m
      for (let j = 0; j < n; j++) DL[o + j] = (Z[o + j] / s - Y[o + j]) / m;
    }
    for (let l = L; l >= 1; l--) {
      const n = sizes[l],
        k = sizes[l - 1],
        Dl = D[l],
        Ak = A[l - 1];
      if (l > 1) {
        // δ⁽ˡ⁻¹⁾ from the weights before their update
        const Dk = D[l - 1];
        bwd(m, n, k, Dl, W[l], Dk);
        if (hidden === "sigmoid") for (let i = 0; i < m * k; i++) Dk[i] *= Ak[i] * (1 - Ak[i]);
        else for (let i = 0; i < m * k; i++) if (Ak[i] <= 0) Dk[i] = 0;
      }
      dsc(m, n, k, Dl, Ak, W[l], lr);
      const bl = b[l],
        gb = G[l].fill(0);
      for (let o = 0; o < m * n; o += n) for (let j = 0; j < n; j++) gb[j] += Dl[o + j];
      for (let j = 0; j < n; j++) bl[j] -= lr * gb[j];
    }
  };
}

/** The register tile of forward, backward and descend (examples or neurons × the 5-wide side). */
export const REFERENCE_TILES = "2×5";

/** W and b per layer (row j: neuron j) from core's parameter order (per neuron: bias, then weights). */
export function layersOf(sizes, theta) {
  const W = [null],
    b = [null];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const n = sizes[l],
      k = sizes[l - 1];
    W.push(new Float64Array(n * k));
    b.push(new Float64Array(n));
    for (let j = 0; j < n; j++, o += k + 1) {
      b[l][j] = theta[o];
      W[l].set(theta.subarray(o + 1, o + 1 + k), j * k);
    }
  }
  return { W, b };
}
