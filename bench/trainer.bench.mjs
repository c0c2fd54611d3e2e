// nn trainer: train() against the engine's bare loop, and a large network's setup against its training
// step, in one process, in interleaved rounds (the order rotated every round), medians and ratios of
// medians, wall and CPU time.
//  1. Trainer, 784-128-10 (sigmoid, softmax + cross-entropy), minibatch 64, 2048 examples (32 steps an
//     epoch), 4 epochs a call. The bare loop is, for each minibatch, `engine.gradient` on the batch and
//     the SGD update θ −= η g, on the same data already gathered in batch order. train() runs the same
//     steps and also shuffles, gathers the minibatches and records each epoch's cost and accuracy: with
//     `epochCost: "full"` (the default: J and accuracy over the whole set at the weights the epoch
//     ended with, one forward pass over the set) and `"running"` (from the minibatches' own passes).
//     Each is timed as it is and with a forced gc() between epochs (`onEpoch`; the bare loop calls
//     gc() at the same places), which needs `node --expose-gc`.
//  2. Setup, 784-512-512-10 (relu, softmax + cross-entropy): `Network.create` and its first
//     `network.engine()`, cold (the first in the process, before anything else) and warm (a new
//     network every call), against one training step of a minibatch of 128 (gradient + SGD update).
// Optionally, CHAINRULE_NN_BEFORE=<path of another build's nn dist/index.js> adds that build's
// train() and setup as contenders in the same rounds (its own copy of the code, loaded beside this one).
// Run after building: `node --expose-gc bench/trainer.bench.mjs`.

import os from "node:os";
import * as nn from "../packages/nn/dist/index.js";

const before = process.env.CHAINRULE_NN_BEFORE ? await import(process.env.CHAINRULE_NN_BEFORE) : null;
const gc = globalThis.gc;
if (gc === undefined) console.warn("gc() is not exposed (run node --expose-gc): the forced-GC rows are left out");

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
};
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[lo + 1] ?? s[lo]) - s[lo]);
  };
  return [q(0.25), q(0.75)];
};
const load = () => os.loadavg()[0].toFixed(2);
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4));

/**
 * Times contenders ({ name, fn, calls? }) in interleaved rounds: each warms up for `warm` samples,
 * then every round times one sample (`calls` calls) of each, starting one further along the list
 * each round. Returns per contender the samples' medians and quartiles of wall and CPU ms per call.
 */
function interleaved(contenders, { rounds = 15, warm = 2 } = {}) {
  const sample = (c) => {
    const n = c.calls ?? 1;
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) c.fn();
    return { wall: (performance.now() - t0) / n, cpu: (cpuMs() - c0) / n };
  };
  for (const c of contenders) for (let i = 0; i < warm; i++) sample(c);
  const wall = contenders.map(() => []);
  const cpu = contenders.map(() => []);
  const load0 = load();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (r + k) % contenders.length;
      const t = sample(contenders[i]);
      wall[i].push(t.wall);
      cpu[i].push(t.cpu);
    }
  }
  return {
    rounds,
    load: `${load0} → ${load()}`,
    results: contenders.map((c, i) => ({
      name: c.name,
      wall: median(wall[i]),
      wallIqr: quartiles(wall[i]),
      cpu: median(cpu[i]),
      cpuIqr: quartiles(cpu[i]),
    })),
  };
}

/** Prints a Markdown table of `run`, each row's medians divided by those of row `ref` (a name). */
function print(title, run, ref, per = 1) {
  const base = run.results.find((r) => r.name === ref);
  console.log(`### ${title}\n`);
  console.log(
    `<sub>${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · Node ${process.version} · ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim()}) · ${run.rounds} interleaved rounds, 1-min load ${run.load}</sub>\n`,
  );
  console.log(`| contender | wall ms (median) | wall IQR | wall ÷ ${ref} | CPU ms (median) | CPU IQR | CPU ÷ ${ref} |`);
  console.log("|---|---|---|---|---|---|---|");
  for (const r of run.results) {
    console.log(
      `| ${r.name} | ${fmt(r.wall / per)} | ${fmt(r.wallIqr[0] / per)}–${fmt(r.wallIqr[1] / per)} | **${(r.wall / base.wall).toFixed(2)}×** | ${fmt(r.cpu / per)} | ${fmt(r.cpuIqr[0] / per)}–${fmt(r.cpuIqr[1] / per)} | **${(r.cpu / base.cpu).toFixed(2)}×** |`,
    );
  }
  console.log("");
}

const rng = new nn.Random(2024);
/** m examples of nIn uniform inputs and one-hot targets of nOut classes. */
function dataset(m, nIn, nOut) {
  const x = new Float64Array(m * nIn);
  for (let i = 0; i < x.length; i++) x[i] = rng.float();
  const y = new Float64Array(m * nOut);
  for (let e = 0; e < m; e++) y[e * nOut + rng.int(nOut)] = 1;
  return { m, x, y };
}

// ---------------------------------------------------------------------------------------------
// 2. Setup (first: its cold figures are the process's first work).

const LARGE = { sizes: [784, 512, 512, 10], activation: ["relu", "relu", "softmax"], cost: "cross-entropy" };
const LARGE_B = 128;
const largeBatch = dataset(LARGE_B, 784, 10);
let setupSeed = 0;
/** Network.create and its first engine; the network is returned with the time each took. */
function setup(lib) {
  const c0 = cpuMs();
  const t0 = performance.now();
  const net = lib.Network.create(LARGE, { seed: setupSeed++ });
  const t1 = performance.now();
  const engine = net.engine();
  const t2 = performance.now();
  return { net, engine, create: t1 - t0, engine_: t2 - t1, wall: t2 - t0, cpu: cpuMs() - c0 };
}
const cold = [];
for (const [name, lib] of [["this build", nn], ...(before ? [["before", before]] : [])]) {
  const s = setup(lib);
  const theta = s.net.parameters();
  const grad = new Float64Array(theta.length);
  const t0 = performance.now();
  s.engine.gradient(theta, largeBatch, grad);
  cold.push({ name, ...s, first: performance.now() - t0 });
}

/** One SGD step of a fixed engine on the 128-example batch. */
function stepOf(lib) {
  const net = lib.Network.create(LARGE, { seed: 99 });
  const engine = net.engine();
  const theta = net.parameters();
  const grad = new Float64Array(theta.length);
  return () => {
    engine.gradient(theta, largeBatch, grad);
    for (let i = 0; i < theta.length; i++) theta[i] -= 0.01 * grad[i];
  };
}
{
  const step = stepOf(nn);
  const contenders = [
    { name: "one training step (gradient + SGD, batch 128)", fn: step },
    { name: "setup: `Network.create` + `network.engine()`", fn: () => setup(nn) },
    {
      name: "setup and the first step of a new network",
      fn: () => {
        const s = setup(nn);
        const theta = s.net.parameters();
        s.engine.gradient(theta, largeBatch, new Float64Array(theta.length));
      },
    },
  ];
  if (before)
    contenders.push(
      { name: "before: one training step", fn: stepOf(before) },
      { name: "before: setup", fn: () => setup(before) },
    );
  const run = interleaved(contenders, { rounds: 11, warm: 1 });
  print(
    "Setup of a 784-512-512-10 network (relu, softmax + cross-entropy) against one training step of a minibatch of 128: ms per call",
    run,
    "one training step (gradient + SGD, batch 128)",
  );
  console.log("Cold (the first in the process), wall ms:\n");
  console.log("| build | Network.create | first engine() | setup | first gradient (batch 128) |");
  console.log("|---|---|---|---|---|");
  for (const c of cold)
    console.log(`| ${c.name} | ${fmt(c.create)} | ${fmt(c.engine_)} | ${fmt(c.wall)} | ${fmt(c.first)} |`);
  console.log("");
}

// ---------------------------------------------------------------------------------------------
// 1. Trainer.

const SMALL = { sizes: [784, 128, 10], activation: ["sigmoid", "softmax"], cost: "cross-entropy" };
const B = 64;
const STEPS = 32;
const EPOCHS = 4;
const LR = 0.01;
const data = dataset(B * STEPS, 784, 10);
const INIT = { method: "uniform", epsilon: 0.05, seed: 1 };

/** The bare loop: the same examples already in batch order, gradient + SGD per minibatch. */
function bare(forceGc) {
  const net = nn.Network.create(SMALL, INIT);
  const engine = net.engine();
  const theta = net.parameters();
  const grad = new Float64Array(theta.length);
  const order = Uint32Array.from({ length: data.m }, (_, i) => i);
  rng.shuffle(order);
  const batches = [];
  for (let s = 0; s < data.m; s += B) batches.push(nn.pick(data, 784, 10, order, s, s + B));
  return () => {
    for (let ep = 0; ep < EPOCHS; ep++) {
      for (const b of batches) {
        engine.gradient(theta, b, grad);
        for (let i = 0; i < theta.length; i++) theta[i] -= LR * grad[i];
      }
      if (forceGc) gc();
    }
  };
}

/** train() of `lib` with these options, EPOCHS epochs a call (each call from where the last ended). */
function trainer(lib, options, forceGc) {
  const net = lib.Network.create(SMALL, INIT);
  let seed = 0;
  const onEpoch = forceGc ? () => void gc() : undefined;
  return () =>
    lib.train(net, data, { epochs: EPOCHS, learningRate: LR, batchSize: B, seed: seed++, onEpoch, ...options });
}

/** Bytes the heap grows by between epochs (the median over epochs without a collection). */
function growthPerEpoch(lib, options) {
  const net = lib.Network.create(SMALL, INIT);
  const used = [];
  lib.train(net, data, {
    epochs: 40,
    learningRate: LR,
    batchSize: B,
    ...options,
    onEpoch: () => void used.push(process.memoryUsage().heapUsed),
  });
  const d = [];
  for (let i = 1; i < used.length; i++) if (used[i] >= used[i - 1]) d.push(used[i] - used[i - 1]);
  return d.length === 0 ? Number.NaN : median(d);
}

const variants = [
  ["train(), epochCost full (default)", {}],
  ["train(), epochCost running", { epochCost: "running" }],
];
for (const forceGc of gc ? [false, true] : [false]) {
  const contenders = [{ name: "bare loop (engine.gradient + SGD, batches in order)", fn: bare(forceGc) }];
  for (const [name, options] of variants) contenders.push({ name, fn: trainer(nn, options, forceGc) });
  if (before) contenders.push({ name: "before: train()", fn: trainer(before, {}, forceGc) });
  // a forced collection varies more from round to round: more rounds for its medians
  const run = interleaved(contenders, { rounds: forceGc ? 25 : 15, warm: 2 });
  print(
    `train() against the bare loop, 784-128-10, minibatch ${B}, ${B * STEPS} examples, ${EPOCHS} epochs a call${forceGc ? ", gc() forced between epochs" : ""}: ms per epoch`,
    run,
    contenders[0].name,
    EPOCHS,
  );
}
console.log("Heap growth between epochs (median over 40 epochs, bytes; the epoch's record included):\n");
for (const [name, options] of variants) console.log(`- ${name}: ${growthPerEpoch(nn, options)}`);
if (before) console.log(`- before: train(): ${growthPerEpoch(before, {})}`);
