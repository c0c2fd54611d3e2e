/**
 * A worked example at J's minimum (the network fits its target exactly) has every partial exactly
 * 0, while the extrapolated difference quotients are left with truncation and rounding of order
 * 1e-20: the document's check passes them (it used to refuse to write such a document).
 */
import { batch, layered, parameterIds, predict } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { derivation } from "../src/index.js";

describe("the Checked section at J's minimum", () => {
  it("passes partials that are exactly 0 where the quotients are of order 1e-20", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.constantFrom("tanh", "sigmoid", "gelu", "silu"),
        (values, x, hidden) => {
          const graph = layered({ sizes: [1, 1, 1], activation: [hidden, "identity"], bias: true });
          const theta = Float64Array.from(values);
          // the target is the network's own output: J = 0, every ∂J/∂θ = 0
          const out = predict(graph, theta, batch(graph, [[x]], [[0]]));
          const data = batch(graph, [[x]], [[out[0]!]]);
          const doc = derivation(graph, { param: parameterIds(graph)[1]!, values: { theta, data } });
          const checked = doc.blocks.find((b) => b.kind === "heading" && / Checked$/.test(b.text));
          expect(checked).toBeDefined();
        },
      ),
      { numRuns: runs(200) },
    );
  });
});
