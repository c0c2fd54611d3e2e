import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  batch,
  compareWithDifferences,
  compile,
  costValue,
  FUNCTIONS,
  gradCheck,
  gradientValues,
  hessianValues,
  layered,
  parameterIds,
  paramValues,
  pathContributions,
  predict,
  sigmoid,
  softplus,
} from "../src/index.js";
import { dagCase, dagCaseWith, layeredCase, layeredCaseWith, nearKink } from "./arbitraries.js";
import { gradientDifferences, maxRelDiff } from "./helpers.js";

describe("compiled = interpreted", () => {
  it("J and every gradient agree to the last bit on random DAGs", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => {
        const prog = compile(graph);
        const grad = new Float64Array(theta.length);
        const J = prog.run(theta, data, grad);
        expect(Object.is(J, costValue(graph, theta, data))).toBe(true);
        expect(Array.from(grad)).toEqual(Array.from(gradientValues(graph, theta, data)));
      }),
      { numRuns: 150 },
    );
  });
  it("large programs, split into chunk functions, agree to the last bit too", () => {
    const g = layered({
      sizes: [20, 20, 20, 5],
      activation: ["tanh", "relu", "softmax"],
      cost: "cross-entropy",
      l2: 0.1,
    });
    const prog = compile(g);
    expect(prog.source).toContain("function part1(");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        let s = seed;
        const rnd = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return (s / 2 ** 32) * 2 - 1;
        };
        const theta = Float64Array.from(parameterIds(g), rnd);
        const data = {
          m: 3,
          x: Float64Array.from({ length: 60 }, rnd),
          y: Float64Array.from({ length: 15 }, (_, i) => (i % 5 === seed % 5 ? 1 : 0)),
        };
        const grad = new Float64Array(theta.length);
        expect(prog.run(theta, data, grad)).toBe(costValue(g, theta, data));
        expect(Array.from(grad)).toEqual(Array.from(gradientValues(g, theta, data)));
      }),
      { numRuns: 5 },
    );
  });
  it("the J-only program gives the same J", () => {
    fc.assert(
      fc.property(layeredCase, ({ graph, theta, data }) => {
        expect(compile(graph, { gradients: false }).run(theta, data)).toBe(costValue(graph, theta, data));
      }),
      { numRuns: 50 },
    );
  });
  it("exposes readable source with each δ computed once", () => {
    const src = compile(layered({ sizes: [2, 2, 2], bias: false })).source;
    for (const d of ["delta_3_1", "delta_3_2", "delta_2_1", "delta_2_2"]) {
      expect(src.match(new RegExp(`const ${d} = `, "g"))).toHaveLength(1);
    }
    expect(src).toContain("grad[4] += (delta_3_1 * a_2_1);");
  });
});

describe("gradient check", () => {
  it("passes on random DAGs away from relu kinks", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => {
        fc.pre(!nearKink(graph, theta, data));
        const r = gradCheck(graph, theta, data);
        expect(r.parameters).toHaveLength(theta.length);
        expect(r.normRelError).toBeLessThan(1e-6);
      }),
      { numRuns: 80 },
    );
  });
  it("passes for a relu network at random points", () => {
    const g = layered({ sizes: [3, 5, 4, 2], activation: ["relu", "relu", "identity"] });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        let s = seed;
        const rnd = () => {
          s = (s * 1103515245 + 12345) % 2 ** 31;
          return (s / 2 ** 31) * 2 - 1;
        };
        const theta = Float64Array.from(parameterIds(g), rnd);
        const data = { m: 3, x: Float64Array.from({ length: 9 }, rnd), y: Float64Array.from({ length: 6 }, rnd) };
        fc.pre(!nearKink(g, theta, data));
        expect(gradCheck(g, theta, data).maxRelError).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
  });
  it("finds a wrong gradient and names the parameter", () => {
    const g = layered({ sizes: [2, 2, 1] });
    const theta = Float64Array.from(parameterIds(g), (_, i) => Math.sin(i + 1));
    const data = batch(g, [[0.5, -0.3]], [[0.7]]);
    const right = gradientValues(g, theta, data);
    expect(compareWithDifferences(g, theta, data, right).maxRelError).toBeLessThan(1e-7);
    fc.assert(
      fc.property(fc.nat({ max: right.length - 1 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (i, eps) => {
        const wrong = Float64Array.from(right);
        wrong[i] = wrong[i]! + eps * (Math.abs(wrong[i]!) + 1e-3);
        const r = compareWithDifferences(g, theta, data, wrong);
        expect(r.worst).toBe(parameterIds(g)[i]);
        expect(r.maxRelError).toBeGreaterThan(1e-4);
      }),
      { numRuns: 30 },
    );
  });
});

describe("path contributions", () => {
  it("sum to the partial, sorted by magnitude", () => {
    fc.assert(
      fc.property(layeredCase, fc.nat(), ({ graph, theta, data }, pick) => {
        const ids = parameterIds(graph);
        const p = ids[pick % ids.length]!;
        const c = pathContributions(graph, p, theta, data);
        const g = gradientValues(graph, theta, data)[ids.indexOf(p)]!;
        expect(Math.abs(c.total - g)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(g));
        for (let i = 1; i < c.paths.length; i++)
          expect(Math.abs(c.paths[i - 1]!.value)).toBeGreaterThanOrEqual(Math.abs(c.paths[i]!.value));
        for (const path of c.paths) expect(path.path[0]).toBe(p);
      }),
      { numRuns: 60 },
    );
  });
});

describe("second derivatives", () => {
  it("match finite differences of the gradient on small random networks", () => {
    fc.assert(
      fc.property(layeredCaseWith(2, 3), ({ graph, theta, data }) => {
        fc.pre(!nearKink(graph, theta, data, 1e-2));
        const H = hessianValues(graph, theta, data);
        const fd = gradientDifferences(graph, theta, data);
        expect(maxRelDiff(H, fd, 1e-2)).toBeLessThan(1e-5);
        // symmetric, as a Hessian must be
        const n = theta.length;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < i; j++)
            expect(Math.abs(H[i * n + j]! - H[j * n + i]!)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(H[i * n + j]!)));
      }),
      { numRuns: 40 },
    );
  });
  it("works on random DAGs with tied parameters", () => {
    fc.assert(
      fc.property(dagCaseWith(2, 2), ({ graph, theta, data }) => {
        fc.pre(!nearKink(graph, theta, data, 1e-2));
        expect(
          maxRelDiff(hessianValues(graph, theta, data), gradientDifferences(graph, theta, data), 1e-2),
        ).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
  });
});

describe("numerical stability", () => {
  it("sigmoid and softplus stay finite for |z| up to 1000", () => {
    for (const z of [-1000, -50, 0, 50, 1000]) {
      expect(Number.isFinite(sigmoid(z))).toBe(true);
      expect(Number.isFinite(softplus(z))).toBe(true);
    }
    expect(FUNCTIONS.softplus.value(1, 1000)).toBe(1);
    expect(FUNCTIONS.softplus.value(0, 1000)).toBe(1000);
    expect(FUNCTIONS.sigmoid.value(1, -1000)).toBe(0);
  });
  it("softmax + cross-entropy with logits [−431, 279, 427], true class 0: finite J, gradient ≈ [−1, 0, 1]", () => {
    const g = layered({ sizes: [1, 3], activation: "softmax", cost: "cross-entropy", bias: false });
    const theta = paramValues(g, { theta_1_1_1: -431, theta_1_2_1: 279, theta_1_3_1: 427 });
    const data = batch(g, [[1]], [[1, 0, 0]]);
    const J = costValue(g, theta, data);
    expect(J).toBeCloseTo(858, 9);
    const grad = gradientValues(g, theta, data);
    expect(grad[0]).toBeCloseTo(-1, 12);
    expect(grad[1]).toBeCloseTo(0, 12);
    expect(grad[2]).toBeCloseTo(1, 12);
    const compiled = new Float64Array(3);
    expect(compile(g).run(theta, data, compiled)).toBe(J);
    expect(Array.from(compiled)).toEqual(Array.from(grad));
    expect(Array.from(predict(g, theta, data)).every(Number.isFinite)).toBe(true);
  });
  it("sigmoid + binary cross-entropy stays finite at logits ±1000", () => {
    const g = layered({ sizes: [1, 2], activation: "sigmoid", cost: "binary-cross-entropy", bias: false });
    const theta = paramValues(g, { theta_1_1_1: 1000, theta_1_2_1: -1000 });
    const data = batch(g, [[1]], [[0, 1]]);
    expect(costValue(g, theta, data)).toBeCloseTo(2000, 9);
    expect(Array.from(gradientValues(g, theta, data))).toEqual([1, -1]);
  });
});
