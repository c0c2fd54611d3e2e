// blockings: is bench/reference.mjs's register blocking (2 × 5 tiles, the 5-wide side outermost) the best
// one? The same training step (reference.mjs's makeReference) with its three products — forward W·A,
// backward Wᵀ·δ, gradient δ·Aᵀ fused with the update — in other register tiles and loop orders, generated
// here from one template (the hand-written kernels are what the template gives for 2 × 5, written out),
// for both networks of nn.bench.mjs. Timed in interleaved rounds on the process's CPU time (user + system,
// process.cpuUsage), which a busy machine disturbs far less than wall time: the single-threaded variants
// differ by a few per cent, less than wall time's spread on a loaded machine.

import { compare, table, timeCells, timeHeaders } from "./lib.mjs";
import { makeReference, REFERENCE_TILES } from "./reference.mjs";

/**
 * The three products in R × C register tiles: R along the examples (forward, backward) or neurons
 * (gradient), C along the other side; `outer` names the side whose tiles the outer loop steps through.
 */
function kernels(R, C, outer) {
  const acc = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) acc.push(`c${r}_${c}`);
  const fma = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) fma.push(`c${r}_${c} += x${r} * y${c};`);
  // one product: C-tile over (M, N) with inner dimension K; `row` declares per-tile bases, `head` opens the
  // inner loop, x(r) and y(c) load, store(r, c) writes, edge(i, j) computes one entry outside the tiles
  const product = ({ M, N, row, head, x, y, store, edge }) => {
    const tile = [
      row,
      `let ${acc.map((a) => `${a} = 0`).join(", ")};`,
      `${head} {`,
      ...Array.from({ length: R }, (_, r) => `const x${r} = ${x(r)};`),
      ...Array.from({ length: C }, (_, c) => `const y${c} = ${y(c)};`),
      ...fma,
      "}",
      ...Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => store(r, c))).flat(),
    ].join("\n");
    const [o, inr, oStep, iStep, oN, iN] = outer === "N" ? ["j", "i", C, R, N, M] : ["i", "j", R, C, M, N];
    return `
      let ${o} = 0;
      for (; ${o} + ${oStep} <= ${oN}; ${o} += ${oStep}) {
        let ${inr} = 0;
        for (; ${inr} + ${iStep} <= ${iN}; ${inr} += ${iStep}) {
          ${tile}
        }
        for (; ${inr} < ${iN}; ${inr}++) for (let t = ${o}; t < ${o} + ${oStep}; t++) {
          ${outer === "N" ? edge(inr, "t") : edge("t", inr)}
        }
      }
      for (; ${o} < ${oN}; ${o}++) for (let ${inr} = 0; ${inr} < ${iN}; ${inr}++) {
        ${edge("i", "j")}
      }`;
  };
  const dot = `function dot(A, a, sa, B, b, sb, K) {
    let s = 0;
    for (let p = 0; p < K; p++, a += sa, b += sb) s += A[a] * B[b];
    return s;
  }`;
  const forward = product({
    M: "m",
    N: "n",
    row: `${Array.from({ length: R }, (_, r) => `const a${r} = (i + ${r}) * k;`).join(" ")} ${Array.from({ length: C }, (_, c) => `const b${c} = (j + ${c}) * k;`).join(" ")}`,
    head: "for (let p = 0; p < k; p++)",
    x: (r) => `X[a${r} + p]`,
    y: (c) => `W[b${c} + p]`,
    store: (r, c) => `Z[(i + ${r}) * n + j + ${c}] = c${r}_${c} + bias[j + ${c}];`,
    edge: (i, j) => `Z[${i} * n + ${j}] = bias[${j}] + dot(X, ${i} * k, 1, W, ${j} * k, 1, k);`,
  });
  const backward = product({
    M: "m",
    N: "k",
    row: Array.from({ length: R }, (_, r) => `const a${r} = (i + ${r}) * n;`).join(" "),
    head: "for (let p = 0, w = j; p < n; p++, w += k)",
    x: (r) => `D[a${r} + p]`,
    y: (c) => `W[w + ${c}]`,
    store: (r, c) => `P[(i + ${r}) * k + j + ${c}] = c${r}_${c};`,
    edge: (i, j) => `P[${i} * k + ${j}] = dot(D, ${i} * n, 1, W, ${j}, k, n);`,
  });
  const descend = product({
    M: "n",
    N: "k",
    row: "",
    head: "for (let e = 0, d = i, a = j; e < m; e++, d += n, a += k)",
    x: (r) => `D[d + ${r}]`,
    y: (c) => `A[a + ${c}]`,
    store: (r, c) => `W[(i + ${r}) * k + j + ${c}] -= lr * c${r}_${c};`,
    edge: (i, j) => `W[${i} * k + ${j}] -= lr * dot(D, ${i}, n, A, ${j}, k, m);`,
  });
  return new Function(`"use strict";
    ${dot}
    return {
      forward(m, n, k, X, W, bias, Z) { ${forward} },
      backward(m, n, k, D, W, P) { ${backward} },
      descend(m, n, k, D, A, W, lr) { ${descend} },
    };`)();
}

// [R, C, outer]: the hand-written blocking first, then the others (the former reference: 4 × 4, rows outer)
const BLOCKINGS = [
  [2, 5, "N"],
  [4, 4, "M"],
  [4, 4, "N"],
  [3, 4, "N"],
  [5, 2, "N"],
  [2, 8, "N"],
  [4, 2, "N"],
  [2, 2, "N"],
];
const label = ([R, C, outer]) =>
  `${R}×${C}, ${outer === "N" ? `the ${C}-wide` : `the ${R}-high`} side outermost${R === 4 && C === 4 && outer === "M" ? " (the former reference's blocking)" : ""}`;

/** A seeded uniform generator (the variants must see the same numbers). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function survey(sizes, hidden, m, steps, rounds) {
  const rnd = random(5);
  const X = Float64Array.from({ length: m * sizes[0] }, rnd);
  const nOut = sizes.at(-1);
  const Y = new Float64Array(m * nOut);
  for (let e = 0; e < m; e++) Y[e * nOut + Math.floor(rnd() * nOut)] = 1;
  const layers = () => {
    const r = random(9);
    const W = [
      null,
      ...sizes.slice(1).map((n, l) => Float64Array.from({ length: n * sizes[l] }, () => (r() - 0.5) / 10)),
    ];
    const b = [null, ...sizes.slice(1).map((n) => new Float64Array(n))];
    return { W, b };
  };
  const contenders = [];
  const results = [];
  {
    const { W, b } = layers();
    const step = makeReference(sizes, hidden, m, W, b);
    contenders.push({
      name: `hand-written (reference.mjs), ${REFERENCE_TILES}`,
      fn: () => step(X, Y, 0.01),
      calls: steps,
    });
    results.push(W);
  }
  for (const blocking of BLOCKINGS) {
    const { W, b } = layers();
    const step = makeReference(sizes, hidden, m, W, b, kernels(...blocking));
    contenders.push({ name: `generated, ${label(blocking)}`, fn: () => step(X, Y, 0.01), calls: steps });
    results.push(W);
  }
  // one step each from the same weights: every variant computes the same numbers
  for (const c of contenders) c.fn();
  let agree = 0;
  for (const W of results.slice(1))
    for (let l = 1; l < sizes.length; l++)
      for (let i = 0; i < W[l].length; i++) agree = Math.max(agree, Math.abs(W[l][i] - results[0][l][i]));
  const run = await compare(contenders, { rounds, clock: "cpu", warmMs: 500 });
  const best = run.results.reduce((a, r) => (r.median < a.median ? r : a));
  table(
    `blockings: ${sizes.join("-")} training step (${hidden}, minibatch ${m}) with the reference's products in other register tiles: ms per step (fastest: the lowest CPU median), medians of ${rounds} interleaved rounds of ${steps} step${steps === 1 ? "" : "s"} (after one step from the same weights the variants' weights differ by at most ${agree.toExponential(1)})`,
    ["products", ...timeHeaders("ms / step", "fastest")],
    run.results.map((r) => [r.name, ...timeCells(r, best)]),
    run,
  );
}

await survey([784, 128, 10], "sigmoid", 64, 16, 9);
await survey([784, 512, 512, 10], "relu", 128, 1, 7);
