/**
 * The WebAssembly SIMD kernels against the plain-JS kernels, their oracle. In double precision
 * they are equal bit for bit — every entry of C is summed in the same order from +0, each product
 * rounded before it is added, and the same cache blocks cut the sums at the same places — so the
 * properties compare entry by entry with Object.is (−0 and +0 differ), over random shapes: 0, 1,
 * odd sizes, sizes around multiples of the register tile, large enough for several panels,
 * cache blocks forced by tiny cache sizes, offsets, padded leading dimensions, C = and C +=, and
 * values of every magnitude (subnormals, −0, ±2^±600). The engines (kernels "wasm" and "js")
 * then give the same J, ∂J/∂θ and outputs, and train() the same parameters.
 *
 * The single-precision (f32x4) kernels round A and B to float32, multiply and sum in float32 and
 * widen the sums to float64; they are held to the error bound of a K-term float32 dot product of
 * the rounded operands: |c − exact| ≤ γ₍K₊₃₎ Σ|a_p b_p| (+ one float64 rounding of the result),
 * γₙ = n·u/(1 − n·u), u = 2⁻²⁴, exact being the sum of the float64 operands.
 */

import { type LayerSpec, UnknownNameError } from "@chainrule/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { WASM_MIN_PARAMETERS } from "../src/engine/matrix-program.js";
import { Engine, MatrixProgram, Network, Random, type TrainOptions, train } from "../src/index.js";
import { gemmNNUnchecked, gemmNTUnchecked, gemmTNUnchecked, setCacheSizes } from "../src/kernels/matmul.js";
import { JS_KERNELS, WasmArena, wasmKernelModule, wasmSimdSupported } from "../src/kernels/wasm/backend.js";
import { gemmModuleBytes } from "../src/kernels/wasm/gemm-module.js";

const module = wasmKernelModule();

/** The module, which this host (Node 20) must run. */
function kernelModule(): NonNullable<typeof module> {
  if (module === null) throw new Error("WebAssembly SIMD did not validate on this host");
  return module;
}

/** The first index where a and b differ as bits (Object.is), or −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** A size: 0, 1, small, around a multiple of the tiles (4 rows, 4 columns), or larger. */
const size = (max: number) =>
  fc.oneof(
    fc.constantFrom(0, 1, 2, 3),
    fc.integer({ min: 0, max: 13 }),
    fc.constantFrom(4, 5, 7, 8, 9, 12, 15, 16, 17),
    fc.integer({ min: 0, max }),
  );

/** Values: mostly in [−1, 1], some of any magnitude, subnormal, or ±0. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 5e-324, -2.5e-310, 2 ** 600, -(2 ** -600), 1 + 2 ** -52) },
  { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
);

const product = fc.record({
  M: size(40),
  N: size(40),
  K: size(70),
  pad: fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 })),
  off: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.nat({ max: 4 })),
  acc: fc.boolean(),
  // values of the three operands, repeated to fill them
  values: fc.array(value, { minLength: 1, maxLength: 64 }),
  seed: fc.nat({ max: 2 ** 32 - 1 }),
  // the inner dimension the arena's scratch is sized for (products past it run the JS tile)
  maxK: fc.oneof(fc.constant(128), fc.integer({ min: 1, max: 80 })),
});

type Orientation = "NT" | "TN" | "NN";
const JS = { NT: gemmNTUnchecked, TN: gemmTNUnchecked, NN: gemmNNUnchecked };

/** Runs a product on the WebAssembly kernels and on the plain-JS kernels, operands in an arena. */
function agree(o: Orientation) {
  return fc.property(product, ({ M, N, K, pad, off, acc, values, seed, maxK }) => {
    // A is M × K (K × M for TN), B is K × N (N × K for NT), each row-major with padding
    const [aRows, aCols] = o === "TN" ? [K, M] : [M, K];
    const [bRows, bCols] = o === "NT" ? [N, K] : [K, N];
    const lda = aCols + pad[0];
    const ldb = bCols + pad[1];
    const ldc = N + pad[2];
    const sizes = [off[0] + aRows * lda + 1, off[1] + bRows * ldb + 1, off[2] + M * ldc + 1];
    const arena = new WasmArena(kernelModule(), sizes[0]! + sizes[1]! + 2 * sizes[2]!, 4, maxK);
    const rng = new Random(seed);
    const fill = (n: number) => {
      const v = arena.alloc(n);
      for (let i = 0; i < n; i++) v[i] = values[rng.int(values.length)]!;
      return v;
    };
    const A = fill(sizes[0]!);
    const B = fill(sizes[1]!);
    const C0 = fill(sizes[2]!);
    const Cw = arena.alloc(sizes[2]!);
    Cw.set(C0);
    expect(arena.holds(A) && arena.holds(B) && arena.holds(Cw)).toBe(true);
    arena.kernels[`gemm${o}`](M, N, K, A, off[0], lda, B, off[1], ldb, Cw, off[2], ldc, acc);
    const Cj = C0.slice();
    JS[o](M, N, K, A, off[0], lda, B, off[1], ldb, Cj, off[2], ldc, acc);
    const at = firstDifference(Cw, Cj);
    expect(at, `${o} M=${M} N=${N} K=${K} acc=${acc}: entry ${at} is ${Cw[at]}, the JS kernel's ${Cj[at]}`).toBe(-1);
  });
}

describe("WebAssembly SIMD kernels", () => {
  afterEach(() => {
    setCacheSizes({ l1: 48 * 1024, l2: 1024 * 1024 });
  });

  it("validate on this host (Node 20), and the module's bytes are the same every time they are made", () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(module).not.toBeNull();
    expect(Array.from(gemmModuleBytes())).toEqual(Array.from(gemmModuleBytes()));
  });

  it("gemmNT: A·Bᵀ equals the JS kernel bit for bit", () => fc.assert(agree("NT"), { numRuns: runs(300) }));
  it("gemmTN: Aᵀ·B equals the JS kernel bit for bit", () => fc.assert(agree("TN"), { numRuns: runs(300) }));
  it("gemmNN: A·B equals the JS kernel bit for bit", () => fc.assert(agree("NN"), { numRuns: runs(300) }));

  it("cut into the same cache blocks (tiny caches force them), still equal bit for bit", () => {
    setCacheSizes({ l1: 256, l2: 2048 });
    for (const o of ["NT", "TN", "NN"] as const) fc.assert(agree(o), { numRuns: runs(150) });
  });

  it("run the plain-JS kernel when an operand is outside the arena's memory", () => {
    const arena = new WasmArena(kernelModule(), 1024, 4, 16);
    const A = arena.alloc(6 * 5);
    const B = arena.alloc(5 * 7);
    for (let i = 0; i < A.length; i++) A[i] = Math.sin(i);
    for (let i = 0; i < B.length; i++) B[i] = Math.cos(i);
    const outside = new Float64Array(6 * 7);
    const oracle = new Float64Array(6 * 7);
    expect([arena.holds(A), arena.holds(B), arena.holds(outside)]).toEqual([true, true, false]);
    arena.kernels.gemmNN(6, 7, 5, A, 0, 5, B, 0, 7, outside, 0, 7, false);
    JS_KERNELS.gemmNN(6, 7, 5, A, 0, 5, B, 0, 7, oracle, 0, 7, false);
    expect(firstDifference(outside, oracle)).toBe(-1);
    expect(outside.some((v) => v !== 0)).toBe(true);
  });

  it("single precision (f32x4): within the error bound of a float32 dot product of the rounded operands", () => {
    const u = 2 ** -24;
    fc.assert(
      fc.property(
        product,
        fc.constantFrom("NT", "TN", "NN" as const),
        fc.boolean(),
        ({ M, N, K, pad, off, acc, seed }, o, tiny) => {
          if (tiny) setCacheSizes({ l1: 256, l2: 2048 });
          const [aRows, aCols] = o === "TN" ? [K, M] : [M, K];
          const [bRows, bCols] = o === "NT" ? [N, K] : [K, N];
          const lda = aCols + pad[0];
          const ldb = bCols + pad[1];
          const ldc = N + pad[2];
          const sizes = [off[0] + aRows * lda + 1, off[1] + bRows * ldb + 1, off[2] + M * ldc + 1];
          const arena = new WasmArena(kernelModule(), sizes[0]! + sizes[1]! + sizes[2]!, 3, 128, "float32", 64);
          expect(arena.kernels.dtype).toBe("float32");
          const rng = new Random(seed);
          const fill = (n: number) => {
            const v = arena.alloc(n);
            for (let i = 0; i < n; i++) v[i] = rng.int(9) === 0 ? 0 : rng.uniform(-1, 1) * 2 ** (rng.int(17) - 8);
            return v;
          };
          const A = fill(sizes[0]!);
          const B = fill(sizes[1]!);
          const C = fill(sizes[2]!);
          const before = C.slice();
          arena.kernels[`gemm${o}`](M, N, K, A, off[0], lda, B, off[1], ldb, C, off[2], ldc, acc);
          const Aat = (i: number, p: number) => A[off[0] + (o === "TN" ? p * lda + i : i * lda + p)]!;
          const Bat = (p: number, j: number) => B[off[1] + (o === "NT" ? j * ldb + p : p * ldb + j)]!;
          // rounding A and B (2u), the product (u) and K additions: γ₍K₊₃₎ of Σ|a b|; the float64 addition of C₀
          const gamma = ((K + 3) * u) / (1 - (K + 3) * u);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              const c = off[2] + i * ldc + j;
              let exact = 0;
              let mass = 0;
              for (let p = 0; p < K; p++) {
                exact += Aat(i, p) * Bat(p, j);
                mass += Math.abs(Aat(i, p) * Bat(p, j));
              }
              if (acc) exact += before[c]!;
              const bound = gamma * mass + 2 ** -52 * Math.abs(exact) + 1e-30;
              expect(Math.abs(C[c]! - exact), `${o} M=${M} N=${N} K=${K} (${i}, ${j})`).toBeLessThanOrEqual(bound);
            }
          }
          // nothing outside C's block is written
          for (let c = 0; c < C.length; c++) {
            const r = Math.floor((c - off[2]) / ldc);
            const col = (c - off[2]) % ldc;
            if (c < off[2] || r >= M || col >= N) expect(C[c]).toBe(before[c]);
          }
          setCacheSizes({ l1: 48 * 1024, l2: 1024 * 1024 });
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("single precision is not double precision: float32 products differ from the JS kernels", () => {
    const arena = new WasmArena(kernelModule(), 3 * 64 * 64, 3, 64, "float32", 64);
    const A = arena.alloc(64 * 64);
    const B = arena.alloc(64 * 64);
    const C = arena.alloc(64 * 64);
    for (let i = 0; i < A.length; i++) A[i] = Math.sin(i) / 3;
    for (let i = 0; i < B.length; i++) B[i] = Math.cos(i) / 7;
    arena.kernels.gemmNN(64, 64, 64, A, 0, 64, B, 0, 64, C, 0, 64, false);
    const oracle = new Float64Array(64 * 64);
    gemmNNUnchecked(64, 64, 64, A, 0, 64, B, 0, 64, oracle, 0, 64, false);
    const differ = C.filter((v, i) => v !== oracle[i]).length;
    expect(differ).toBeGreaterThan(64 * 64 * 0.9);
    // every sum is a float32 widened to float64
    expect(C.every((v) => Math.fround(v) === v)).toBe(true);
  });
});

/** A random layered network spec, wide enough to cross the register tiles and panels. */
const spec: fc.Arbitrary<LayerSpec> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 37 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.constantFrom("sigmoid", "relu", "tanh", "gelu"),
    out: fc.constantFrom(
      { act: "softmax", cost: "cross-entropy" },
      { act: "sigmoid", cost: "mse" },
      { act: "identity", cost: "mse" },
    ),
    bias: fc.boolean(),
    l2: fc.constantFrom(0, 0.05),
  })
  .map(({ sizes, hidden, out, bias, l2 }) => {
    if (out.act === "softmax") sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]!);
    return {
      sizes,
      activation: [...sizes.slice(2).map(() => hidden), out.act],
      cost: out.cost,
      bias,
      l2,
    } as LayerSpec;
  });

describe("engines on WebAssembly kernels", () => {
  it("give the JS kernels' J, ∂J/∂θ, outputs and loss bit for bit", () => {
    fc.assert(
      fc.property(spec, fc.integer({ min: 1, max: 70 }), fc.nat({ max: 2 ** 32 - 1 }), (s, m, seed) => {
        const js = Engine.forLayers(s, { kind: "matrix", kernels: "js" });
        const wasm = Engine.forLayers(s, { kind: "matrix", kernels: "wasm", capacity: 1 + (seed & 63) });
        expect([js.kernels, wasm.kernels]).toEqual(["js", "wasm"]);
        const rng = new Random(seed);
        const n = Network.create(s, { method: "uniform", epsilon: 0.8, seed }).parameters();
        const nIn = s.sizes[0]!;
        const nOut = s.sizes[s.sizes.length - 1]!;
        const x = Float64Array.from({ length: m * nIn }, () => rng.uniform(-2, 2));
        const y = Float64Array.from({ length: m * nOut }, () => (rng.int(3) === 0 ? 1 : 0));
        const batch = { m, x, y };
        const g1 = new Float64Array(n.length);
        const g2 = new Float64Array(n.length);
        const label = JSON.stringify(s);
        expect(Object.is(wasm.gradient(n, batch, g2), js.gradient(n, batch, g1)), label).toBe(true);
        expect(firstDifference(g2, g1), label).toBe(-1);
        expect(firstDifference(wasm.forward(n, x, m).slice(0, m * nOut), js.forward(n, x, m).slice(0, m * nOut))).toBe(
          -1,
        );
        expect(Object.is(wasm.cost(n, batch), js.cost(n, batch)), label).toBe(true);
        expect(Object.is(wasm.loss(n, batch, m + 3), js.loss(n, batch, m + 3)), label).toBe(true);
      }),
      { numRuns: runs(120), endOnFailure: true },
    );
  });

  it("train() gives the same parameters and history with kernels auto (WebAssembly here), wasm and js", () => {
    const s: LayerSpec = { sizes: [13, 17, 9, 3], activation: ["tanh", "relu", "softmax"], cost: "cross-entropy" };
    const rng = new Random(7);
    const m = 90;
    const x = Float64Array.from({ length: m * 13 }, () => rng.uniform(-1, 1));
    const y = new Float64Array(m * 3);
    for (let e = 0; e < m; e++) y[e * 3 + rng.int(3)] = 1;
    const runWith = (kernels?: "js" | "wasm", more: Partial<TrainOptions> = {}) => {
      const net = Network.create(s, { seed: 3 });
      const r = train(
        net,
        { m, x, y },
        {
          epochs: 4,
          batchSize: 32,
          learningRate: 0.1,
          optimizer: "adam",
          engine: "matrix",
          ...(kernels === undefined ? {} : { kernels }),
          ...more,
        },
      );
      return { theta: net.parameters(), history: r.history, kernels: net.engine({ kind: "matrix" }).kernels };
    };
    const auto = runWith();
    const js = runWith("js");
    const wasm = runWith("wasm");
    expect(auto.kernels).toBe("wasm");
    expect(firstDifference(auto.theta, js.theta)).toBe(-1);
    expect(firstDifference(wasm.theta, js.theta)).toBe(-1);
    expect(auto.history).toEqual(js.history);
    // minibatches gathered straight into the WebAssembly memory, with running costs and a validation
    // set wider than the batches (the engine grows its memory in the first epoch): the same bits
    const more: Partial<TrainOptions> = { epochCost: "running", validation: { m, x, y } };
    const jsRunning = runWith("js", more);
    const wasmRunning = runWith("wasm", more);
    expect(wasmRunning.kernels).toBe("wasm");
    expect(firstDifference(wasmRunning.theta, jsRunning.theta)).toBe(-1);
    expect(firstDifference(wasmRunning.theta, js.theta)).toBe(-1);
    expect(wasmRunning.history).toEqual(jsRunning.history);
    // the run moved the parameters
    expect(firstDifference(js.theta, Network.create(s, { seed: 3 }).parameters())).not.toBe(-1);
  });

  it("dtype float32: J and ∂J/∂θ within 1e-4 of the float64 engine's (relative to the largest), and not the same bits", () => {
    let differ = 0;
    fc.assert(
      fc.property(spec, fc.integer({ min: 1, max: 70 }), fc.nat({ max: 2 ** 32 - 1 }), (s, m, seed) => {
        const f64 = Engine.forLayers(s, { kind: "matrix", kernels: "js" });
        const f32 = Engine.forLayers(s, { kind: "matrix", dtype: "float32" });
        expect([f32.kernels, f32.dtype, f64.dtype]).toEqual(["wasm", "float32", "float64"]);
        const rng = new Random(seed);
        const theta = Network.create(s, { method: "uniform", epsilon: 0.8, seed }).parameters();
        const nIn = s.sizes[0]!;
        const nOut = s.sizes[s.sizes.length - 1]!;
        const batch = {
          m,
          x: Float64Array.from({ length: m * nIn }, () => rng.uniform(-2, 2)),
          y: Float64Array.from({ length: m * nOut }, () => (rng.int(3) === 0 ? 1 : 0)),
        };
        const g64 = new Float64Array(theta.length);
        const g32 = new Float64Array(theta.length);
        const J64 = f64.gradient(theta, batch, g64);
        const J32 = f32.gradient(theta, batch, g32);
        const label = JSON.stringify(s);
        expect(Math.abs(J32 - J64), label).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(J64)));
        const scale = Math.max(1e-3, ...Array.from(g64, Math.abs));
        for (let i = 0; i < g64.length; i++)
          expect(Math.abs(g32[i]! - g64[i]!), label).toBeLessThanOrEqual(1e-4 * scale);
        if (firstDifference(g32, g64) !== -1) differ++;
      }),
      { numRuns: runs(60), endOnFailure: true },
    );
    expect(differ).toBeGreaterThan(0);
  });

  it("train() with dtype float32 learns like float64: a close cost, different bits", () => {
    const s: LayerSpec = { sizes: [13, 24, 3], activation: ["tanh", "softmax"], cost: "cross-entropy" };
    const rng = new Random(11);
    const m = 120;
    const x = Float64Array.from({ length: m * 13 }, () => rng.uniform(-1, 1));
    const y = new Float64Array(m * 3);
    // the class is the largest of three sums of the inputs: learnable
    for (let e = 0; e < m; e++) {
      const sums = [0, 1, 2].map((c) => x.slice(e * 13, e * 13 + 13).reduce((t, v, k) => t + (k % 3 === c ? v : 0), 0));
      y[e * 3 + sums.indexOf(Math.max(...sums))] = 1;
    }
    const run = (dtype: "float32" | "float64") => {
      const net = Network.create(s, { seed: 5 });
      const r = train(net, { m, x, y }, { epochs: 30, batchSize: 40, learningRate: 0.05, optimizer: "adam", dtype });
      return { theta: net.parameters(), cost: r.history[r.history.length - 1]!.cost, first: r.history[0]!.cost };
    };
    const a = run("float64");
    const b = run("float32");
    expect(b.cost).toBeLessThan(0.5 * b.first);
    expect(Math.abs(b.cost - a.cost)).toBeLessThanOrEqual(1e-3 * a.first);
    expect(firstDifference(a.theta, b.theta)).not.toBe(-1);
  });

  it("dtype float32 refuses the JS kernels, compiled code and networks without a matrix form; auto picks the matrix engine", () => {
    const tiny: LayerSpec = { sizes: [2, 3, 1] };
    expect(() => Engine.forLayers(tiny, { dtype: "float32", kernels: "js" })).toThrow(/kernels "auto" or "wasm"/);
    expect(() => Engine.forLayers(tiny, { dtype: "float32", kind: "compiled" })).toThrow(/engine "matrix" or "auto"/);
    expect(() =>
      Engine.forLayers({ sizes: [2, 3, 2], activation: ["sigmoid", "softmax"], cost: "mse" }, { dtype: "float32" }),
    ).toThrow(/dtype "float64"/);
    expect(() => Engine.forLayers(tiny, { dtype: "float16" as "float32" })).toThrow(UnknownNameError);
    expect(() =>
      train(
        Network.create(tiny),
        { x: [[0, 0]], y: [[1]] },
        { epochs: 1, learningRate: 0.1, dtype: "half" as "float32" },
      ),
    ).toThrow(UnknownNameError);
    const e = Engine.forLayers(tiny, { dtype: "float32" });
    expect([e.kind, e.kernels, e.dtype]).toEqual(["matrix", "wasm", "float32"]);
    expect(Engine.forLayers(tiny).kind).toBe("compiled");
  });

  it("auto: the JS kernels below WASM_MIN_PARAMETERS parameters, WebAssembly from there on", () => {
    // 2-8-1 has 33 parameters; n inputs, 8 hidden, 1 output have 8(n + 1) + 9
    const sizes = (n: number): LayerSpec => ({ sizes: [n, 8, 1] });
    const below = Math.floor((WASM_MIN_PARAMETERS - 9) / 8) - 1;
    expect(8 * (below + 1) + 9).toBeLessThan(WASM_MIN_PARAMETERS);
    expect(8 * (below + 2) + 9).toBeGreaterThanOrEqual(WASM_MIN_PARAMETERS);
    expect(Engine.forLayers(sizes(below), { kind: "matrix" }).kernels).toBe("js");
    expect(Engine.forLayers(sizes(below + 1), { kind: "matrix" }).kernels).toBe("wasm");
    expect(Engine.forLayers(sizes(below), { kind: "matrix", kernels: "wasm" }).kernels).toBe("wasm");
    expect(Engine.forLayers(sizes(below + 1), { kind: "matrix", kernels: "js" }).kernels).toBe("js");
  });

  it("refuse an unknown kernel choice with a typed error naming the choices", () => {
    expect(() => Engine.forLayers({ sizes: [2, 3, 1] }, { kernels: "simd" as "wasm" })).toThrow(UnknownNameError);
    expect(
      () => new MatrixProgram(Network.create({ sizes: [2, 3, 1] }).graph(), 4, { kernels: "gpu" as "js" }),
    ).toThrow(/kernels/);
    expect(() =>
      train(
        Network.create({ sizes: [2, 3, 1] }),
        { x: [[0, 0]], y: [[1]] },
        { epochs: 1, learningRate: 0.1, kernels: "fast" as "js" },
      ),
    ).toThrow(UnknownNameError);
  });

  it("keep the gradient in the caller's array and the parameters unwritten", () => {
    const s: LayerSpec = { sizes: [9, 6, 2], activation: ["sigmoid", "softmax"], cost: "cross-entropy", l2: 0.1 };
    const e = Engine.forLayers(s, { kind: "matrix", kernels: "wasm" });
    const theta = Network.create(s, { seed: 1 }).parameters();
    const copy = theta.slice();
    const rng = new Random(2);
    const batch = {
      m: 5,
      x: Float64Array.from({ length: 45 }, () => rng.uniform(-1, 1)),
      y: new Float64Array(10).fill(0.5),
    };
    const grad = new Float64Array(theta.length).fill(Number.NaN);
    e.gradient(theta, batch, grad);
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(firstDifference(theta, copy)).toBe(-1);
    expect(e.outputs.length).toBeGreaterThanOrEqual(10);
  });

  it('kernels: "wasm" is an OptionError and "auto" runs the JS kernels where WebAssembly does not run', async () => {
    vi.resetModules();
    vi.stubGlobal("WebAssembly", undefined);
    try {
      const nn = await import("../src/index.js");
      const s: LayerSpec = { sizes: [40, 30, 2] };
      expect(() => nn.Engine.forLayers(s, { kind: "matrix", kernels: "wasm" })).toThrow(nn.OptionError);
      expect(() => nn.Engine.forLayers(s, { kind: "matrix", kernels: "wasm" })).toThrow(/kernels "auto" or "js"/);
      expect(nn.Engine.forLayers(s, { kind: "matrix" }).kernels).toBe("js");
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
