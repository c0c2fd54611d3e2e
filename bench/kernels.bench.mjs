// nn kernels: the WebAssembly SIMD matrix products against the plain-JS kernels and a hand-written
// register-blocked JavaScript loop, in one process, interleaved round by round; medians and ratios.
//  1. The products of a 784-128-10 training step (minibatch 64) and of a 784-512-512-10 step
//     (minibatch 128), in the orientations the engine runs them: forward Z = A·Θᵀ (NT), weight
//     gradients δᵀ·A (TN), backward δ·Θ (NN).
//  2. The whole step (forward, backward, SGD update; sigmoid hidden layers, softmax + cross-entropy)
//     on the engine with kernels "js" and "wasm" (and dtype "float32"), against a hand-written step
//     whose three products are 4 × 4 register-tiled loops over Float64Arrays.
// The WebAssembly f64x2 products are checked equal to the JS kernels bit for bit as they run.
// Run after building: `node bench/kernels.bench.mjs` (or `node bench/run.mjs kernels`).

import { Engine, Network, Random } from "../packages/nn/dist/index.js";
import { gemmNNUnchecked, gemmNTUnchecked, gemmTNUnchecked } from "../packages/nn/dist/kernels/matmul.js";
import { WasmArena, wasmKernelModule } from "../packages/nn/dist/kernels/wasm/backend.js";

const rng = new Random(2024);
const module = wasmKernelModule();
if (module === null) throw new Error("this host runs no WebAssembly SIMD");

// ---------------------------------------------------------------------------------------------
// The hand-written loops: row-major, 4 × 4 register tiles, scalar edges.

/** C[i][j] = (bias[j]) + Σ_p A[i][p] B[j][p]   (A: M × K, B: N × K; NT). */
function loopNT(M, N, K, A, B, C, bias) {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = i * K,
      a1 = a0 + K,
      a2 = a1 + K,
      a3 = a2 + K;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const w0 = j * K,
        w1 = w0 + K,
        w2 = w1 + K,
        w3 = w2 + K;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < K; p++) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p],
          x2 = A[a2 + p],
          x3 = A[a3 + p];
        const y0 = B[w0 + p],
          y1 = B[w1 + p],
          y2 = B[w2 + p],
          y3 = B[w3 + p];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      const b0 = bias ? bias[j] : 0,
        b1 = bias ? bias[j + 1] : 0,
        b2 = bias ? bias[j + 2] : 0,
        b3 = bias ? bias[j + 3] : 0;
      let o = i * N + j;
      C[o] = c00 + b0;
      C[o + 1] = c01 + b1;
      C[o + 2] = c02 + b2;
      C[o + 3] = c03 + b3;
      o += N;
      C[o] = c10 + b0;
      C[o + 1] = c11 + b1;
      C[o + 2] = c12 + b2;
      C[o + 3] = c13 + b3;
      o += N;
      C[o] = c20 + b0;
      C[o + 1] = c21 + b1;
      C[o + 2] = c22 + b2;
      C[o + 3] = c23 + b3;
      o += N;
      C[o] = c30 + b0;
      C[o + 1] = c31 + b1;
      C[o + 2] = c32 + b2;
      C[o + 3] = c33 + b3;
    }
    for (; j < N; j++)
      for (let r = i; r < i + 4; r++) {
        let s = bias ? bias[j] : 0;
        for (let p = 0; p < K; p++) s += A[r * K + p] * B[j * K + p];
        C[r * N + j] = s;
      }
  }
  for (; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < K; p++) s += A[i * K + p] * B[j * K + p];
      C[i * N + j] = s;
    }
}

/** G[j][k] = Σ_e D[e][j] A[e][k]   (D: m × N, A: m × K; TN). */
function loopTN(m, N, K, D, A, G) {
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let e = 0, d = j, a = k; e < m; e++, d += N, a += K) {
        const x0 = D[d],
          x1 = D[d + 1],
          x2 = D[d + 2],
          x3 = D[d + 3];
        const y0 = A[a],
          y1 = A[a + 1],
          y2 = A[a + 2],
          y3 = A[a + 3];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = j * K + k;
      G[o] = c00;
      G[o + 1] = c01;
      G[o + 2] = c02;
      G[o + 3] = c03;
      o += K;
      G[o] = c10;
      G[o + 1] = c11;
      G[o + 2] = c12;
      G[o + 3] = c13;
      o += K;
      G[o] = c20;
      G[o + 1] = c21;
      G[o + 2] = c22;
      G[o + 3] = c23;
      o += K;
      G[o] = c30;
      G[o + 1] = c31;
      G[o + 2] = c32;
      G[o + 3] = c33;
    }
    for (; k < K; k++)
      for (let r = j; r < j + 4; r++) {
        let s = 0;
        for (let e = 0; e < m; e++) s += D[e * N + r] * A[e * K + k];
        G[r * K + k] = s;
      }
  }
  for (; j < N; j++)
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let e = 0; e < m; e++) s += D[e * N + j] * A[e * K + k];
      G[j * K + k] = s;
    }
}

/** P[e][k] = Σ_j D[e][j] W[j][k]   (D: m × N, W: N × K; NN). */
function loopNN(m, N, K, D, W, P) {
  let e = 0;
  for (; e + 4 <= m; e += 4) {
    const d0 = e * N,
      d1 = d0 + N,
      d2 = d1 + N,
      d3 = d2 + N;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let j = 0, w = k; j < N; j++, w += K) {
        const x0 = D[d0 + j],
          x1 = D[d1 + j],
          x2 = D[d2 + j],
          x3 = D[d3 + j];
        const y0 = W[w],
          y1 = W[w + 1],
          y2 = W[w + 2],
          y3 = W[w + 3];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = e * K + k;
      P[o] = c00;
      P[o + 1] = c01;
      P[o + 2] = c02;
      P[o + 3] = c03;
      o += K;
      P[o] = c10;
      P[o + 1] = c11;
      P[o + 2] = c12;
      P[o + 3] = c13;
      o += K;
      P[o] = c20;
      P[o + 1] = c21;
      P[o + 2] = c22;
      P[o + 3] = c23;
      o += K;
      P[o] = c30;
      P[o + 1] = c31;
      P[o + 2] = c32;
      P[o + 3] = c33;
    }
    for (; k < K; k++)
      for (let r = e; r < e + 4; r++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += D[r * N + j] * W[j * K + k];
        P[r * K + k] = s;
      }
  }
  for (; e < m; e++)
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += D[e * N + j] * W[j * K + k];
      P[e * K + k] = s;
    }
}

/**
 * A hand-written training step of a network of these sizes (sigmoid hidden layers, softmax +
 * cross-entropy, SGD): examples as rows, W⁽ˡ⁾ row-major (out × in), the products in loopNT,
 * loopTN and loopNN.
 */
function handWritten(sizes, m) {
  const L = sizes.length - 1;
  const W = [],
    b = [],
    gW = [],
    gb = [],
    Z = [],
    A = [],
    D = [];
  for (let l = 0; l < L; l++) {
    W.push(Float64Array.from({ length: sizes[l + 1] * sizes[l] }, () => rng.uniform(-0.05, 0.05)));
    b.push(new Float64Array(sizes[l + 1]));
    gW.push(new Float64Array(sizes[l + 1] * sizes[l]));
    gb.push(new Float64Array(sizes[l + 1]));
    Z.push(new Float64Array(m * sizes[l + 1]));
    A.push(new Float64Array(m * sizes[l + 1]));
    D.push(new Float64Array(m * sizes[l + 1]));
  }
  const P = new Float64Array(m * Math.max(...sizes));
  return function step(X, Y, lr) {
    for (let l = 0; l < L; l++) {
      const n = sizes[l + 1];
      loopNT(m, n, sizes[l], l === 0 ? X : A[l - 1], W[l], Z[l], b[l]);
      if (l < L - 1) for (let i = 0; i < m * n; i++) A[l][i] = 1 / (1 + Math.exp(-Z[l][i]));
    }
    const nOut = sizes[L];
    const Zo = Z[L - 1],
      Ao = A[L - 1],
      Do = D[L - 1];
    for (let e = 0; e < m; e++) {
      const o = e * nOut;
      let max = -Infinity;
      for (let j = 0; j < nOut; j++) if (Zo[o + j] > max) max = Zo[o + j];
      let s = 0;
      for (let j = 0; j < nOut; j++) s += Ao[o + j] = Math.exp(Zo[o + j] - max);
      for (let j = 0; j < nOut; j++) {
        Ao[o + j] /= s;
        Do[o + j] = (Ao[o + j] - Y[o + j]) / m;
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      const n = sizes[l + 1],
        k = sizes[l];
      const input = l === 0 ? X : A[l - 1];
      loopTN(m, n, k, D[l], input, gW[l]);
      gb[l].fill(0);
      for (let e = 0; e < m; e++) for (let j = 0; j < n; j++) gb[l][j] += D[l][e * n + j];
      if (l > 0) {
        loopNN(m, n, k, D[l], W[l], P);
        const a = A[l - 1],
          d = D[l - 1];
        for (let i = 0; i < m * k; i++) d[i] = P[i] * a[i] * (1 - a[i]);
      }
    }
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < W[l].length; i++) W[l][i] -= lr * gW[l][i];
      for (let i = 0; i < b[l].length; i++) b[l][i] -= lr * gb[l][i];
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement: every contender in each round (a round times `calls` calls of each), the rounds
// interleaved so all see the same share of whatever else the machine does; the median round counts.

function rounds(contenders, { rounds: n = 9, minMs = 150 } = {}) {
  // warm-up and calibration: calls per sample so that one sample takes ≥ minMs / 3
  const calls = contenders.map((f) => {
    for (let i = 0; i < 3; i++) f();
    let k = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < k; i++) f();
      if (performance.now() - t0 >= minMs / 3 || k >= 1 << 20) return k;
      k *= 2;
    }
  });
  const samples = contenders.map(() => []);
  for (let r = 0; r < n; r++) {
    globalThis.gc?.();
    contenders.forEach((f, c) => {
      const t0 = performance.now();
      for (let i = 0; i < calls[c]; i++) f();
      samples[c].push((performance.now() - t0) / calls[c]);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
}

const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4));
const ratio = (x) => `${x.toFixed(2)}×`;
function table(title, header, rows) {
  console.log(
    [
      `### ${title}`,
      "",
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...rows.map((r) => `| ${r.join(" | ")} |`),
      "",
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// 1. The products

const networks = [
  { sizes: [784, 128, 10], m: 64 },
  { sizes: [784, 512, 512, 10], m: 128 },
];

for (const { sizes, m } of networks) {
  // the engine's products for a step: forward NT per layer, TN per layer, NN for every δ but the first layer's
  const products = [];
  for (let l = 0; l + 1 < sizes.length; l++) products.push({ o: "NT", M: m, N: sizes[l + 1], K: sizes[l] });
  for (let l = sizes.length - 2; l >= 0; l--) {
    products.push({ o: "TN", M: sizes[l + 1], N: sizes[l], K: m });
    if (l > 0) products.push({ o: "NN", M: m, N: sizes[l], K: sizes[l + 1] });
  }
  const entries = products.reduce((t, p) => t + p.M * p.K + p.K * p.N + p.M * p.N, 0);
  const widest = Math.max(...sizes, m);
  const arena = new WasmArena(module, entries, 3 * products.length, widest);
  const arena32 = new WasmArena(module, entries, 3 * products.length, widest, "float32", widest);
  const rows = [];
  const all = [0, 0, 0, 0];
  for (const { o, M, N, K } of products) {
    // A: M × K (K × M for TN), B: K × N (N × K for NT), C: M × N; the same values for all three
    const inArena = (n) => {
      const v = arena.alloc(n);
      for (let i = 0; i < n; i++) v[i] = rng.uniform(-1, 1);
      return v;
    };
    const A = inArena(M * K);
    const B = inArena(K * N);
    const C = inArena(M * N);
    if (!arena.holds(A) || !arena.holds(B) || !arena.holds(C)) throw new Error("the operands are not in the arena");
    const [A32, B32, C32] = [A, B, C].map((v) => {
      const w = arena32.alloc(v.length);
      w.set(v);
      return w;
    });
    const [Aj, Bj, Cj, Cl] = [A.slice(), B.slice(), new Float64Array(M * N), new Float64Array(M * N)];
    const lda = o === "TN" ? M : K;
    const ldb = o === "NT" ? K : N;
    const js = { NT: gemmNTUnchecked, TN: gemmTNUnchecked, NN: gemmNNUnchecked }[o];
    const wasm = arena.kernels[`gemm${o}`];
    const wasm32 = arena32.kernels[`gemm${o}`];
    const loop = {
      NT: () => loopNT(M, N, K, Aj, Bj, Cl, null),
      TN: () => loopTN(K, M, N, Aj, Bj, Cl),
      NN: () => loopNN(M, K, N, Aj, Bj, Cl),
    }[o];
    const [tLoop, tJs, tWasm, t32] = rounds([
      loop,
      () => js(M, N, K, Aj, 0, lda, Bj, 0, ldb, Cj, 0, N, false),
      () => wasm(M, N, K, A, 0, lda, B, 0, ldb, C, 0, N, false),
      () => wasm32(M, N, K, A32, 0, lda, B32, 0, ldb, C32, 0, N, false),
    ]);
    // the three agree: wasm and the JS kernels bit for bit, the loop to rounding (another order)
    for (let i = 0; i < M * N; i++) {
      if (!Object.is(C[i], Cj[i])) throw new Error(`${o} ${M}×${N}×${K}: wasm ${C[i]} ≠ JS ${Cj[i]} at ${i}`);
      if (Math.abs(Cl[i] - Cj[i]) > 1e-9 * (1 + Math.abs(Cj[i]))) throw new Error(`${o}: the loop disagrees at ${i}`);
    }
    all[0] += tLoop;
    all[1] += tJs;
    all[2] += tWasm;
    all[3] += t32;
    const gf = (t) => ((2 * M * N * K) / t / 1e6).toFixed(1);
    rows.push([
      `${o} ${M} × ${N} × ${K}`,
      `${ms(tLoop)} (${gf(tLoop)})`,
      `${ms(tJs)} (${gf(tJs)})`,
      `${ms(tWasm)} (${gf(tWasm)})`,
      ratio(tWasm / tLoop),
      ratio(tWasm / tJs),
      `${ms(t32)} (${gf(t32)})`,
      ratio(t32 / tLoop),
    ]);
  }
  rows.push([
    "**all products of the step**",
    ms(all[0]),
    ms(all[1]),
    ms(all[2]),
    `**${ratio(all[2] / all[0])}**`,
    ratio(all[2] / all[1]),
    ms(all[3]),
    ratio(all[3] / all[0]),
  ]);
  table(
    `nn kernels: the products of a ${sizes.join("-")} step, minibatch ${m}: median ms per product (GFLOP/s), lower is better`,
    [
      "product M × N × K",
      "register-blocked JS loop (4×4)",
      "JS kernels",
      "WebAssembly SIMD (f64x2)",
      "wasm / loop",
      "wasm / JS kernels",
      "WebAssembly f32x4 (dtype float32)",
      "f32 / loop",
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. The whole training step

for (const { sizes, m } of networks) {
  const activation = [...sizes.slice(2).map(() => "sigmoid"), "softmax"];
  const spec = { sizes, activation, cost: "cross-entropy" };
  const x = Float64Array.from({ length: m * sizes[0] }, () => rng.uniform(0, 1));
  const y = new Float64Array(m * sizes[sizes.length - 1]);
  for (let e = 0; e < m; e++) y[e * sizes[sizes.length - 1] + rng.int(sizes[sizes.length - 1])] = 1;
  const batch = { m, x, y };
  const engineStep = (kernels, dtype = "float64") => {
    const engine = Engine.forLayers(spec, { kind: "matrix", kernels, dtype, capacity: m });
    if (engine.kernels !== kernels || engine.dtype !== dtype)
      throw new Error(`asked for ${kernels}, got ${engine.kernels}`);
    const theta = Network.create(spec, { method: "uniform", epsilon: 0.05, seed: 1 }).parameters();
    const grad = new Float64Array(theta.length);
    return {
      theta,
      step: () => {
        engine.gradient(theta, batch, grad);
        for (let i = 0; i < theta.length; i++) theta[i] -= 0.01 * grad[i];
      },
    };
  };
  const js = engineStep("js");
  const wasm = engineStep("wasm");
  const single = engineStep("wasm", "float32");
  // the same step from the same start: the two engines' parameters equal bit for bit
  js.step();
  wasm.step();
  for (let i = 0; i < js.theta.length; i++)
    if (!Object.is(js.theta[i], wasm.theta[i])) throw new Error(`the engines' parameters differ at ${i}`);
  const hand = handWritten(sizes, m);
  const [tHand, tJs, tWasm, t32] = rounds([() => hand(x, y, 0.01), js.step, wasm.step, single.step], {
    rounds: 9,
    minMs: 400,
  });
  table(
    `nn kernels: a ${sizes.join("-")} training step (sigmoid, softmax + cross-entropy, minibatch ${m}, SGD): median ms per step, lower is better`,
    ["implementation", "ms / step", "vs register-blocked loop", "vs JS kernels"],
    [
      [
        "hand-written Float64Array step, 4×4 register-tiled products (reference)",
        ms(tHand),
        "1.00×",
        ratio(tHand / tJs),
      ],
      ['chainrule engine, kernels: "js"', ms(tJs), ratio(tJs / tHand), "1.00×"],
      [
        '**chainrule engine, kernels: "wasm"** (the default where WebAssembly SIMD runs)',
        ms(tWasm),
        `**${ratio(tWasm / tHand)}**`,
        ratio(tWasm / tJs),
      ],
      [
        'chainrule engine, dtype: "float32" (f32x4 products, not the float64 bits)',
        ms(t32),
        ratio(t32 / tHand),
        ratio(t32 / tJs),
      ],
    ],
  );
}
