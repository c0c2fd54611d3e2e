/**
 * Softmax + cross-entropy for targets of any row sum. J = −(1/m) Σ y log a is defined for every
 * target row; its output δ is (1/m)(a_j Σᵢ yᵢ − y_j), which is (1/m)(a_j − y_j) only when the row
 * sums to 1. Every engine and form must agree with central differences of J for rows that sum
 * to 0, 0.5, 1, 2 or anything else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  compile,
  costValue,
  deltaForm,
  GraphBuilder,
  GraphError,
  gradientValues,
  hessianValues,
  layered,
  matrixGradientValues,
  parameterIds,
} from "../src/index.js";
import { finiteDifferences, gradientDifferences, maxRelDiff } from "./helpers.js";

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

/** A target row of n entries whose sum is `sum` (any sign pattern), or free when sum is null. */
const row = (n: number, sum: number | null) =>
  fc.array(real(-1, 2), { minLength: n, maxLength: n }).map((r) => {
    if (sum === null) return r;
    // shift the row so it sums to `sum` exactly enough for the test
    const shift = (sum - r.reduce((s, v) => s + v, 0)) / n;
    return r.map((v) => v + shift);
  });

/** A softmax + cross-entropy network with θ, x and target rows of the chosen sums. */
const softmaxCase = fc
  .record({
    sizes: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 })),
    hidden: fc.boolean(),
    bias: fc.boolean(),
    l2: fc.constantFrom(0, 0.1),
    m: fc.integer({ min: 1, max: 3 }),
    sums: fc.array(fc.constantFrom<number | null>(0, 0.5, 1, 2, null), { minLength: 3, maxLength: 3 }),
  })
  .chain(({ sizes, hidden, bias, l2, m, sums }) => {
    const layerSizes = hidden ? [...sizes] : [sizes[0], sizes[2]];
    const graph = layered({
      sizes: layerSizes,
      activation: [...(hidden ? ["tanh" as const] : []), "softmax"],
      cost: "cross-entropy",
      bias,
      l2,
    });
    const np = parameterIds(graph).length;
    const nIn = layerSizes[0]!;
    const nOut = layerSizes[layerSizes.length - 1]!;
    return fc
      .record({
        theta: fc.array(real(-1.5, 1.5), { minLength: np, maxLength: np }),
        x: fc.array(real(-2, 2), { minLength: m * nIn, maxLength: m * nIn }),
        y: fc.tuple(...Array.from({ length: m }, (_, e) => row(nOut, sums[e]!))),
      })
      .map(({ theta, x, y }) => ({
        graph,
        theta: Float64Array.from(theta),
        data: { m, x: Float64Array.from(x), y: Float64Array.from(y.flat()) },
      }));
  });

describe("softmax + cross-entropy with targets of any row sum", () => {
  it("every engine and form agrees with central differences of J", () => {
    fc.assert(
      fc.property(softmaxCase, ({ graph, theta, data }) => {
        const fd = finiteDifferences(graph, theta, data);
        const delta = gradientValues(graph, theta, data, "delta");
        expect(maxRelDiff(delta, fd, 1e-2)).toBeLessThan(1e-6);
        expect(maxRelDiff(gradientValues(graph, theta, data, "chain"), delta, 1e-3)).toBeLessThan(1e-9);
        expect(maxRelDiff(gradientValues(graph, theta, data, "local"), delta, 1e-3)).toBeLessThan(1e-9);
        expect(maxRelDiff(matrixGradientValues(graph, theta, data), delta, 1e-3)).toBeLessThan(1e-9);
        const grad = new Float64Array(theta.length);
        const J = compile(graph).run(theta, data, grad);
        expect(Math.abs(J - costValue(graph, theta, data))).toBeLessThan(1e-12 * Math.max(1, Math.abs(J)));
        expect(maxRelDiff(grad, delta, 1e-3)).toBeLessThan(1e-9);
      }),
      { numRuns: 120 },
    );
  });

  it("second derivatives agree with differences of the gradient", () => {
    fc.assert(
      fc.property(softmaxCase, ({ graph, theta, data }) => {
        fc.pre(theta.length <= 12);
        expect(
          maxRelDiff(hessianValues(graph, theta, data), gradientDifferences(graph, theta, data), 1e-2),
        ).toBeLessThan(1e-5);
      }),
      { numRuns: 30 },
    );
  });

  it("the output δ is (1/m)(a Σy − y), not the shortcut a − y", () => {
    // two classes, one example, targets (0.5, 0.5) then (0, 0): the shortcut would give a gradient
    // where J does not depend on the logits at all (Σy = 0)
    const graph = layered({ sizes: [1, 2], activation: "softmax", cost: "cross-entropy" });
    const theta = Float64Array.from([0.3, 0.7, -0.2, 0.4]);
    const zero = { m: 1, x: Float64Array.from([1.5]), y: Float64Array.from([0, 0]) };
    expect([...gradientValues(graph, theta, zero)]).toEqual([0, 0, 0, 0]);
    const half = { m: 1, x: Float64Array.from([1.5]), y: Float64Array.from([0.5, 0.5]) };
    expect(maxRelDiff(gradientValues(graph, theta, half), finiteDifferences(graph, theta, half), 1e-2)).toBeLessThan(
      1e-6,
    );
    const out = deltaForm(graph).byNode.get("z_2_1")!;
    expect(out.fused).toBe(true);
    const syms: string[] = [];
    JSON.stringify(out.definition, (k, v) => {
      if (k === "kind" && v === "ysum") syms.push(v);
      return v;
    });
    expect(syms).toEqual(["ysum"]);
  });

  it("a softmax over one unit is refused", () => {
    expect(() => layered({ sizes: [2, 1], activation: "softmax", cost: "cross-entropy" })).toThrow(ArgumentError);
    expect(() => layered({ sizes: [2, 1], activation: "softmax", cost: "cross-entropy" })).toThrow(/two or more units/);
    const b = new GraphBuilder();
    const x = b.input("x");
    const [p] = b.softmax(["p"], [b.z("z", [[b.param("w"), x]])]);
    b.cost("cross-entropy", [p!], [b.target("y")]);
    expect(() => b.build()).toThrow(GraphError);
  });
});
