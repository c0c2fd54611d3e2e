import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GraphError,
  gradientValues,
  graphIndex,
  hasMatrixForm,
  layered,
  matrixForm,
  matrixGradientValues,
  parameterIds,
} from "../src/index.js";
import { dagCase, layeredCase } from "./arbitraries.js";
import { maxRelDiff } from "./helpers.js";

describe("matrix form", () => {
  it("computes the same gradients as the δ table (random layered networks)", () => {
    fc.assert(
      fc.property(layeredCase, ({ graph, theta, data }) => {
        // softmax with a cost other than cross-entropy has no element-wise output δ
        if (!hasMatrixForm(graph)) {
          expect(() => matrixGradientValues(graph, theta, data)).toThrow(GraphError);
          return;
        }
        // the same sums in another order: relative 1e-10 where |g| ≥ 1e-4, absolute 1e-14 below
        // (a 1-3-2-2 case with partials near 1e-6 differed by 1.7e-16, a few ε, absolute)
        expect(
          maxRelDiff(matrixGradientValues(graph, theta, data), gradientValues(graph, theta, data), 1e-4),
        ).toBeLessThan(1e-10);
      }),
      { numRuns: 150 },
    );
  });
  it("exists exactly where hasMatrixForm says: every layered network but a softmax output under a cost other than cross-entropy; no DAG", () => {
    fc.assert(
      fc.property(fc.oneof(layeredCase, dagCase), ({ graph }) => {
        const out = graph.layers?.activations.at(-1);
        const has = graph.layers !== null && !(out === "softmax" && graphIndex(graph).cost.cost !== "cross-entropy");
        expect(hasMatrixForm(graph)).toBe(has);
        if (has) expect(matrixForm(graph).sizes).toEqual(graph.layers!.sizes);
        else expect(() => matrixForm(graph)).toThrow(GraphError);
      }),
      { numRuns: 150 },
    );
  });

  it("states the post's recurrence in column form", () => {
    const form = matrixForm(layered({ sizes: [2, 2, 2], bias: false }));
    expect(form.convention).toBe("column");
    expect(form.backward.map((s) => `${s.kind}${s.layer}`)).toEqual(["delta3", "gradient2", "delta2", "gradient1"]);
    const d2 = form.backward[2]!;
    expect(d2.kind === "delta" && d2.value).toMatchObject({
      kind: "hadamard",
      left: {
        kind: "matmul",
        left: { kind: "transpose", arg: { kind: "weights", layer: 2 } },
        right: { kind: "delta", layer: 3 },
      },
      right: { kind: "map", role: "derivative", layer: 2 },
    });
    expect(parameterIds(layered({ sizes: [2, 2, 2], bias: false }))).toHaveLength(8);
  });
});
