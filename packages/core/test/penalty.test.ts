/**
 * The L2 penalty's direct term: ∂/∂θ λ/(2m) Σθ² = (λ/m)θ is part of ∂J/∂θ in every form — the
 * δ form, the chain form and the local form — exactly once, for weights and not for biases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chainForm,
  count,
  deltaForm,
  ELEMENTWISE_ACTIVATIONS,
  type Graph,
  gradientValues,
  layered,
  OUTPUT_PAIRS,
  parameterIds,
  pathContributions,
  pathCounts,
  penaltyPartial,
  textProgram,
  ZERO,
} from "../src/index.js";
import { nearKink, valuesFor } from "./arbitraries.js";
import { finiteDifferences, maxRelDiff } from "./helpers.js";

const isWeight = (g: Graph, p: string) => {
  const n = g.nodes[p]!;
  return n.kind === "param" && n.role === "weight";
};

describe("the L2 penalty's direct term", () => {
  const g = layered({ sizes: [2, 2, 2], l2: 0.3 });
  it("is (λ/m)θ for a weight and 0 for a bias: one object shared by the δ and chain forms", () => {
    for (const p of parameterIds(g)) {
      const c = chainForm(g, p);
      expect(c.batch).toBe(penaltyPartial(g, p));
      expect(c.batch).toBe(deltaForm(g).byParam.get(p)!.batch);
      if (isWeight(g, p)) expect(c.batch).not.toBe(ZERO);
      else expect(c.batch).toBe(ZERO);
    }
    const none = layered({ sizes: [2, 2, 2] });
    for (const p of parameterIds(none)) expect(chainForm(none, p).batch).toBe(ZERO);
  });

  it("stays out of expr and local, which are per example and summed over the batch", () => {
    const c = chainForm(g, "theta_1_1_1");
    const plain = chainForm(layered({ sizes: [2, 2, 2] }), "theta_1_1_1");
    // the same interned sums of products with and without L2
    expect(c.expr).toBe(plain.expr);
    expect(c.local).toBe(plain.local);
  });

  it("adds no path and no factor: the post's 52 factors stay 52 with L2", () => {
    expect(count(layered({ sizes: [2, 2, 2], bias: false, l2: 0.3 }))).toEqual({
      parameters: 8,
      paths: 12,
      chainFactors: 52,
    });
    expect(count(layered({ sizes: [2, 2, 2], l2: 0.3 }))).toEqual(count(layered({ sizes: [2, 2, 2] })));
    expect(pathCounts(g).paths.get("theta_1_1_1")).toBe(2n);
  });

  it("appears once in the text program of every form, for weights only", () => {
    for (const form of ["chain", "local", "delta"] as const) {
      const lines = textProgram(g, ["theta_1_1_1", "theta_1_1_0"], form).lines;
      const weight = lines.find((l) => l.startsWith("dJ_dtheta_1_1_1 = "))!;
      const bias = lines.find((l) => l.startsWith("dJ_dtheta_1_1_0 = "))!;
      expect(weight.split("lambda").length - 1).toBe(1);
      expect(weight).toContain("lambda*(1/m)*theta_1_1_1");
      expect(bias).not.toContain("lambda");
    }
  });

  it("is the l2Term of the path contributions, apart from the paths", () => {
    const theta = Float64Array.from(parameterIds(g), (_, i) => 0.1 * (i + 1));
    const data = { m: 2, x: Float64Array.from([0.5, -1, 2, 0.25]), y: Float64Array.from([0.2, 0.9, 0.7, 0.1]) };
    const c = pathContributions(g, "theta_1_1_1", theta, data);
    // θ_1_1_1 is the second parameter (after its neuron's bias): (λ/m)θ = 0.3/2 · 0.2
    expect(parameterIds(g)[1]).toBe("theta_1_1_1");
    expect(c.l2Term).toBeCloseTo(0.03, 15);
    expect(c.paths).toHaveLength(2);
  });
});

/** Hidden activations, and the output activations with the costs they go with (core's registries). */
const HIDDEN = ELEMENTWISE_ACTIVATIONS;
const OUTPUTS = OUTPUT_PAIRS;

/** Random layered networks small enough to list every path, with L2 on (λ > 0) and values. */
const l2Case = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.array(fc.constantFrom(...HIDDEN), { minLength: 2, maxLength: 2 }),
    out: fc.constantFrom(...OUTPUTS),
    bias: fc.boolean(),
    l2: fc.double({ min: 0.01, max: 2, noNaN: true }),
    m: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ sizes: drawn, hidden, out, bias, l2, m }) => {
    // a softmax output needs two or more units
    const sizes = out.act === "softmax" ? [...drawn.slice(0, -1), Math.max(2, drawn.at(-1)!)] : drawn;
    const activation = [...hidden.slice(0, sizes.length - 2), out.act];
    const spec = { sizes, activation, bias, cost: out.cost };
    const graph = layered({ ...spec, l2 });
    return valuesFor(graph, m).map(({ theta, data }) => ({ graph, plain: layered(spec), l2, theta, data }));
  });

describe("every form is the whole ∂J/∂θ with L2", () => {
  it("δ, chain and local forms agree with each other and with central differences of J", () => {
    fc.assert(
      fc.property(l2Case, ({ graph, theta, data }) => {
        const d = gradientValues(graph, theta, data, "delta");
        const c = gradientValues(graph, theta, data, "chain");
        const l = gradientValues(graph, theta, data, "local");
        // different summation orders: relative 1e-9 where |g| ≥ 1e-3, absolute 1e-12 below
        expect(maxRelDiff(d, c, 1e-3)).toBeLessThan(1e-9);
        expect(maxRelDiff(d, l, 1e-3)).toBeLessThan(1e-9);
        fc.pre(!nearKink(graph, theta, data));
        const fd = finiteDifferences(graph, theta, data);
        expect(maxRelDiff(c, fd, 1e-2)).toBeLessThan(1e-6);
        expect(maxRelDiff(l, fd, 1e-2)).toBeLessThan(1e-6);
        expect(maxRelDiff(d, fd, 1e-2)).toBeLessThan(1e-6);
      }),
      { numRuns: 120 },
    );
  });

  it("counts the term once: each form with L2 minus the same form without is (λ/m)θ for weights, 0 for biases", () => {
    fc.assert(
      fc.property(l2Case, ({ graph, plain, l2, theta, data }) => {
        const ids = parameterIds(graph);
        const expected = ids.map((p, i) => (isWeight(graph, p) ? (l2 / data.m) * theta[i]! : 0));
        for (const form of ["delta", "chain", "local"] as const) {
          const withL2 = gradientValues(graph, theta, data, form);
          const without = gradientValues(plain, theta, data, form);
          const diff = withL2.map((v, i) => v - without[i]!);
          ids.forEach((_, i) => {
            expect(Math.abs(diff[i]! - expected[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(withL2[i]!)));
          });
        }
      }),
      { numRuns: 80 },
    );
  });
});
