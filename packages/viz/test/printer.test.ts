import {
  add,
  apply,
  deltaForm,
  div,
  type Expr,
  type FnName,
  FUNCTIONS,
  forwardForm,
  layered,
  mul,
  neg,
  num,
  pow,
  sub,
  sym,
} from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatexPrinter, latex, PRECEDENCE, precedence } from "../src/index.js";
import { parseStrict, post222 } from "./helpers.js";

const a31 = sym({ kind: "a", node: "a_3_1" });
const y1 = sym({ kind: "y", node: "y_1" });
const M = sym({ kind: "m" });

describe("symbols in the three notations", () => {
  const g = layered({ sizes: [2, 2, 2], bias: true });
  const cases: [string, string, string, string][] = [
    // node id, post, ng, nielsen
    ["theta_1_1_2", "\\theta^{(1)}_{12}", "W^{[1]}_{12}", "w^{2}_{12}"],
    ["theta_2_2_0", "\\theta^{(2)}_{20}", "b^{[2]}_{2}", "b^{3}_{2}"],
    ["z_2_1", "z^{(2)}_{1}", "z^{[1]}_{1}", "z^{2}_{1}"],
    ["a_3_2", "a^{(3)}_{2}", "a^{[2]}_{2}", "a^{3}_{2}"],
    ["x_2", "x_{2}", "x_{2}", "x_{2}"],
    ["y_1", "y_{1}", "y_{1}", "y_{1}"],
    ["J", "J(\\theta)", "J", "C"],
  ];
  for (const [id, post, ng, nielsen] of cases) {
    it(`prints ${id}`, () => {
      const p = new LatexPrinter(g);
      expect(p.node(id)).toBe(post);
      expect(p.with({ notation: "ng" }).node(id)).toBe(ng);
      expect(p.with({ notation: "nielsen" }).node(id)).toBe(nielsen);
    });
  }
  it("prints δ of a z node and separates two-digit indices", () => {
    const big = layered({ sizes: [12, 11, 2], bias: false });
    const p = new LatexPrinter(big);
    expect(p.deltaOf("z_2_11")).toBe("\\delta^{(2)}_{11}");
    expect(p.node("theta_1_11_12")).toBe("\\theta^{(1)}_{11,12}");
    // with a two-digit index anywhere in the network, every index pair is separated: θ_{1,0} (a bias) beside θ_{1,10}
    expect(p.node("theta_1_3_4")).toBe("\\theta^{(1)}_{3,4}");
    expect(new LatexPrinter(big, { notation: "ng" }).node("theta_1_1_10")).toBe("W^{[1]}_{1,10}");
    expect(new LatexPrinter(layered({ sizes: [9, 9, 2] })).node("theta_1_1_0")).toBe("\\theta^{(1)}_{10}");
    expect(new LatexPrinter(layered({ sizes: [10, 3, 2] })).node("theta_1_1_0")).toBe("\\theta^{(1)}_{1,0}");
  });
});

describe("products, sums and fractions", () => {
  const p = new LatexPrinter(post222());
  it("writes the post's (1/m)(a − y)", () => {
    expect(p.print(mul(pow(M, -1), sub(a31, y1)))).toBe("\\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)");
  });
  it("writes the cost 1/(2m) Σ (y − a)²", () => {
    expect(p.print(forwardForm(post222()).cost)).toBe(
      "\\frac{1}{2 m} \\left(\\left(y_{1} - a^{(3)}_{1}\\right)^{2} + \\left(y_{2} - a^{(3)}_{2}\\right)^{2}\\right)",
    );
  });
  it("puts non-scalar denominators under one line", () => {
    expect(p.print(mul(num(-1), pow(M, -1), div(y1, a31)))).toBe("-\\frac{y_{1}}{m a^{(3)}_{1}}");
  });
  it("subtracts negative terms and parenthesises negative factors", () => {
    expect(p.print(add(a31, neg(y1), num(-2)))).toBe("a^{(3)}_{1} - y_{1} - 2");
    expect(p.print(mul(a31, add(num(1), neg(a31))))).toBe("a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)");
    expect(p.print(pow(a31, 2))).toBe("\\left(a^{(3)}_{1}\\right)^{2}");
    expect(p.print(pow(y1, 2))).toBe("y_{1}^{2}");
  });
  it("applies functions and their derivatives", () => {
    const z = sym({ kind: "z", node: "z_2_1" });
    expect(p.print(apply("sigmoid", z))).toBe("\\sigma\\left(z^{(2)}_{1}\\right)");
    expect(p.print(apply("sigmoid", z, 1))).toBe("\\sigma'\\left(z^{(2)}_{1}\\right)");
    expect(p.print(apply("tanh", z, 2))).toBe("\\tanh''\\left(z^{(2)}_{1}\\right)");
    expect(p.print(apply("relu", z))).toBe("\\operatorname{ReLU}\\left(z^{(2)}_{1}\\right)");
  });
  it("writes numbers side by side with a dot", () => {
    const q = p.with({ values: (e) => (e === a31 ? 0.5 : e === y1 ? -0.25 : undefined) });
    expect(q.print(mul(a31, add(num(1), neg(a31))))).toBe("0.5 \\left(1 - 0.5\\right)");
    expect(q.print(mul(a31, y1))).toBe("0.5 \\left(-0.25\\right)");
    const r = p.with({ values: (e) => (e === a31 ? 0.5 : e === y1 ? 0.25 : undefined) });
    expect(r.print(mul(a31, y1))).toBe("0.5 \\cdot 0.25");
  });
  it("elides long sums with ⋯", () => {
    const terms = [1, 2, 3, 4, 5, 6].map((k) =>
      mul(sym({ kind: "theta", node: `theta_1_1_${k}` }), sym({ kind: "x", node: `x_${k}` })),
    );
    const g = layered({ sizes: [6, 1], bias: false });
    expect(new LatexPrinter(g, { maxTerms: 3 }).print(add(...terms))).toBe(
      "\\theta^{(1)}_{11} x_{1} + \\theta^{(1)}_{12} x_{2} + \\cdots + \\theta^{(1)}_{16} x_{6}",
    );
  });
  it("ranks kinds by the precedence table", () => {
    expect(precedence(add(a31, y1))).toBe(PRECEDENCE.add);
    expect(precedence(mul(a31, y1))).toBe(PRECEDENCE.mul);
    expect(precedence(neg(a31))).toBe(PRECEDENCE.add);
    expect(precedence(pow(a31, 2))).toBe(PRECEDENCE.pow);
    expect(precedence(a31)).toBe(PRECEDENCE.atom);
  });
  it("prints in vector form with ⊙", () => {
    const d = deltaForm(post222()).byNode.get("z_3_1")!.definition;
    expect(p.with({ vector: true }).print(d)).toBe(
      "\\frac{1}{m} \\left(a^{(3)} - y\\right) \\odot a^{(3)} \\odot \\left(1 - a^{(3)}\\right)",
    );
  });
  it("prints free-form nodes by their names", () => {
    expect(latex(sym({ kind: "z", node: "h12" }))).toBe("h_{12}");
    expect(latex(sym({ kind: "a", node: "hidden_3" }))).toBe("\\mathrm{hidden}_{3}");
    expect(latex(sym({ kind: "x", node: "in put" }))).toBe("\\text{in\\ put}");
  });
});

/** Random expressions over the symbols of a 2-3-2 network with biases (fast-check). */
const g232 = layered({ sizes: [2, 3, 2], bias: true });
const leaves: Expr[] = [
  ...Object.values(g232.nodes).flatMap((n) =>
    n.kind === "cost"
      ? []
      : [
          sym({
            kind: n.kind === "param" ? "theta" : n.kind === "input" ? "x" : n.kind === "target" ? "y" : n.kind,
            node: n.id,
          } as never),
        ],
  ),
  M,
  sym({ kind: "lambda" }),
];
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...leaves),
    fc.double({ min: -5, max: 5, noNaN: true }).map(num),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => add(a, b)),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => mul(a, b)),
    fc.tuple(tie("e"), fc.constantFrom(-2, -1, 0.5, 2, 3)).map(([a, k]) => pow(a, k)),
    fc
      .tuple(tie("e"), fc.constantFrom(...(Object.keys(FUNCTIONS) as FnName[])), fc.nat({ max: 3 }))
      .map(([a, f, o]) => apply(f, a, o)),
    tie("e").map(neg),
  ),
})).e;

describe("every printed expression parses", () => {
  it("in every notation and mode (KaTeX, strict)", () => {
    fc.assert(
      fc.property(
        exprArb,
        fc.constantFrom("post", "ng", "nielsen" as const),
        fc.boolean(),
        fc.integer({ min: 2, max: 6 }),
        (e, notation, vector, maxTerms) => {
          const s = new LatexPrinter(g232, { notation, vector, maxTerms }).print(e);
          parseStrict(s);
          // balanced groups: every \left has its \right
          expect(s.split("\\left").length).toBe(s.split("\\right").length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
