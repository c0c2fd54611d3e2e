/**
 * `derive` with L2: every form (chain, local, δ) in every format (text, JSON, LaTeX) gives the
 * whole ∂J/∂θ — the L2 term (λ/m)θ once for each weight, never for a bias.
 */

import { ELEMENTWISE_ACTIVATIONS } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const FORMS = ["chain", "local", "delta"] as const;

/** The JSON tree of (λ/m)θ for one parameter, as core's exprToJson writes it. */
const l2Term = (param: string) => ({
  kind: "mul",
  factors: [
    { kind: "sym", of: "lambda" },
    { kind: "pow", base: { kind: "sym", of: "m" }, exp: -1 },
    { kind: "sym", of: "theta", node: param },
  ],
});
const ZERO = { kind: "const", value: 0 };
const mentionsLambda = (tree: unknown) => JSON.stringify(tree).includes('"of":"lambda"');
/** A layered parameter id theta_l_j_k is a bias when k = 0. */
const isBias = (param: string) => param.endsWith("_0");

/** Random small layered networks with L2 on, as derive's arguments. */
const spec = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 3 }),
  activation: fc.constantFrom(...ELEMENTWISE_ACTIVATIONS),
  bias: fc.boolean(),
  l2: fc.constantFrom("0.01", "0.3", "2"),
});
const args = (s: { sizes: number[]; activation: string; bias: boolean; l2: string }) => [
  "--layers",
  s.sizes.join(","),
  "--activation",
  s.activation,
  "--l2",
  s.l2,
  ...(s.bias ? [] : ["--no-bias"]),
  "--param",
  "all",
];

describe("derive with L2", () => {
  it("the JSON of every form has the L2 term as its batch part, for weights and not for biases", async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        for (const form of FORMS) {
          const r = await cli("derive", ...args(s), "--form", form, "--format", "json");
          expect(r.code).toBe(0);
          const gradients = JSON.parse(r.out).gradients as {
            param: string;
            batch: unknown;
            expr?: unknown;
            perExample?: unknown;
          }[];
          expect(gradients.length).toBeGreaterThan(0);
          for (const g of gradients) {
            expect(g.batch).toEqual(isBias(g.param) ? ZERO : l2Term(g.param));
            // the per-example part never holds it: it would be counted once per example
            expect(mentionsLambda(form === "delta" ? g.perExample : g.expr)).toBe(false);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it("the text and LaTeX of every form have it once for a weight and not for a bias", async () => {
    const net = ["--layers", "1,1,1", "--l2", "0.3"];
    for (const form of FORMS) {
      const text = (await cli("derive", ...net, "--param", "all", "--form", form)).out.split("\n");
      const line = text.find((l) => l.startsWith("dJ_dtheta_1_1_1 = "))!;
      expect(line).toContain(" + lambda*(1/m)*theta_1_1_1");
      expect(line.split("lambda")).toHaveLength(2);
      expect(text.find((l) => l.startsWith("dJ_dtheta_1_1_0 = "))).not.toContain("lambda");
      const weight = (await cli("derive", ...net, "--param", "1,1,1", "--form", form, "--format", "latex")).out;
      expect(weight.split("\\frac{\\lambda}{m} \\theta^{(1)}_{11}")).toHaveLength(2);
      const bias = (await cli("derive", ...net, "--param", "1,1,0", "--form", form, "--format", "latex")).out;
      expect(bias).not.toContain("\\lambda");
    }
  });

  it("leaves the JSON without L2 as it was: a zero batch part", async () => {
    const r = await cli(
      "derive",
      "--layers",
      "2,2,2",
      "--no-bias",
      "--param",
      "1,1,1",
      "--form",
      "chain",
      "--format",
      "json",
    );
    const g = JSON.parse(r.out).gradients[0];
    expect(g.paths).toHaveLength(2);
    expect(g.batch).toEqual(ZERO);
  });
});
