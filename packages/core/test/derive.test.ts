import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import {
  chainForm,
  count,
  dagSize,
  deltaForm,
  type Expr,
  forwardForm,
  GraphBuilder,
  gradientValues,
  graphIndex,
  layered,
  pathCounts,
  paths,
  TooLargeError,
} from "../src/index.js";
import { dagCase, layeredCase, nearKink } from "./arbitraries.js";
import { finiteDifferences, maxRelDiff } from "./helpers.js";

describe("counting paths and factors", () => {
  it("gives the post's numbers", () => {
    expect(count(layered({ sizes: [2, 2, 2], bias: false }))).toEqual({ parameters: 8, paths: 12, chainFactors: 52 });
    expect(count(layered({ sizes: [1, 1, 1], bias: false }))).toEqual({ parameters: 2, paths: 2, chainFactors: 8 });
    // biases are parameters too: 4 more, each with the paths of its neuron's weights
    expect(count(layered({ sizes: [2, 2, 2] }))).toEqual({ parameters: 12, paths: 18, chainFactors: 78 });
  });

  it("matches the closed form for layered networks: P(θ⁽ˡ⁾) = Π n_i (i > l+1), 2(L − l) + 1 factors each", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 6 }),
        fc.boolean(),
        (sizes, bias) => {
          const L = sizes.length;
          let params = 0;
          let p = 0n;
          let f = 0n;
          for (let l = 1; l < L; l++) {
            const n = sizes[l]! * (sizes[l - 1]! + (bias ? 1 : 0));
            let perParam = 1n;
            for (let i = l + 1; i < L; i++) perParam *= BigInt(sizes[i]!);
            params += n;
            p += BigInt(n) * perParam;
            f += BigInt(n) * perParam * BigInt(2 * (L - l) + 1);
          }
          const c = count(layered({ sizes, bias }));
          expect(c).toEqual({ parameters: params, paths: Number(p), chainFactors: Number(f) });
        },
      ),
    );
  });

  it("equals the number of listed paths and their edges on random DAGs", () => {
    fc.assert(
      fc.property(dagCase, ({ graph }) => {
        const { paths: P, factors: F } = pathCounts(graph);
        for (const p of graphIndex(graph).params) {
          const listed = [...paths(graph, p)];
          expect(BigInt(listed.length)).toBe(P.get(p));
          expect(BigInt(listed.reduce((s, q) => s + q.length - 1, 0))).toBe(F.get(p));
          for (const q of listed) expect(new Set(q).size).toBe(q.length);
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it("counts a 10-layer, width-100 network exactly, as a bigint", () => {
    const c = count(layered({ sizes: Array(10).fill(100), bias: true }));
    expect(c.parameters).toBe(9 * 100 * 101);
    // closed form: Σ_l 10100 · 100^(L−l−1) paths
    let p = 0n;
    for (let l = 1; l < 10; l++) p += 10100n * 100n ** BigInt(10 - l - 1);
    expect(c.paths).toBe(p);
    expect(typeof c.chainFactors).toBe("bigint");
  });
});

describe("chain form", () => {
  const g = layered({ sizes: [2, 2, 2], bias: false });
  it("has exactly the post's two paths for θ⁽¹⁾₁₁ of the 2-2-2 network", () => {
    const c = chainForm(g, "theta_1_1_1");
    expect(c.terms.map((t) => t.path)).toEqual([
      ["theta_1_1_1", "z_2_1", "a_2_1", "z_3_1", "a_3_1", "J"],
      ["theta_1_1_1", "z_2_1", "a_2_1", "z_3_2", "a_3_2", "J"],
    ]);
    // factors from J backwards: ∂J/∂a, ∂a/∂z, ∂z/∂a, ∂a/∂z, ∂z/∂θ
    const names = c.terms[0]!.partials.map((p) =>
      p.kind === "partial" ? [p.num.ref, p.den.ref].map((r) => ("node" in r ? r.node : r.kind)).join("/") : "?",
    );
    expect(names).toEqual(["J/a_3_1", "a_3_1/z_3_1", "z_3_1/a_2_1", "a_2_1/z_2_1", "z_2_1/theta_1_1_1"]);
  });
  it("refuses to list astronomically many paths", () => {
    const big = layered({ sizes: [2, 40, 40, 40, 40, 2] }); // 40³·2 = 128,000 paths for a layer-1 weight
    expect(() => chainForm(big, "theta_1_1_1")).toThrow(TooLargeError);
  });
});

describe("the forms are one function", () => {
  it("chain, local and δ forms agree and match central differences (random DAGs)", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => {
        const d = gradientValues(graph, theta, data, "delta");
        const c = gradientValues(graph, theta, data, "chain");
        const l = gradientValues(graph, theta, data, "local");
        // different summation orders: relative 1e-9 where |g| ≥ 1e-3, absolute 1e-12 below
        expect(maxRelDiff(d, c, 1e-3)).toBeLessThan(1e-9);
        expect(maxRelDiff(d, l, 1e-3)).toBeLessThan(1e-9);
        fc.pre(!nearKink(graph, theta, data));
        const fd = finiteDifferences(graph, theta, data);
        // relative 1e-6 where the gradient is not tiny (|g| ≥ 1e-2), absolute 1e-8 below
        expect(maxRelDiff(d, fd, 1e-2)).toBeLessThan(1e-6);
      }),
      { numRuns: runs(150) },
    );
  });
  it("the same on random layered networks", () => {
    fc.assert(
      fc.property(layeredCase, ({ graph, theta, data }) => {
        const d = gradientValues(graph, theta, data, "delta");
        expect(maxRelDiff(d, gradientValues(graph, theta, data, "chain"), 1e-3)).toBeLessThan(1e-9);
        fc.pre(!nearKink(graph, theta, data));
        expect(maxRelDiff(d, finiteDifferences(graph, theta, data), 1e-2)).toBeLessThan(1e-6);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe("δ form", () => {
  it("is the post's: δ⁽³⁾ from the output, δ⁽²⁾ reused by every layer-1 partial", () => {
    const g = layered({ sizes: [2, 2, 2], bias: false });
    const d = deltaForm(g);
    expect(d.deltas.map((x) => x.node)).toEqual(["z_3_2", "z_3_1", "z_2_2", "z_2_1"]);
    // δ⁽³⁾_j: used by two layer-2 partials and two δ⁽²⁾ definitions; δ⁽²⁾_j by two layer-1 partials
    expect(Object.fromEntries(d.deltas.map((x) => [x.node, x.uses]))).toEqual({
      z_3_1: 4,
      z_3_2: 4,
      z_2_1: 2,
      z_2_2: 2,
    });
    const g212 = d.byParam.get("theta_2_1_2")!.perExample;
    expect(g212.kind === "mul" && g212.factors.map((f) => f.kind)).toEqual(["delta", "sym"]);
  });
  it("has a DAG at most 3× the forward graph's (the cheap-gradient principle)", () => {
    for (const sizes of [
      [2, 2, 2],
      [20, 20, 20, 5],
      [8, 8, 8, 8, 8, 8],
    ]) {
      const g = layered({ sizes });
      const f = forwardForm(g);
      const d = deltaForm(g);
      const fwd = dagSize([...f.definitions.values(), f.stableCost]);
      const back = dagSize([...d.deltas.map((x) => x.definition), ...d.gradients.map((x) => x.perExample)]);
      expect(back / fwd).toBeLessThanOrEqual(3);
    }
  });
  it("derives a chain of 10,000 nodes without overflowing the stack", () => {
    const b = new GraphBuilder();
    let prev: Parameters<typeof b.z>[1][number][1] = b.input("x");
    for (let i = 0; i < 5000; i++) prev = b.activate(`a${i}`, "tanh", b.z(`z${i}`, [[b.param(`w${i}`), prev]]));
    b.cost("mse", [prev as never], [b.target("y")]);
    const g = b.build();
    const d = deltaForm(g);
    expect(d.deltas).toHaveLength(5000);
    const theta = Float64Array.from({ length: 5000 }, (_, i) => 1.1 + 0.1 * Math.sin(i));
    const grad = gradientValues(g, theta, { m: 1, x: Float64Array.of(0.5), y: Float64Array.of(0.2) });
    // the same by hand: a_i = tanh(w_i a_{i−1}); ∂J/∂z_n = (a_n − y)(1 − a_n²);
    // ∂J/∂z_k = ∂J/∂z_{k+1} w_{k+1} (1 − a_k²); ∂J/∂w_k = ∂J/∂z_k a_{k−1}
    const a = [0.5];
    for (let i = 0; i < 5000; i++) a.push(Math.tanh(theta[i]! * a[i]!));
    let dz = (a[5000]! - 0.2) * (1 - a[5000]! ** 2);
    for (let k = 4999; k >= 0; k--) {
      expect(grad[k]).toBeCloseTo(dz * a[k]!, 12);
      if (k > 0) dz = dz * theta[k]! * (1 - a[k]! ** 2);
    }
    expect(count(g).paths).toBe(5000);
  });
  it("derives a 784-128-10 network", () => {
    const g = layered({ sizes: [784, 128, 10], activation: ["sigmoid", "softmax"], cost: "cross-entropy" });
    const d = deltaForm(g);
    expect(d.gradients).toHaveLength(784 * 128 + 128 + 128 * 10 + 10);
    expect(d.deltas.filter((x) => x.fused)).toHaveLength(10);
    const sample: Expr = d.byParam.get("theta_1_5_3")!.perExample;
    expect(sample.kind).toBe("mul");
  });
});
