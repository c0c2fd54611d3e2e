// nn: training speed against a hand-written Float64Array reference and TensorFlow.js, in one process.
//  1. 784-128-10 (sigmoid hidden, softmax + cross-entropy), minibatch 64 of random data: ms per step
//     (forward + backward + SGD update).
//  2. 2-2-2 sigmoid + mse, 4 examples, full batch, 10,000 epochs: total ms.

import * as tf from "@tensorflow/tfjs";
import { Network, Random, train } from "../packages/nn/dist/index.js";
import { ms, table, time } from "./lib.mjs";
import "@tensorflow/tfjs-backend-wasm";

const rng = new Random(2024);
const uniform = (n, lo, hi) => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));

// ---------------------------------------------------------------------------------------------
// The reference: a hand-written training step for one hidden layer, examples as rows, weights
// row-major (W1: hidden × in, W2: out × hidden), the two large products in 4 × 4 register tiles.

function makeReference(nIn, nHid, nOut, m, W1, b1, W2, b2) {
  const Z1 = new Float64Array(m * nHid),
    A1 = new Float64Array(m * nHid),
    Z2 = new Float64Array(m * nOut),
    A2 = new Float64Array(m * nOut);
  const D2 = new Float64Array(m * nOut),
    D1 = new Float64Array(m * nHid);
  const gW1 = new Float64Array(nHid * nIn),
    gb1 = new Float64Array(nHid),
    gW2 = new Float64Array(nOut * nHid),
    gb2 = new Float64Array(nOut);
  // C[i][j] = bias[j] + Σ_p A[i][p] B[j][p]   (A: M × K, B: N × K)
  function dotRows(M, N, K, A, B, bias, C) {
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
        let o = i * N + j;
        C[o] = c00 + bias[j];
        C[o + 1] = c01 + bias[j + 1];
        C[o + 2] = c02 + bias[j + 2];
        C[o + 3] = c03 + bias[j + 3];
        o += N;
        C[o] = c10 + bias[j];
        C[o + 1] = c11 + bias[j + 1];
        C[o + 2] = c12 + bias[j + 2];
        C[o + 3] = c13 + bias[j + 3];
        o += N;
        C[o] = c20 + bias[j];
        C[o + 1] = c21 + bias[j + 1];
        C[o + 2] = c22 + bias[j + 2];
        C[o + 3] = c23 + bias[j + 3];
        o += N;
        C[o] = c30 + bias[j];
        C[o + 1] = c31 + bias[j + 1];
        C[o + 2] = c32 + bias[j + 2];
        C[o + 3] = c33 + bias[j + 3];
      }
      for (; j < N; j++)
        for (let r = i; r < i + 4; r++) {
          let s = bias[j];
          for (let p = 0; p < K; p++) s += A[r * K + p] * B[j * K + p];
          C[r * N + j] = s;
        }
    }
    for (; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = bias[j];
        for (let p = 0; p < K; p++) s += A[i * K + p] * B[j * K + p];
        C[i * N + j] = s;
      }
  }
  // G[j][k] = Σ_e D[e][j] A[e][k]   (D: m × N, A: m × K)
  function outerSum(m, N, K, D, A, G) {
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
  return function step(X, Y, lr) {
    dotRows(m, nHid, nIn, X, W1, b1, Z1);
    for (let i = 0; i < m * nHid; i++) A1[i] = 1 / (1 + Math.exp(-Z1[i]));
    dotRows(m, nOut, nHid, A1, W2, b2, Z2);
    for (let e = 0; e < m; e++) {
      const o = e * nOut;
      let max = -Infinity;
      for (let j = 0; j < nOut; j++) if (Z2[o + j] > max) max = Z2[o + j];
      let s = 0;
      for (let j = 0; j < nOut; j++) s += A2[o + j] = Math.exp(Z2[o + j] - max);
      // softmax + cross-entropy: δ = (a − y)/m
      for (let j = 0; j < nOut; j++) {
        A2[o + j] /= s;
        D2[o + j] = (A2[o + j] - Y[o + j]) / m;
      }
    }
    outerSum(m, nOut, nHid, D2, A1, gW2);
    gb2.fill(0);
    for (let e = 0; e < m; e++) for (let j = 0; j < nOut; j++) gb2[j] += D2[e * nOut + j];
    for (let e = 0; e < m; e++) {
      for (let k = 0; k < nHid; k++) {
        let s = 0;
        for (let j = 0; j < nOut; j++) s += D2[e * nOut + j] * W2[j * nHid + k];
        const a = A1[e * nHid + k];
        D1[e * nHid + k] = s * a * (1 - a);
      }
    }
    outerSum(m, nHid, nIn, D1, X, gW1);
    gb1.fill(0);
    for (let e = 0; e < m; e++) for (let j = 0; j < nHid; j++) gb1[j] += D1[e * nHid + j];
    for (let i = 0; i < W1.length; i++) W1[i] -= lr * gW1[i];
    for (let i = 0; i < b1.length; i++) b1[i] -= lr * gb1[i];
    for (let i = 0; i < W2.length; i++) W2[i] -= lr * gW2[i];
    for (let i = 0; i < b2.length; i++) b2[i] -= lr * gb2[i];
  };
}

/** The 2-2-2 sigmoid network with mse, full batch, as a scalar loop over local variables. */
function handWritten222(theta, X, Y, epochs, lr) {
  // θ⁽¹⁾: [b, w1, w2] for neurons 1, 2; θ⁽²⁾ likewise (core's parameter order)
  let [p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5] = theta;
  const m = X.length / 2;
  for (let ep = 0; ep < epochs; ep++) {
    let g0 = 0,
      g1 = 0,
      g2 = 0,
      g3 = 0,
      g4 = 0,
      g5 = 0,
      h0 = 0,
      h1 = 0,
      h2 = 0,
      h3 = 0,
      h4 = 0,
      h5 = 0;
    for (let e = 0; e < m; e++) {
      const x1 = X[2 * e],
        x2 = X[2 * e + 1],
        y1 = Y[2 * e],
        y2 = Y[2 * e + 1];
      const a1 = 1 / (1 + Math.exp(-(p0 + p1 * x1 + p2 * x2)));
      const a2 = 1 / (1 + Math.exp(-(p3 + p4 * x1 + p5 * x2)));
      const o1 = 1 / (1 + Math.exp(-(q0 + q1 * a1 + q2 * a2)));
      const o2 = 1 / (1 + Math.exp(-(q3 + q4 * a1 + q5 * a2)));
      const d1 = ((o1 - y1) / m) * o1 * (1 - o1);
      const d2 = ((o2 - y2) / m) * o2 * (1 - o2);
      const c1 = (q1 * d1 + q4 * d2) * a1 * (1 - a1);
      const c2 = (q2 * d1 + q5 * d2) * a2 * (1 - a2);
      h0 += d1;
      h1 += d1 * a1;
      h2 += d1 * a2;
      h3 += d2;
      h4 += d2 * a1;
      h5 += d2 * a2;
      g0 += c1;
      g1 += c1 * x1;
      g2 += c1 * x2;
      g3 += c2;
      g4 += c2 * x1;
      g5 += c2 * x2;
    }
    p0 -= lr * g0;
    p1 -= lr * g1;
    p2 -= lr * g2;
    p3 -= lr * g3;
    p4 -= lr * g4;
    p5 -= lr * g5;
    q0 -= lr * h0;
    q1 -= lr * h1;
    q2 -= lr * h2;
    q3 -= lr * h3;
    q4 -= lr * h4;
    q5 -= lr * h5;
  }
  return [p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5];
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js (float32): the same network and step with optimizer.minimize.

function tfjsMnistStep(x, y, m) {
  const W1 = tf.variable(tf.randomUniform([784, 128], -0.05, 0.05, "float32", 1));
  const b1 = tf.variable(tf.zeros([128]));
  const W2 = tf.variable(tf.randomUniform([128, 10], -0.05, 0.05, "float32", 2));
  const b2 = tf.variable(tf.zeros([10]));
  const xs = tf.tensor2d(Float32Array.from(x), [m, 784]);
  const ys = tf.tensor2d(Float32Array.from(y), [m, 10]);
  const opt = tf.train.sgd(0.01);
  return () => {
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, xs.matMul(W1).add(b1).sigmoid().matMul(W2).add(b2)),
      true,
    );
    loss.dataSync();
    loss.dispose();
  };
}

function tfjs222(theta, X, Y, epochs, lr) {
  const W1 = tf.variable(tf.tensor2d([theta[1], theta[4], theta[2], theta[5]], [2, 2]));
  const b1 = tf.variable(tf.tensor1d([theta[0], theta[3]]));
  const W2 = tf.variable(tf.tensor2d([theta[7], theta[10], theta[8], theta[11]], [2, 2]));
  const b2 = tf.variable(tf.tensor1d([theta[6], theta[9]]));
  const xs = tf.tensor2d(Array.from(X), [4, 2]);
  const ys = tf.tensor2d(Array.from(Y), [4, 2]);
  const opt = tf.train.sgd(lr);
  for (let ep = 0; ep < epochs; ep++) {
    // J = 1/(2m) Σ (y − a)²
    opt.minimize(() => ys.sub(xs.matMul(W1).add(b1).sigmoid().matMul(W2).add(b2).sigmoid()).square().sum().div(8));
  }
  const out = W1.dataSync()[0];
  tf.dispose([W1, b1, W2, b2, xs, ys]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measurement: each contender is timed in several interleaved rounds; its best round counts.

function rounds(contenders, n, opts) {
  const best = contenders.map(() => Infinity);
  for (let r = 0; r < n; r++)
    contenders.forEach((c, i) => {
      best[i] = Math.min(best[i], time(c, opts));
    });
  return best;
}
const settle = () => globalThis.gc?.();

// ---------------------------------------------------------------------------------------------
// 1. 784-128-10, minibatch 64

const M = 64;
const STEPS = 16; // minibatches per epoch
const xAll = uniform(M * STEPS * 784, 0, 1);
const yAll = new Float64Array(M * STEPS * 10);
for (let e = 0; e < M * STEPS; e++) yAll[e * 10 + rng.int(10)] = 1;
const data = { m: M * STEPS, x: xAll, y: yAll };

const net = Network.create(
  { sizes: [784, 128, 10], activation: ["sigmoid", "softmax"], cost: "cross-entropy" },
  { method: "uniform", epsilon: 0.05, seed: 1 },
);
let epochSeed = 0;
// one epoch of train(): 16 shuffled minibatches of 64, gathered into buffers, cost and accuracy recorded
const chainruleTrain = () => train(net, data, { epochs: 1, learningRate: 0.01, batchSize: M, seed: epochSeed++ });
const setup0 = performance.now();
chainruleTrain(); // builds the graph, its derivation and the plan once (not timed)
const setupMs = performance.now() - setup0;

// the engine alone on one fixed minibatch: gradient + the same SGD update, no trainer
const engine = net.engine();
const theta = net.parameters();
const grad = new Float64Array(theta.length);
const mb = { m: M, x: xAll.slice(0, M * 784), y: yAll.slice(0, M * 10) };
const engineStep = () => {
  engine.gradient(theta, mb, grad);
  for (let i = 0; i < theta.length; i++) theta[i] -= 0.01 * grad[i];
};

const W1 = uniform(128 * 784, -0.05, 0.05),
  b1 = new Float64Array(128),
  W2 = uniform(10 * 128, -0.05, 0.05),
  b2 = new Float64Array(10);
const reference = makeReference(784, 128, 10, M, W1, b1, W2, b2);
const referenceStep = () => reference(mb.x, mb.y, 0.01);

// every sample times 16 steps (one train() epoch, or 16 calls of a step), so all three see the
// same share of whatever else the machine is doing
const times16 = (f) => () => {
  for (let i = 0; i < STEPS; i++) f();
};
settle();
const [trainCall, ref16, engine16] = rounds([chainruleTrain, times16(referenceStep), times16(engineStep)], 7, {
  minMs: 700,
  batch: 1,
});
const [tTrain, ref1, tEngine] = [trainCall / STEPS, ref16 / STEPS, engine16 / STEPS];

await tf.setBackend("cpu");
const tfCpu = time(tfjsMnistStep(mb.x, mb.y, M), { minMs: 3000, batch: 1 });
await tf.setBackend("wasm");
const wasmSimd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
const wasmThreads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
const tfWasm = time(tfjsMnistStep(mb.x, mb.y, M), { minMs: 3000, batch: 1 });

table(
  `nn: 784-128-10 training step (sigmoid, softmax + cross-entropy, minibatch 64, random data): ms per step (forward + backward + SGD update), lower is better. chainrule's one-time setup (graph, derivation, plan): ${(setupMs / 1000).toFixed(1)} s`,
  ["implementation", "ms / step", "vs hand-written"],
  [
    ["hand-written Float64Array loop, 4×4 register tiles (reference)", ms(ref1), "1.00×"],
    [
      "**chainrule** `train()`: matrix form on typed-array kernels (also shuffles, gathers minibatches, records cost and accuracy)",
      ms(tTrain),
      `**${(tTrain / ref1).toFixed(2)}×**`,
    ],
    [
      "chainrule engine alone (`engine.gradient` + SGD loop, one fixed minibatch)",
      ms(tEngine),
      `${(tEngine / ref1).toFixed(2)}×`,
    ],
    [
      `@tensorflow/tfjs 4.22, wasm backend (float32${wasmSimd ? ", SIMD" : ""}${wasmThreads ? ", threads" : ""})`,
      ms(tfWasm),
      `${(tfWasm / ref1).toFixed(2)}×`,
    ],
    ["@tensorflow/tfjs 4.22, cpu backend (float32)", ms(tfCpu), `${(tfCpu / ref1).toFixed(2)}×`],
  ],
);

// ---------------------------------------------------------------------------------------------
// 2. 2-2-2 sigmoid, 4 examples, full batch, 10,000 epochs

const EPOCHS = 10_000;
const X4 = Float64Array.of(0.05, 0.1, 0.9, 0.2, 0.3, 0.8, 0.6, 0.6);
const Y4 = Float64Array.of(0.01, 0.99, 0.99, 0.01, 0.2, 0.7, 0.5, 0.5);
const theta0 = Array.from(uniform(12, -0.5, 0.5));
const small = { m: 4, x: X4, y: Y4 };
const net222 = Network.fromParameters({ sizes: [2, 2, 2], activation: "sigmoid", cost: "mse" }, theta0);
const chainrule222 = () => {
  net222.setParameters(theta0);
  train(net222, small, { epochs: EPOCHS, learningRate: 0.5, accuracy: false });
};
const hand222 = () => handWritten222(theta0, X4, Y4, EPOCHS, 0.5);
// both start from theta0 and take the same steps: their final weights agree
chainrule222();
const agree = Math.max(...net222.parameters().map((v, i) => Math.abs(v - hand222()[i])));
const runs = (f, n) => {
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[n >> 1];
};
settle();
const [hand, tChain] = rounds([hand222, chainrule222], 5, { minMs: 600, batch: 1 });
await tf.setBackend("cpu");
const tfSmallCpu = runs(() => tfjs222(theta0, X4, Y4, EPOCHS, 0.5), 3);
await tf.setBackend("wasm");
const tfSmallWasm = runs(() => tfjs222(theta0, X4, Y4, EPOCHS, 0.5), 3);
table(
  `nn: 2-2-2 sigmoid + mse, 4 examples, full batch, ${EPOCHS.toLocaleString("en")} epochs: total ms, lower is better (chainrule's and the hand-written final weights differ by at most ${agree.toExponential(1)})`,
  ["implementation", "ms total", "vs hand-written"],
  [
    ["hand-written scalar loop (reference)", ms(hand), "1.00×"],
    [
      "**chainrule** `train()`: core's compiled straight-line code (also records the cost of every epoch)",
      ms(tChain),
      `**${(tChain / hand).toFixed(2)}×**`,
    ],
    ["@tensorflow/tfjs 4.22, wasm backend (float32)", ms(tfSmallWasm), `${(tfSmallWasm / hand).toFixed(0)}×`],
    ["@tensorflow/tfjs 4.22, cpu backend (float32)", ms(tfSmallCpu), `${(tfSmallCpu / hand).toFixed(0)}×`],
  ],
);
