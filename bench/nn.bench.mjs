// nn: training speed against a hand-written Float64Array reference, TensorFlow.js and, when it is
// installed, PyTorch (in a python3 process of its own, one thread). Every table's contenders run in
// interleaved rounds (lib.mjs compare()); the figures are medians and the ratios divide medians of the
// same run.
//  1. 784-128-10 (sigmoid hidden, softmax + cross-entropy), minibatch 64 of random data: ms per step
//     (forward + backward + SGD update).
//  2. 784-512-512-10 (relu hidden, softmax + cross-entropy), minibatch 128: ms per step.
//  3. 2-2-2 sigmoid + mse, 4 examples, full batch, 10,000 epochs: total ms.

import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { Network, Random, train } from "../packages/nn/dist/index.js";
import { compare, per, table, timeCells, timeHeaders } from "./lib.mjs";
import { layersOf, makeReference, REFERENCE_TILES } from "./reference.mjs";
import "@tensorflow/tfjs-backend-wasm";

const here = dirname(fileURLToPath(import.meta.url));
const rng = new Random(2024);
const uniform = (n, lo, hi) => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));

// ---------------------------------------------------------------------------------------------
// The 2-2-2 reference (the larger networks' reference is bench/reference.mjs).

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
// TensorFlow.js (float32): the same networks and step with optimizer.minimize. Variables live on the
// backend that is current when the step is made; every sample sets that backend first (untimed).

function tfjsStep(sizes, hidden, x, y, m) {
  const W = [],
    b = [];
  for (let l = 1; l < sizes.length; l++) {
    W.push(tf.variable(tf.randomUniform([sizes[l - 1], sizes[l]], -0.05, 0.05, "float32", l)));
    b.push(tf.variable(tf.zeros([sizes[l]])));
  }
  const xs = tf.tensor2d(Float32Array.from(x), [m, sizes[0]]);
  const ys = tf.tensor2d(Float32Array.from(y), [m, sizes.at(-1)]);
  const opt = tf.train.sgd(0.01);
  const forward = () => {
    let a = xs;
    for (let l = 0; l < W.length; l++) {
      a = a.matMul(W[l]).add(b[l]);
      if (l < W.length - 1) a = hidden === "sigmoid" ? a.sigmoid() : a.relu();
    }
    return tf.losses.softmaxCrossEntropy(ys, a);
  };
  return () => {
    const loss = opt.minimize(forward, true);
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

/** The two tfjs backends as contenders: each sample first makes its backend current. */
async function tfjsContenders(make, options) {
  const out = [];
  for (const backend of ["wasm", "cpu"]) {
    await tf.setBackend(backend);
    const flags =
      backend === "wasm"
        ? `${tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? ", SIMD" : ""}${tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? ", threads" : ""}`
        : "";
    out.push({
      name: `@tensorflow/tfjs ${tf.version.tfjs}, ${backend} backend (float32${flags})`,
      fn: make(),
      before: () => tf.setBackend(backend),
      ...options,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PyTorch: bench/torch_step.py in a python3 process of its own (one thread), asked for one timed
// sample at a time, so that its samples interleave with the others'. Optional: without a python3
// that imports torch, its rows say so.

// CHAINRULE_BENCH_PYTHON names the one interpreter to try ("none": none); otherwise python3 on the
// PATH, then Debian's /usr/bin/python3 (where apt's python3-torch goes).
const PYTHONS = process.env.CHAINRULE_BENCH_PYTHON
  ? [process.env.CHAINRULE_BENCH_PYTHON].filter((p) => p !== "none")
  : ["python3", "/usr/bin/python3"];

async function startTorch(config) {
  const python = PYTHONS.find((p) => spawnSync(p, ["-c", "import torch"], { stdio: "ignore" }).status === 0);
  if (python === undefined)
    return {
      missing: `not installed (${PYTHONS.length > 0 ? `no ${PYTHONS.join(" or ")} imports torch` : "CHAINRULE_BENCH_PYTHON=none"})`,
    };
  const threads = { OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" };
  const child = spawn(python, [join(here, "torch_step.py")], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...threads },
  });
  const waiting = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.once("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${python} bench/torch_step.py exited with ${code}`));
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  const hello = await ask(config);
  return {
    ...hello,
    python,
    sample: (net, dtype) => async (steps) => {
      const r = await ask({ net, dtype, steps });
      return { wall: r.ms, cpu: r.cpu_ms };
    },
    stop: () => child.stdin.end(`${JSON.stringify({ quit: true })}\n`),
  };
}

// ---------------------------------------------------------------------------------------------
// 1, 2. Training steps of the two larger networks.

/** How the rows name the kernels an engine reports (engine.kernels). */
const KERNELS = { wasm: "WebAssembly SIMD kernels", js: "plain-JavaScript typed-array kernels" };

const NETWORKS = {
  "784-128-10": { sizes: [784, 128, 10], hidden: "sigmoid", m: 64, lr: 0.01 },
  "784-512-512-10": { sizes: [784, 512, 512, 10], hidden: "relu", m: 128, lr: 0.01 },
};
const torch = await startTorch({ networks: NETWORKS, dtypes: ["float64", "float32"], seed: 1 }).catch((e) => ({
  missing: `failed: ${e.message}`,
}));

/**
 * One table: ms per training step of `name` (a NETWORKS entry) for every contender, in `rounds`
 * interleaved rounds of `steps` steps each (train(): one epoch of `steps` minibatches).
 */
async function stepTable(name, { init, steps, rounds, tfjs = {} }) {
  const { sizes, hidden, m, lr } = NETWORKS[name];
  const nIn = sizes[0],
    nOut = sizes.at(-1);
  const x = uniform(m * steps * nIn, 0, 1);
  const y = new Float64Array(m * steps * nOut);
  for (let e = 0; e < m * steps; e++) y[e * nOut + rng.int(nOut)] = 1;
  const mb = { m, x: x.slice(0, m * nIn), y: y.slice(0, m * nOut) };

  const activation = [...Array(sizes.length - 2).fill(hidden), "softmax"];
  const net = Network.create({ sizes, activation, cost: "cross-entropy" }, init);
  const theta = net.parameters();
  const { W, b } = layersOf(sizes, theta);
  const reference = makeReference(sizes, hidden, m, W, b);
  const referenceStep = () => reference(mb.x, mb.y, lr);

  // the engine alone on one fixed minibatch: gradient + the same SGD update, no trainer
  const engine = net.engine();
  const grad = new Float64Array(theta.length);
  const engineStep = () => {
    engine.gradient(theta, mb, grad);
    for (let i = 0; i < theta.length; i++) theta[i] -= lr * grad[i];
  };
  const kernels = KERNELS[engine.kernels] ?? "typed-array kernels";
  // and, where the engine offers the choice, on its plain-JavaScript kernels (the reference's terms)
  let jsEngine = null;
  try {
    jsEngine = engine.kernels === "wasm" ? net.engine({ kernels: "js" }) : null;
    if (jsEngine?.kernels !== "js") jsEngine = null;
  } catch {
    jsEngine = null;
  }
  const thetaJs = theta.slice();
  const jsEngineStep = () => {
    jsEngine.gradient(thetaJs, mb, grad);
    for (let i = 0; i < thetaJs.length; i++) thetaJs[i] -= lr * grad[i];
  };
  // same maths: one step of each from the same parameters ends at the same parameters
  engineStep();
  referenceStep();
  const after = layersOf(sizes, theta);
  let agree = 0;
  for (let l = 1; l < sizes.length; l++) {
    for (let i = 0; i < W[l].length; i++) agree = Math.max(agree, Math.abs(W[l][i] - after.W[l][i]));
    for (let i = 0; i < b[l].length; i++) agree = Math.max(agree, Math.abs(b[l][i] - after.b[l][i]));
  }

  // train(): one epoch of `steps` shuffled minibatches, gathered into buffers, cost and accuracy recorded
  let epochSeed = 0;
  const data = { m: m * steps, x, y };
  const chainruleTrain = () => train(net, data, { epochs: 1, learningRate: lr, batchSize: m, seed: epochSeed++ });
  const setup0 = performance.now();
  chainruleTrain(); // builds the plan once (not timed)
  const setupMs = performance.now() - setup0;

  const contenders = [
    {
      name: `hand-written Float64Array loop, ${REFERENCE_TILES} register tiles (reference)`,
      fn: referenceStep,
      calls: steps,
    },
    {
      name: `**chainrule** \`train()\`: matrix form on ${kernels} (also shuffles, gathers minibatches, records cost and accuracy)`,
      fn: chainruleTrain,
      calls: 1,
      per: steps,
    },
    {
      name: `chainrule engine alone (\`engine.gradient\` + SGD loop, one fixed minibatch), ${kernels}`,
      fn: engineStep,
      calls: steps,
    },
    ...(jsEngine === null
      ? []
      : [
          {
            name: 'chainrule engine alone, `kernels: "js"` (its plain-JavaScript kernels)',
            fn: jsEngineStep,
            calls: steps,
          },
        ]),
    ...(await tfjsContenders(() => tfjsStep(sizes, hidden, mb.x, mb.y, m), { calls: steps, ...tfjs })),
  ];
  const torchRows = ["float64", "float32"].map((dtype) => {
    const label = torch.missing
      ? `PyTorch, ${dtype}`
      : `PyTorch ${torch.torch} (${torch.python}, ${torch.threads} thread${torch.threads === 1 ? "" : "s"}, BLAS ${torch.blas}), ${dtype}`;
    if (torch.missing) return { label, missing: torch.missing };
    contenders.push({ name: label, sample: torch.sample(name, dtype), calls: steps });
    return null;
  });
  globalThis.gc?.();
  const run = await compare(contenders, { rounds, warmMs: 1000 });
  const perStep = run.results.map((r, i) => per(r, 1 / (contenders[i].per ?? 1)));
  const rows = perStep.map((r, i) => [contenders[i].name, ...timeCells(r, perStep[0], { bold: i === 1 })]);
  for (const t of torchRows) if (t) rows.push([t.label, t.missing, "–", "–", "–", "–", "–"]);
  table(
    `nn: ${name} training step (${hidden} hidden, softmax + cross-entropy, minibatch ${m}, random data): ms per step (forward + backward + SGD update), medians of ${rounds} interleaved rounds of ${steps} steps, lower is better. chainrule's one-time setup (plan, first epoch): ${(setupMs / 1000).toFixed(1)} s; after one step from the same parameters chainrule's engine and the reference differ by at most ${agree.toExponential(1)}`,
    ["implementation", ...timeHeaders("ms / step", "reference")],
    rows,
    run,
  );
}

await stepTable("784-128-10", { init: { method: "uniform", epsilon: 0.05, seed: 1 }, steps: 16, rounds: 9 });
await stepTable("784-512-512-10", { init: { seed: 1 }, steps: 2, rounds: 7, tfjs: { warmMaxMs: 5000 } });
torch.stop?.();

// ---------------------------------------------------------------------------------------------
// 3. 2-2-2 sigmoid, 4 examples, full batch, 10,000 epochs

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
const agree222 = Math.max(...net222.parameters().map((v, i) => Math.abs(v - hand222()[i])));
const run222 = await compare(
  [
    { name: "hand-written scalar loop (reference)", fn: hand222 },
    {
      name: "**chainrule** `train()`: core's compiled straight-line code (also records the cost of every epoch)",
      fn: chainrule222,
    },
    // tfjs: seconds per call; one call per sample, one call of warm-up
    ...(await tfjsContenders(() => () => tfjs222(theta0, X4, Y4, EPOCHS, 0.5), { calls: 1, warmMaxMs: 0 })),
  ],
  { rounds: 5, warmMs: 1000 },
);
const [hand] = run222.results;
table(
  `nn: 2-2-2 sigmoid + mse, 4 examples, full batch, ${EPOCHS.toLocaleString("en")} epochs: total ms, medians of ${run222.rounds} interleaved rounds, lower is better (chainrule's and the hand-written final weights differ by at most ${agree222.toExponential(1)})`,
  ["implementation", ...timeHeaders("ms", "reference")],
  run222.results.map((r, i) => [r.name, ...timeCells(r, hand, { bold: i === 1, digits: i > 1 ? 0 : 2 })]),
  run222,
);
