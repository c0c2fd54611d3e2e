// core benchmarks: the cheap-gradient principle in node counts, derivation time per edge, and the
// compiled program against the interpreter, against J alone, and against hand-written JavaScript.
import { setTimeout as tick } from "node:timers/promises";
import {
  compile,
  dagSize,
  deltaForm,
  forwardForm,
  gradientValues,
  layered,
  parameterIds,
} from "../packages/core/dist/index.js";
import { compare, ms, ratio, table, timeCells, timeHeaders } from "./lib.mjs";

const gc = globalThis.gc ?? (() => {});
const edges = (sizes) => sizes.slice(1).reduce((s, n, i) => s + n * (sizes[i] + 1), 0);

// 1. δ-form DAG size ÷ forward DAG size.
{
  const rows = [];
  for (const [name, spec] of [
    ["2-2-2", { sizes: [2, 2, 2] }],
    ["784-128-10", { sizes: [784, 128, 10], activation: ["sigmoid", "softmax"], cost: "cross-entropy" }],
    ["10 × 100", { sizes: Array(10).fill(100) }],
  ]) {
    const g = layered(spec);
    const f = forwardForm(g);
    const d = deltaForm(g);
    const fwd = dagSize([...f.definitions.values(), f.stableCost]);
    const back = dagSize([...d.deltas.map((x) => x.definition), ...d.gradients.map((x) => x.perExample)]);
    rows.push([name, fwd, back, (back / fwd).toFixed(2)]);
  }
  table(
    "δ-form expression DAG vs forward DAG (goal: ratio ≤ 3)",
    ["network", "forward nodes", "δ-form nodes", "ratio"],
    rows,
  );
}

// 2. Time to derive all gradients, cold (fresh graph, collected intern table).
{
  const rows = [];
  for (const sizes of [
    [64, 32, 10],
    [256, 64, 10],
    [784, 128, 10],
  ]) {
    const samples = [];
    for (let r = 0; r < 3; r++) {
      gc();
      await tick(10);
      gc();
      const g = layered({ sizes });
      const t0 = performance.now();
      deltaForm(g);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const t = samples[1];
    rows.push([sizes.join("-"), edges(sizes), ms(t), ((t / edges(sizes)) * 1e3).toFixed(3)]);
  }
  table(
    "Deriving every ∂J/∂θ (δ form), median of 3 cold runs",
    ["network", "edges (parameters)", "ms", "µs per edge"],
    rows,
  );
}

// 3–5. Compiled programs.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}
function setup(sizes, m) {
  const g = layered({ sizes, bias: true });
  const rnd = random(7);
  const theta = Float64Array.from(parameterIds(g), rnd);
  const data = {
    m,
    x: Float64Array.from({ length: m * sizes[0] }, rnd),
    y: Float64Array.from({ length: m * sizes.at(-1) }, () => (rnd() + 1) / 2),
  };
  return { g, theta, data };
}
// Each pair below runs in interleaved rounds (lib.mjs compare()): medians in µs of wall time and of CPU
// time, and their ratios.
const pair = (a, b, digits) => [
  ms(a.wall.median * 1e3),
  ms(b.wall.median * 1e3),
  ratio(a.wall.median, b.wall.median, digits),
  ms(a.cpu.median * 1e3),
  ms(b.cpu.median * 1e3),
  ratio(a.cpu.median, b.cpu.median, digits),
];
{
  const rows = [];
  const runs = [];
  for (const sizes of [
    [2, 2, 2],
    [20, 20, 20, 5],
  ]) {
    const { g, theta, data } = setup(sizes, 4);
    const prog = compile(g);
    const grad = new Float64Array(theta.length);
    prog.run(theta, data, grad);
    if (gradientValues(g, theta, data).some((v, i) => v !== grad[i]))
      throw new Error("compiled and interpreted gradients differ");
    const run = await compare(
      [
        { name: "interpreted", fn: () => gradientValues(g, theta, data) },
        { name: "compiled", fn: () => prog.run(theta, data, grad, false) },
      ],
      { warmMs: 1000 },
    );
    const [ti, tc] = run.results;
    runs.push(run);
    rows.push([sizes.join("-"), ...pair(ti, tc, 0)]);
  }
  table(
    "Compiled vs interpreted δ form, J + all gradients, 4 examples (goal: ≥ 10×)",
    [
      "network",
      "interpreted µs (wall)",
      "compiled µs (wall)",
      "speed-up (wall)",
      "interpreted µs (CPU)",
      "compiled µs (CPU)",
      "speed-up (CPU)",
    ],
    rows,
    ...runs,
  );
}
{
  const rows = [];
  const runs = [];
  for (const sizes of [
    [2, 2, 2],
    [20, 20, 20, 5],
    [50, 50, 10],
  ]) {
    const { g, theta, data } = setup(sizes, 16);
    const withGrad = compile(g);
    const only = compile(g, { gradients: false });
    const grad = new Float64Array(theta.length);
    // long warm-up: large generated functions reach the optimising compiler only after many calls
    const run = await compare(
      [
        { name: "J", fn: () => only.run(theta, data, undefined, false) },
        { name: "J + ∇J", fn: () => withGrad.run(theta, data, grad, false) },
      ],
      { warmMs: 2000 },
    );
    const [tj, tg] = run.results;
    runs.push(run);
    rows.push([sizes.join("-"), ...pair(tg, tj, 2)]);
  }
  table(
    "Compiled J + all gradients vs compiled J alone, 16 examples (goal: ≤ 3×)",
    ["network", "J + ∇J µs (wall)", "J µs (wall)", "ratio (wall)", "J + ∇J µs (CPU)", "J µs (CPU)", "ratio (CPU)"],
    rows,
    ...runs,
  );
}
{
  // The same maths written by hand: 2-2-2 sigmoid with biases, mse, 4 examples.
  const { g, theta, data } = setup([2, 2, 2], 4);
  const sig = (z) => 1 / (1 + Math.exp(-z));
  function handWritten(t, x, y, m, grad) {
    grad.fill(0);
    let J = 0;
    for (let e = 0; e < m; e++) {
      const x1 = x[2 * e],
        x2 = x[2 * e + 1],
        y1 = y[2 * e],
        y2 = y[2 * e + 1];
      const h1 = sig(t[1] * x1 + t[2] * x2 + t[0]);
      const h2 = sig(t[4] * x1 + t[5] * x2 + t[3]);
      const o1 = sig(t[7] * h1 + t[8] * h2 + t[6]);
      const o2 = sig(t[10] * h1 + t[11] * h2 + t[9]);
      J += (0.5 / m) * ((y1 - o1) ** 2 + (y2 - o2) ** 2);
      const d31 = ((o1 - y1) / m) * o1 * (1 - o1);
      const d32 = ((o2 - y2) / m) * o2 * (1 - o2);
      const d21 = (t[7] * d31 + t[10] * d32) * h1 * (1 - h1);
      const d22 = (t[8] * d31 + t[11] * d32) * h2 * (1 - h2);
      grad[0] += d21;
      grad[1] += d21 * x1;
      grad[2] += d21 * x2;
      grad[3] += d22;
      grad[4] += d22 * x1;
      grad[5] += d22 * x2;
      grad[6] += d31;
      grad[7] += d31 * h1;
      grad[8] += d31 * h2;
      grad[9] += d32;
      grad[10] += d32 * h1;
      grad[11] += d32 * h2;
    }
    return J;
  }
  const prog = compile(g);
  const g1 = new Float64Array(12);
  const g2 = new Float64Array(12);
  const j1 = prog.run(theta, data, g1);
  const j2 = handWritten(theta, data.x, data.y, data.m, g2);
  if (Math.abs(j1 - j2) > 1e-12 || g1.some((v, i) => Math.abs(v - g2[i]) > 1e-12))
    throw new Error("hand-written reference disagrees with chainrule");
  const run = await compare(
    [
      { name: "hand-written scalar JavaScript", fn: () => handWritten(theta, data.x, data.y, data.m, g2) },
      { name: "chainrule compiled (δ form)", fn: () => prog.run(theta, data, g1, false) },
    ],
    { rounds: 11, warmMs: 1000 },
  );
  const [th] = run.results;
  table(
    "2-2-2 sigmoid, 4 examples, one gradient evaluation (goal: ≤ 1.5× hand-written)",
    ["implementation", ...timeHeaders("µs per call", "hand-written")],
    run.results.map((r) => [r.name, ...timeCells(r, th, { k: 1e3 })]),
    run,
  );
}
