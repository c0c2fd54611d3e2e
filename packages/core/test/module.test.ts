import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  compile,
  emitModule,
  type FnName,
  FUNCTIONS,
  fnOp,
  type Graph,
  layered,
  MODULE_RUNTIME,
  parameterIds,
  sigmoid,
  softplus,
} from "../src/index.js";
import { dagCase, layeredCase } from "./arbitraries.js";

type Helpers = {
  sigmoid: (x: number) => number;
  softplus: (x: number) => number;
  fnOp: (fn: string, n: number, x: number) => number;
};
type Module = {
  parameters: readonly string[];
  inputs: readonly string[];
  targets: readonly string[];
  cost: (theta: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>) => number;
  gradient?: (
    theta: ArrayLike<number>,
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    grad?: Float64Array,
  ) => { cost: number; gradient: Float64Array };
};

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const runtime = new Function(`${MODULE_RUNTIME}\nreturn { sigmoid, softplus, fnOp };`)() as Helpers;

/** The module's code run in this process: its `export` keywords dropped, its exports returned. */
function load(source: string): Module {
  expect(source).not.toMatch(/^\s*import\b/m);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(
    `${source.replace(/^export /gm, "")}\nreturn { parameters, inputs, targets, cost, ${source.includes("export function gradient") ? "gradient" : ""} };`,
  )() as Module;
}

/** The outcome of a call: its value, or that it threw. */
function outcome(f: () => number): number | "throws" {
  try {
    return f();
  } catch {
    return "throws";
  }
}

const scratch = mkdtempSync(join(tmpdir(), "chainrule-module-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the module's runtime helpers", () => {
  // mostly where the functions curve (large |x| saturates them), and any double, and the edges
  const x = fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -40, max: 40, noNaN: true }) },
    fc.double(),
    fc.constantFrom(0, -0, 1e-300, -745.2, 709.8, 1e308, -1e308, Infinity, -Infinity, NaN),
  );
  it("compute what core's do, bit for bit, for every function and order", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(FUNCTIONS) as FnName[])),
        fc.integer({ min: 0, max: 4 }),
        x,
        (fn, n, v) => {
          const ours = outcome(() => runtime.fnOp(fn, n, v));
          const core = outcome(() => fnOp(fn, n, v));
          expect(ours === core || Object.is(ours, core)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(x, (v) => {
        expect(Object.is(runtime.sigmoid(v), sigmoid(v))).toBe(true);
        expect(Object.is(runtime.softplus(v), softplus(v))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
  it("refuses a function it does not know", () => {
    expect(() => runtime.fnOp("constructor", 0, 1)).toThrow(/Unknown function "constructor"/);
  });
});

/** Checks a module of `graph` against compile() on (theta, data), bit for bit. */
function agrees(graph: Graph, theta: Float64Array, data: { m: number; x: Float64Array; y: Float64Array }): void {
  const mod = load(emitModule(graph));
  expect(mod.parameters).toEqual(parameterIds(graph));
  const want = new Float64Array(theta.length);
  const J = compile(graph).run(theta, data, want);
  const got = mod.gradient!(theta, data.x, data.y);
  expect(Object.is(got.cost, J)).toBe(true);
  expect(Array.from(got.gradient)).toEqual(Array.from(want));
  // plain arrays work the same
  expect(mod.gradient!(Array.from(theta), Array.from(data.x), Array.from(data.y)).gradient).toEqual(want);
  const costOnly = load(emitModule(graph, { gradients: false }));
  expect(costOnly.gradient).toBeUndefined();
  expect(Object.is(costOnly.cost(theta, data.x, data.y), compile(graph, { gradients: false }).run(theta, data))).toBe(
    true,
  );
}

describe("emitModule", () => {
  it("computes J and every ∂J/∂θ as compile() does, to the last bit, on random DAGs and layered networks", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => agrees(graph, theta, data)),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(layeredCase, ({ graph, theta, data }) => agrees(graph, theta, data)),
      { numRuns: 60 },
    );
  });

  it("is an ES module node imports and calls, large programs (chunk functions) included", () => {
    const graph = layered({
      sizes: [20, 20, 20, 5],
      activation: ["tanh", "leaky-relu", "softmax"],
      cost: "cross-entropy",
      l2: 0.1,
    });
    const file = join(scratch, "large.mjs");
    const source = emitModule(graph, { title: "chainrule compile --layers 20,20,20,5" });
    expect(source).toContain("function part1(");
    expect(source.split("\n")[0]).toBe("// chainrule compile --layers 20,20,20,5");
    writeFileSync(file, source);
    const n = parameterIds(graph).length;
    const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1) / 4);
    const x = Float64Array.from({ length: 3 * 20 }, (_, i) => Math.cos(i));
    const y = Float64Array.from({ length: 3 * 5 }, (_, i) => (i % 5 === i % 3 ? 1 : 0));
    const script = `import { gradient, parameters } from ${JSON.stringify(file)};
      const r = gradient(${JSON.stringify(Array.from(theta))}, ${JSON.stringify(Array.from(x))}, ${JSON.stringify(Array.from(y))});
      console.log(JSON.stringify({ n: parameters.length, cost: r.cost, gradient: Array.from(r.gradient) }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
    ) as { n: number; cost: number; gradient: number[] };
    const want = new Float64Array(n);
    const J = compile(graph).run(theta, { m: 3, x, y }, want);
    expect(out.n).toBe(n);
    // JSON keeps every double exactly
    expect(out.cost).toBe(J);
    expect(out.gradient).toEqual(Array.from(want));
  });

  it("says what is wrong with arguments that do not fit", () => {
    const mod = load(emitModule(layered({ sizes: [2, 2, 1] })));
    const theta = new Float64Array(9);
    expect(() => mod.gradient!(theta.subarray(1), [0, 0], [1])).toThrow(/^theta must be an array of 9 numbers/);
    expect(() => mod.gradient!(theta, [0, 0, 0], [1])).toThrow(
      /x must hold m ≥ 1 rows of 2 inputs and y the same m rows of 1 targets; got 3 and 1 numbers/,
    );
    expect(() => mod.gradient!(theta, [0, 0], [1], new Float64Array(2))).toThrow(
      /grad must be a Float64Array of 9 entries/,
    );
    expect(() => mod.cost(theta, "ab" as unknown as number[], [1])).toThrow(/x and y must be arrays/);
  });

  it("keeps a title on one comment line", () => {
    expect(emitModule(layered({ sizes: [1, 1] }), { title: "a\nb" }).split("\n")[0]).toBe("// a b");
  });
});
