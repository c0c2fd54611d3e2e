import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  type Batch,
  checkGradient,
  compareWithDifferences,
  GRADCHECK_RTOL,
  type Graph,
  gradCheck,
  gradientValues,
  layered,
  parameterGroups,
  parameterIds,
  predict,
  sampleParameters,
} from "../src/index.js";
import { dagCase, type GraphCase, layeredCaseWith, nearKink } from "./arbitraries.js";

/** Random layered networks (up to 4 layers of 6) and random DAGs, away from relu kinks. */
const anyCase: fc.Arbitrary<GraphCase> = fc
  .oneof(layeredCaseWith(6, 4), dagCase)
  .filter(({ graph, theta, data }) => !nearKink(graph, theta, data));

/** A seeded random case for a graph: θ and inputs uniform in [−1, 1], targets in [0, 1]. */
function seeded(graph: Graph, seed: number, m: number): { theta: Float64Array; data: Batch } {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const np = parameterIds(graph).length;
  const sizes = graph.layers!.sizes;
  const theta = Float64Array.from({ length: np }, () => rnd() * 2 - 1);
  return {
    theta,
    data: {
      m,
      x: Float64Array.from({ length: m * sizes[0]! }, () => rnd() * 2 - 1),
      y: Float64Array.from({ length: m * sizes.at(-1)! }, rnd),
    },
  };
}

describe("the criterion |g − ĝ| ≤ atol + rtol·|ĝ|", () => {
  it("a correct gradient passes on random layered networks and DAGs", () => {
    fc.assert(
      fc.property(anyCase, ({ graph, theta, data }) => {
        const r = gradCheck(graph, theta, data);
        expect(r.passed).toBe(true);
        expect(r.checked).toBe(theta.length);
        expect(r.sample).toBeNull();
        expect(r.worstEntry!.ratio).toBeLessThanOrEqual(1);
        expect(r.criterion).toMatchObject({ rule: "|g − ĝ| ≤ atol + rtol·|ĝ|", rtol: GRADCHECK_RTOL });
        for (const p of r.parameters) expect(p.allowed).toBe(r.criterion.atol + r.criterion.rtol * Math.abs(p.numeric));
      }),
      { numRuns: 120 },
    );
  });

  it("a gradient with one entry off by a relative 1e-3 fails, and names that entry", () => {
    fc.assert(
      fc.property(anyCase, fc.nat(), ({ graph, theta, data }, pick) => {
        const right = gradientValues(graph, theta, data);
        const base = compareWithDifferences(graph, theta, data, right);
        // entries the differences resolve: a 1e-3 relative change is well above the allowed error
        const resolvable = base.parameters.filter((p) => 1e-3 * Math.abs(p.derived) > 2 * p.allowed);
        fc.pre(resolvable.length > 0);
        const target = resolvable[pick % resolvable.length]!;
        const wrong = Float64Array.from(right);
        wrong[target.index] = wrong[target.index]! * (1 + 1e-3);
        const r = compareWithDifferences(graph, theta, data, wrong);
        expect(r.passed).toBe(false);
        expect(r.worst).toBe(target.param);
        expect(r.worstEntry).toMatchObject({ index: target.index, passed: false });
        expect(r.parameters.filter((p) => !p.passed)).toHaveLength(1);
      }),
      { numRuns: 120 },
    );
  });

  it("judges a tiny entry by the absolute noise, a large one by rtol", () => {
    // J = θ₀² + 1e-9·θ₁: ∂J/∂θ₁ = 1e-9, tiny beside |J| = 1
    const cost = (t: Float64Array) => t[0]! ** 2 + 1e-9 * t[1]!;
    const theta = [1, 0.3];
    // 5e-12 off on the tiny entry: a relative error of 5e-3, but far below float64 noise at J = 1
    const noisy = checkGradient({ cost, theta, gradient: [2, 1e-9 + 5e-12] });
    expect(noisy.passed).toBe(true);
    expect(noisy.maxRelError).toBeGreaterThan(1e-3);
    expect(noisy.criterion.atol).toBeGreaterThan(5e-12);
    // the same relative error on the large entry fails
    const wrong = checkGradient({ cost, theta, gradient: [2 * (1 + 5e-3), 1e-9] });
    expect(wrong.passed).toBe(false);
    expect(wrong.worstEntry).toMatchObject({ index: 0, passed: false });
    // a given atol of 0 leaves rtol alone
    expect(checkGradient({ cost, theta, gradient: [2, 1e-9 + 5e-12] }, { atol: 0 }).passed).toBe(false);
  });

  it("a 64-32-10 network with tiny partials passes (finite-difference noise is not a failure)", () => {
    const g = layered({ sizes: [64, 32, 10] });
    const { theta, data } = seeded(g, 1, 2);
    const r = gradCheck(g, theta, data);
    expect(r.passed).toBe(true);
    expect(r.checked).toBe(2410);
    expect(Math.min(...r.parameters.map((p) => Math.abs(p.derived)))).toBeLessThan(1e-5);
  });

  it("reports where J is not smooth: a kink inside the step fails with a large spread", () => {
    // J = |θ₀ − 1e-6| at θ₀ = 0: the steps ±h and ±2h straddle the kink
    const r = checkGradient({ cost: (t) => Math.abs(t[0]! - 1e-6), theta: [0], gradient: [-1] });
    expect(r.passed).toBe(false);
    expect(r.worstEntry!.spread).toBeGreaterThan(0.05);
    expect(r.worstEntry!.spread).toBeGreaterThan(0.1 * r.worstEntry!.error);
  });

  it("is noise-aware on a confident softmax: J near 0 while log Σ exp z rounds at the scale of z", () => {
    const g = layered({ sizes: [2, 6, 3], activation: ["tanh", "softmax"], cost: "cross-entropy" });
    const theta = Float64Array.from(parameterIds(g), (_, i) => 20 * Math.sin(3 * i + 1));
    const x = Float64Array.from([0.5, -0.4, -0.9, 0.8, 0.3, 0.1, -0.2, -0.7]);
    const m = 4;
    // targets: each example's predicted class, so that J is small and the sums z are large
    const out = predict(g, theta, { m, x, y: new Float64Array(3 * m) });
    const y = new Float64Array(3 * m);
    for (let e = 0; e < m; e++) {
      const row = [0, 1, 2].map((j) => out[3 * e + j]!);
      y[3 * e + row.indexOf(Math.max(...row))] = 1;
    }
    const r = gradCheck(g, theta, { m, x, y });
    expect(r.cost).toBeLessThan(1e-3);
    expect(r.passed).toBe(true);
    expect(r.criterion.atolSource).toBe("spread");
  });
});

describe("options", () => {
  const g = layered({ sizes: [30, 20, 5] });
  const { theta, data } = seeded(g, 7, 3);

  it("a sample is seeded: the same seed checks the same entries, another seed others", () => {
    const a = gradCheck(g, theta, data, { sample: 40, seed: 3 });
    const b = gradCheck(g, theta, data, { sample: 40, seed: 3 });
    const c = gradCheck(g, theta, data, { sample: 40, seed: 4 });
    expect(a.checked).toBe(40);
    expect(a.total).toBe(theta.length);
    expect(a.sample).toEqual({ size: 40, seed: 3 });
    expect(a.parameters.map((p) => p.index)).toEqual(b.parameters.map((p) => p.index));
    expect(a.parameters.map((p) => p.index)).not.toEqual(c.parameters.map((p) => p.index));
    expect(a.parameters.map((p) => p.index)).toEqual(sampleParameters(theta.length, 40, 3, parameterGroups(g)));
    expect(a.passed).toBe(true);
  });

  it("samples are distinct, ascending, and cover every group (small groups in full)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        (sizes, k, seed) => {
          const groups = sizes.flatMap((n, gi) => Array.from({ length: n }, () => `g${gi}`));
          const n = groups.length;
          const s = sampleParameters(n, k, seed, groups);
          expect(s).toEqual(sampleParameters(n, k, seed, groups));
          expect(s).toHaveLength(Math.min(k, n));
          for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
          if (k < n) {
            // each group gets min(its size, an equal share of what the smaller groups left)
            const share = Math.floor(k / sizes.length);
            sizes.forEach((size, gi) => {
              expect(s.filter((i) => groups[i] === `g${gi}`).length).toBeGreaterThanOrEqual(Math.min(size, share));
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("without groups, a sample is drawn without listing every position, and is the one group's sample", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 400 }), fc.nat(), (n, k, seed) => {
        expect(sampleParameters(n, k, seed)).toEqual(sampleParameters(n, k, seed, Array(n).fill("all")));
      }),
      { numRuns: 200 },
    );
    // samples of a parameter vector too large to list, in memory of the sample's size: a hundred
    // of them, so that a sampler that went through all 2^31 − 1 positions could not finish
    const n = 2 ** 31 - 1;
    for (let seed = 0; seed < 100; seed++) {
      const s = sampleParameters(n, 1000, seed);
      expect(new Set(s).size).toBe(1000);
      expect(s.every((p, i) => Number.isInteger(p) && p >= 0 && p < n && (i === 0 || p > s[i - 1]!))).toBe(true);
    }
    expect(() => sampleParameters(n)).toThrow(/ask for a sample/);
  });

  it("groups and names may be functions of the position: the same sample and report as lists", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(),
        (sizes, k, seed) => {
          const groups = sizes.flatMap((n, gi) => Array.from({ length: n }, () => `g${(gi * 7) % 3}`));
          expect(sampleParameters(groups.length, k, seed, (i) => groups[i]!)).toEqual(
            sampleParameters(groups.length, k, seed, groups),
          );
        },
      ),
      { numRuns: 100 },
    );
    const names = parameterIds(g);
    const groups = parameterGroups(g);
    const problem = {
      cost: (t: Float64Array) => t.reduce((a, b) => a + b * b, 0),
      theta,
      gradient: theta.map((v) => 2 * v),
    };
    const lists = checkGradient({ ...problem, names, groups }, { sample: 30, seed: 2 });
    const asked: number[] = [];
    const fns = checkGradient(
      {
        ...problem,
        names: (i) => {
          asked.push(i);
          return names[i]!;
        },
        groups: (i) => groups[i]!,
      },
      { sample: 30, seed: 2 },
    );
    expect(fns).toEqual(lists);
    // names are asked only for the checked entries
    expect(asked).toEqual(lists.parameters.map((p) => p.index));
  });

  it("no sample, or one at least as large as θ, checks every entry", () => {
    expect(gradCheck(g, theta, data, { sample: theta.length }).checked).toBe(theta.length);
    expect(gradCheck(g, theta, data, { sample: 10 ** 9 }).sample).toBeNull();
  });

  it("reports progress once per checked entry", () => {
    const seen: number[] = [];
    gradCheck(g, theta, data, { sample: 25, onProgress: (done, total) => seen.push(done * 1000 + total) });
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => (i + 1) * 1000 + 25));
  });

  it("refuses bad options with a typed error", () => {
    for (const bad of [
      { sample: 0 },
      { sample: 1.5 },
      { sample: -3 },
      { seed: -1 },
      { seed: 2 ** 32 },
      { rtol: -1 },
      { atol: Number.NaN },
      { step: 0 },
    ]) {
      expect(() => gradCheck(g, theta, data, bad)).toThrow(ArgumentError);
    }
    expect(() => checkGradient({ cost: () => 0, theta: [1, 2], gradient: [1] })).toThrow(ArgumentError);
  });
});

describe("a gradient that is rounding dust where J is flat", () => {
  it("passes: a derived −5e-324 against differences of exactly 0 is no error", async () => {
    const { checkGradient } = await import("../src/index.js");
    const r = checkGradient({ cost: () => 0, theta: [0.3, -0.2], gradient: [-5e-324, 0] });
    expect(r.passed).toBe(true);
    expect(r.criterion.atol).toBeGreaterThanOrEqual(2 ** -1022);
    // a real difference still fails
    expect(checkGradient({ cost: (t) => t[0]! * 1e-3, theta: [0.3, -0.2], gradient: [2e-3, 0] }).passed).toBe(false);
  });
});
