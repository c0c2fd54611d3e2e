/**
 * The planner on arbitrary tensor expressions, not only the shapes core's matrix form uses:
 * random trees of products (in every orientation), transposes, sums, broadcasts, Hadamard
 * products, scalings, sums over examples and element-wise maps, planned into destinations of
 * either layout, against a dense evaluator written from the definitions.
 */

import {
  ACTIVATION_TABLE,
  type ActivationName,
  ELEMENTWISE_ACTIVATIONS,
  type Expr,
  evaluateWith,
  ids,
  LAMBDA,
  M,
  mul,
  num,
  pow,
  sub,
  sym,
  type TExpr,
} from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PlanContext, Planner } from "../src/engine/planner.js";
import { type Frame, type Operand, paramLayers } from "../src/engine/views.js";
import { Random } from "../src/index.js";
import { compileMap } from "../src/kernels/templates.js";
import { JS_KERNELS, WasmArena, wasmKernelModule } from "../src/kernels/wasm/backend.js";
import { firstMismatch } from "./helpers.js";

/** A dense matrix: r × c, row-major. */
interface Dense {
  readonly r: number;
  readonly c: number;
  readonly v: Float64Array;
}

interface Setup {
  readonly sizes: number[];
  readonly m: number;
  readonly ctx: PlanContext;
  readonly frame: Frame;
  readonly lambda: number;
}

const ELEMENTWISE: readonly ActivationName[] = ELEMENTWISE_ACTIVATIONS;

/** A memory for the WebAssembly kernels, big enough for any setup below (sizes ≤ 6, m ≤ 7). */
function arena(): WasmArena {
  const module = wasmKernelModule();
  if (module === null) throw new Error("this host runs no WebAssembly SIMD");
  return new WasmArena(module, 8192, 64, 8);
}

function setup(rng: Random, sizes: number[], m: number, bias: boolean, memory: WasmArena | null): Setup {
  const L = sizes.length;
  const params = paramLayers(sizes, bias);
  const alloc = (n: number) => (memory === null ? new Float64Array(n) : memory.alloc(n));
  const fill = (n: number) => {
    const v = alloc(n);
    for (let i = 0; i < n; i++) v[i] = rng.uniform(-1.5, 1.5);
    return v;
  };
  const z: (Float64Array | null)[] = [null, null];
  const a: (Float64Array | null)[] = [null, null];
  const d: (Float64Array | null)[] = [null, null];
  for (let l = 2; l <= L; l++) {
    z[l] = fill(sizes[l - 1]! * m);
    a[l] = fill(sizes[l - 1]! * m);
    d[l] = fill(sizes[l - 1]! * m);
  }
  const np = params.reduce((s, p) => s + p.to * p.ld, 0);
  const lambda = 0.3;
  const ctx: PlanContext = {
    sizes,
    params,
    z,
    a,
    d,
    lse: new Float64Array(m),
    theta: "theta",
    grad: "grad",
    l2: lambda,
    mapKernel: (t, mode) => compileMap(t.template, t.layer, mode),
    kernels: memory === null ? JS_KERNELS : memory.kernels,
    alloc,
  };
  const frame: Frame = {
    theta: fill(np),
    grad: alloc(np),
    x: fill(m * sizes[0]!),
    y: fill(m * sizes[L - 1]!),
  };
  return { sizes, m, ctx, frame, lambda };
}

/** The value of t, from the definitions. */
function dense(s: Setup, t: TExpr): Dense {
  const { sizes, m, ctx, frame } = s;
  const L = sizes.length;
  const make = (r: number, c: number, f: (i: number, j: number) => number): Dense => {
    const v = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) v[i * c + j] = f(i, j);
    return { r, c, v };
  };
  const at = (x: Dense, i: number, j: number) => x.v[i * x.c + j]!;
  switch (t.kind) {
    case "weights": {
      const p = ctx.params[t.layer - 1]!;
      return make(p.to, p.from, (j, k) => frame.theta[p.off + j * p.ld + (p.bias ? 1 : 0) + k]!);
    }
    case "biases": {
      const p = ctx.params[t.layer - 1]!;
      return make(p.to, 1, (j) => frame.theta[p.off + j * p.ld]!);
    }
    case "activations":
    case "sums":
    case "delta": {
      const n = sizes[t.layer - 1]!;
      const buf =
        t.kind === "activations"
          ? t.layer === 1
            ? frame.x
            : ctx.a[t.layer]!
          : t.kind === "sums"
            ? ctx.z[t.layer]!
            : ctx.d[t.layer]!;
      return make(n, m, (j, e) => buf[e * n + j]!);
    }
    case "targets":
      return make(sizes[L - 1]!, m, (j, e) => frame.y[e * sizes[L - 1]! + j]!);
    case "map": {
      const l = t.layer;
      const n = sizes[l - 1]!;
      return make(n, m, (j, e) =>
        evaluateWith(t.template, (sy) => {
          const r = sy.ref;
          if (r.kind === "z") return ctx.z[l]![e * n + j]!;
          if (r.kind === "a") return ctx.a[l]![e * n + j]!;
          if (r.kind === "y") return frame.y[e * n + j]!;
          if (r.kind === "m") return m;
          if (r.kind === "lambda") return s.lambda;
          throw new Error(`unexpected symbol ${r.kind}`);
        }),
      );
    }
    case "transpose": {
      const x = dense(s, t.arg);
      return make(x.c, x.r, (i, j) => at(x, j, i));
    }
    case "matmul": {
      const x = dense(s, t.left);
      const y = dense(s, t.right);
      return make(x.r, y.c, (i, j) => {
        let acc = 0;
        for (let p = 0; p < x.c; p++) acc += at(x, i, p) * at(y, p, j);
        return acc;
      });
    }
    case "plus": {
      const x = dense(s, t.left);
      const y = dense(s, t.right);
      // a column added to every column (the bias broadcast)
      return make(x.r, x.c, (i, j) => at(x, i, j) + at(y, i, y.c === 1 ? 0 : j));
    }
    case "hadamard": {
      const x = dense(s, t.left);
      const y = dense(s, t.right);
      return make(x.r, x.c, (i, j) => at(x, i, j) * at(y, i, j));
    }
    case "scale": {
      const f = evaluateWith(t.factor, (sy) => (sy.ref.kind === "m" ? m : s.lambda));
      const x = dense(s, t.arg);
      return make(x.r, x.c, (i, j) => f * at(x, i, j));
    }
    case "sum-examples": {
      const x = dense(s, t.arg);
      return make(x.r, 1, (i) => {
        let acc = 0;
        for (let j = 0; j < x.c; j++) acc += at(x, i, j);
        return acc;
      });
    }
  }
}

/** A random expression, grown from the leaves of a network's matrix form. */
function randomExpr(s: Setup, rng: Random, steps: number): { t: TExpr; r: number; c: number } {
  const { sizes, m } = s;
  const L = sizes.length;
  const pool: { t: TExpr; r: number; c: number }[] = [];
  for (let l = 1; l < L; l++) {
    pool.push({ t: { kind: "weights", layer: l }, r: sizes[l]!, c: sizes[l - 1]! });
    if (s.ctx.params[0]!.bias) pool.push({ t: { kind: "biases", layer: l }, r: sizes[l]!, c: 1 });
  }
  for (let l = 1; l <= L; l++) pool.push({ t: { kind: "activations", layer: l }, r: sizes[l - 1]!, c: m });
  for (let l = 2; l <= L; l++) {
    pool.push({ t: { kind: "sums", layer: l }, r: sizes[l - 1]!, c: m });
    pool.push({ t: { kind: "delta", layer: l }, r: sizes[l - 1]!, c: m });
    const act = ELEMENTWISE[rng.int(ELEMENTWISE.length)]!;
    const zs = sym({ kind: "z", node: ids.z(l, 1) });
    const as = sym({ kind: "a", node: ids.a(l, 1) });
    const templates: Expr[] = [ACTIVATION_TABLE[act].value(zs), ACTIVATION_TABLE[act].derivative(zs, as)];
    if (l === L) templates.push(mul(pow(M, -1), sub(as, sym({ kind: "y", node: ids.y(1) }))));
    for (const template of templates)
      pool.push({
        t: { kind: "map", layer: l, role: "derivative", activation: act, template },
        r: sizes[l - 1]!,
        c: m,
      });
  }
  pool.push({ t: { kind: "targets" }, r: sizes[L - 1]!, c: m });
  const pick = (f: (e: (typeof pool)[number]) => boolean) => {
    const ok = pool.filter(f);
    return ok.length === 0 ? null : ok[rng.int(ok.length)]!;
  };
  for (let i = 0; i < steps; i++) {
    const x = pool[rng.int(pool.length)]!;
    switch (rng.int(7)) {
      case 0:
        pool.push({ t: { kind: "transpose", arg: x.t }, r: x.c, c: x.r });
        break;
      case 1: {
        const y = pick((e) => e.r === x.c);
        if (y !== null) pool.push({ t: { kind: "matmul", left: x.t, right: y.t }, r: x.r, c: y.c });
        break;
      }
      case 2: {
        const y = pick((e) => e.r === x.r && (e.c === x.c || (e.c === 1 && e.t.kind === "biases")));
        if (y !== null) pool.push({ t: { kind: "plus", left: x.t, right: y.t }, r: x.r, c: x.c });
        break;
      }
      case 3: {
        const y = pick((e) => e.r === x.r && e.c === x.c);
        if (y !== null) pool.push({ t: { kind: "hadamard", left: x.t, right: y.t }, r: x.r, c: x.c });
        break;
      }
      case 4:
        pool.push({
          t: { kind: "scale", factor: rng.int(2) === 0 ? num(rng.uniform(-2, 2)) : mul(LAMBDA, pow(M, -1)), arg: x.t },
          r: x.r,
          c: x.c,
        });
        break;
      case 5:
        if (x.c === m) pool.push({ t: { kind: "sum-examples", arg: x.t }, r: x.r, c: 1 });
        break;
      default: {
        // a product with a transposed operand: the orientations of the backward pass
        const y = pick((e) => e.c === x.c);
        if (y !== null)
          pool.push({ t: { kind: "matmul", left: x.t, right: { kind: "transpose", arg: y.t } }, r: x.r, c: y.r });
      }
    }
  }
  return pool[pool.length - 1 - rng.int(Math.min(pool.length, 4))]!;
}

describe("planner", () => {
  it.each(["js", "wasm"] as const)(
    "plans any tensor expression into any destination layout, equal to its definition (%s kernels)",
    (kernels) => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
          fc.integer({ min: 1, max: 7 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 12 }),
          fc.nat({ max: 2 ** 32 - 1 }),
          fc.constantFrom("columns", "rows"),
          fc.boolean(),
          (sizes, m, bias, steps, seed, layout, acc) => {
            const rng = new Random(seed);
            const memory = kernels === "wasm" ? arena() : null;
            const s = setup(rng, sizes, m, bias, memory);
            const { t, r, c } = randomExpr(s, rng, steps);
            const want = dense(s, t);
            const buf = memory === null ? new Float64Array(r * c + 3) : memory.alloc(r * c + 3);
            for (let i = 0; i < buf.length; i++) buf[i] = rng.uniform(-1, 1);
            const before = buf.slice();
            const dest: Operand =
              layout === "columns"
                ? { slot: buf, off: 3, rows: r, cols: c, rs: 1, cs: r }
                : { slot: buf, off: 3, rows: r, cols: c, rs: c, cs: 1 };
            const planner = new Planner(s.ctx, m);
            planner.into(t, dest, acc);
            for (const op of planner.ops) op(s.frame);
            const got = new Float64Array(r * c);
            const expected = new Float64Array(r * c);
            for (let i = 0; i < r; i++) {
              for (let j = 0; j < c; j++) {
                const o = dest.off + i * dest.rs + j * dest.cs;
                got[i * c + j] = buf[o]!;
                expected[i * c + j] = (acc ? before[o]! : 0) + want.v[i * c + j]!;
              }
            }
            expect(firstMismatch(got, expected, 1e-12), JSON.stringify(t)).toBe(-1);
            // nothing outside the destination is written
            for (let i = 0; i < 3; i++) expect(buf[i]).toBe(before[i]);
          },
        ),
        { numRuns: 400 },
      );
    },
  );
});
