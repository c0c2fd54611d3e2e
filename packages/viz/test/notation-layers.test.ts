/**
 * The general formulas in every notation name the layers the notation's own numbering gives them:
 * put the output layer's number for L (and a hidden layer's for l) into the general δ and gradient
 * formulas and they read exactly as the concrete steps printed for that network. Ng numbers the
 * input layer 0, so its output δ is δ^[L] with L the last layer, never δ^[L−1].
 */

import { type ActivationName, ELEMENTWISE_ACTIVATIONS, layered, matrixForm } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  derivation,
  generalise,
  LatexPrinter,
  NOTATION_TABLE,
  NOTATIONS,
  stepLatex,
  toMarkdown,
} from "../src/index.js";

/** The general formula with its symbolic layer (L or l, with any offset) set to the number `value`. */
function substitute(latex: string, symbol: string, value: number): string {
  return latex.replace(
    new RegExp(`\\^\\{([(\\[]?)${symbol}([+-]\\d+)?([)\\]]?)`, "g"),
    (_m, open: string, off: string | undefined, close: string) => `^{${open}${value + Number(off ?? 0)}${close}`,
  );
}

const networks = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 5 }),
  hidden: fc.constantFrom<ActivationName>(...ELEMENTWISE_ACTIVATIONS),
  bias: fc.boolean(),
  notation: fc.constantFrom(...NOTATIONS),
});

describe("general formulas in each notation's layer numbering", () => {
  it("the output δ at L and the gradient at l are the concrete steps with the notation's layer numbers put in", () => {
    fc.assert(
      fc.property(networks, ({ sizes, hidden, bias, notation }) => {
        const g = layered({ sizes, activation: [...sizes.slice(2).map(() => hidden), "sigmoid"], bias });
        const p = new LatexPrinter(g, { notation });
        const own = (postLayer: number) => postLayer + NOTATION_TABLE[notation].inputLayer - 1;
        const mf = matrixForm(g);
        const L = sizes.length;
        // the output δ: L is the last layer in the notation's numbering
        const out = mf.backward[0]!;
        expect(substitute(stepLatex(p, generalise(out, L, "L"))[0]!, "L", own(L))).toBe(stepLatex(p, out)[0]);
        // every gradient step past the input layer: l is the layer the step reads
        for (const step of mf.backward.filter((s) => s.kind === "gradient" && s.layer >= 2)) {
          const general = stepLatex(p, generalise(step, step.layer)).map((r) => substitute(r, "l", own(step.layer)));
          expect(general).toEqual(stepLatex(p, step));
        }
        // every hidden δ: the same up to the activation's derivative, which the general form writes f′(z)
        for (const step of mf.backward.filter((s) => s.kind === "delta" && s.layer < L)) {
          const general = substitute(stepLatex(p, generalise(step, step.layer))[0]!, "l", own(step.layer));
          expect(general.split("\\odot")[0]).toBe(stepLatex(p, step)[0]!.split("\\odot")[0]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("the document's layer range, forward pass and update are in the notation's own words", () => {
    for (const notation of NOTATIONS) {
      // the notes on the post, at the end, quote the post's notation; everything before is the document's own
      const text = toMarkdown(derivation(layered({ sizes: [2, 3, 2] }), { notation })).split(
        "## Where this differs",
      )[0]!;
      const first = NOTATION_TABLE[notation].inputLayer;
      expect(text).toContain(
        `for a network of layers $${first}, \\ldots, L$ (the input is layer ${first}, the output layer $L$)`,
      );
      expect(text).toContain(`for $l = ${first + 1}, \\ldots, L$.`);
      expect(text).not.toMatch(/\\delta\^\{[([]?L-1/);
      if (notation === "post") expect(text).toContain("\\theta_i &:= \\theta_i + \\Delta \\theta_i");
      else expect(text).not.toContain("\\theta_i");
    }
    expect(toMarkdown(derivation(layered({ sizes: [2, 3, 2] }), { notation: "ng" }))).toContain(
      "W^{[l]} &:= W^{[l]} - \\alpha \\frac{\\partial J}{\\partial W^{[l]}}",
    );
  });
});
