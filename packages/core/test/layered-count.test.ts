import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChainruleError,
  count,
  ELEMENTWISE_ACTIVATIONS,
  type LayerSpec,
  layered,
  layeredCount,
  layeredPathCounts,
  OUTPUT_PAIRS,
  pathCounts,
} from "../src/index.js";

/** Hidden activations, and the output activations with the costs they go with (core's registries). */
const HIDDEN = ELEMENTWISE_ACTIVATIONS;
const OUTPUTS = OUTPUT_PAIRS;

/** Random small layered specs of every shape count handles: softmax outputs, no biases, L2. */
const smallSpec: fc.Arbitrary<LayerSpec> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
    bias: fc.boolean(),
    hidden: fc.array(fc.constantFrom(...HIDDEN), { minLength: 4, maxLength: 4 }),
    out: fc.constantFrom(...OUTPUTS),
    l2: fc.constantFrom(0, 0.1),
  })
  .map(({ sizes, bias, hidden, out, l2 }) => {
    // a softmax output needs two or more units
    const s = out.act === "softmax" ? [...sizes.slice(0, -1), Math.max(2, sizes[sizes.length - 1]!)] : sizes;
    return { sizes: s, bias, activation: [...hidden.slice(0, s.length - 2), out.act], cost: out.cost, l2 };
  });

describe("counts from the sizes alone", () => {
  it("equal the graph's counts on random small layered specs", () => {
    fc.assert(
      fc.property(smallSpec, (spec) => {
        expect(layeredCount(spec)).toEqual(count(layered(spec)));
      }),
      { numRuns: 300 },
    );
  });

  it("give each parameter layer the paths and factors the graph gives each of its parameters", () => {
    fc.assert(
      fc.property(smallSpec, (spec) => {
        const graph = layered(spec);
        const { paths, factors } = pathCounts(graph);
        for (const c of layeredPathCounts(spec)) {
          const id = `theta_${c.layer}_1_1`;
          expect(c.pathsEach).toBe(paths.get(id));
          expect(c.factorsEach).toBe(factors.get(id));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("give the post's numbers", () => {
    expect(layeredCount({ sizes: [2, 2, 2], bias: false })).toEqual({ parameters: 8, paths: 12, chainFactors: 52 });
    expect(layeredCount({ sizes: [2, 2, 2] })).toEqual({ parameters: 12, paths: 18, chainFactors: 78 });
  });

  // far too large to build or to enumerate (10¹⁰ parameters; some 10⁵⁰⁰⁰ paths): a count that listed
  // anything would not finish, so these can only pass in closed form
  it("count networks far too large to build, exactly, in closed form", () => {
    const c = layeredCount({ sizes: [100_000, 100_000, 10] });
    // θ⁽¹⁾: 10⁵ · 100001 parameters with 10 paths of 5 factors; θ⁽²⁾: 10 · 100001 with 1 path of 3
    expect(c).toEqual({
      parameters: 10_000_100_000 + 1_000_010,
      paths: 100_001_000_000 + 1_000_010,
      chainFactors: 500_005_000_000 + 3_000_030,
    });
    const deep = layeredCount({ sizes: Array(1000).fill(100_000) });
    expect(typeof deep.paths).toBe("bigint");
    // each of the 999 layers of N(N+1) parameters; a parameter with e layers after its own has
    // N^e paths of 3 + 2e factors
    const N = 100_000n;
    let paths = 0n;
    let factors = 0n;
    for (let e = 0n; e < 999n; e++) {
      paths += N * (N + 1n) * N ** e;
      factors += N * (N + 1n) * N ** e * (3n + 2n * e);
    }
    expect(deep).toEqual({ parameters: 999 * 100_000 * 100_001, paths, chainFactors: factors });
  });

  it("refuse what building the graph refuses, with core's typed errors", () => {
    for (const spec of [
      { sizes: [2] },
      { sizes: [2, 0, 1] },
      { sizes: [2, 2], activation: "sigmoid", cost: "cross-entropy" },
      { sizes: [2, 1], activation: "softmax", cost: "cross-entropy" },
      { sizes: [2, 2, 2], activation: ["softmax", "softmax"], cost: "cross-entropy" },
      null,
    ]) {
      expect(() => layered(spec as LayerSpec)).toThrow(ChainruleError);
      expect(() => layeredCount(spec as LayerSpec)).toThrow(ChainruleError);
    }
  });
});
