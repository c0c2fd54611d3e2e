/**
 * Derivation documents follow the post: the sections in order, the count of factors from core,
 * every parameter's chain, the δ reuse counts, the matrix form for layered networks only, the
 * worked example when numbers are given; wide networks are elided and stay fast and small.
 */

import {
  ArgumentError,
  count,
  deltaForm,
  layered,
  parameterIds,
  TooLargeError,
  UnknownNameError,
} from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { dagCase, layeredCase } from "../../core/test/arbitraries.js";
import { makeContext } from "../src/doc/context.js";
import { checkNumbers, DocumentCheckError } from "../src/doc/sections/checked.js";
import { safeMatrixForm } from "../src/doc/sections/network.js";
import { workedExample } from "../src/doc/worked-example.js";
import {
  chainListing,
  type DerivationDocument,
  derivation,
  exampleValues,
  LatexPrinter,
  mathOf,
  toMarkdown,
  toStandaloneLatex,
} from "../src/index.js";
import { hostileDag, post111, post222 } from "./helpers.js";

const headings = (d: DerivationDocument, level = 2) =>
  d.blocks.filter((b) => b.kind === "heading" && b.level === level).map((b) => (b.kind === "heading" ? b.text : ""));
const prose = (d: DerivationDocument) =>
  d.blocks
    .flatMap((b) => (b.kind === "paragraph" || b.kind === "note" ? b.content : b.kind === "list" ? b.items.flat() : []))
    .map((i) => (i.kind === "math" ? `$${i.latex}$` : i.text))
    .join("");
const rows = (d: DerivationDocument) => d.blocks.flatMap((b) => (b.kind === "equations" ? b.rows : []));

describe("the document of a layered network", () => {
  const g = post222();
  const doc = derivation(g, { values: exampleValues(g, 3) });
  it("has the post's sections in order", () => {
    expect(headings(doc)).toEqual([
      "1. The network and its notation",
      "2. The cost function",
      "3. The chain rule, path by path",
      "4. Counting the factors",
      "5. The δ terms",
      "6. The matrix form",
      "7. The algorithm",
      "8. A worked example",
      "9. Checked",
      "Where this differs from the post",
    ]);
    // the post's "Layer 2 parameters" and "Layer 1 parameters", backpropagation visualised, the starting weights, gradient descent
    expect(headings(doc, 3)).toEqual([
      "Layer 2 parameters, into the output layer",
      "Layer 1 parameters, into layer 2",
      "Backpropagation, visualised",
      "Why the weights start at random values",
      "Gradient descent",
    ]);
  });
  it("counts 8 parameters and 52 factors (2 and 8 for 1-1-1), from core's count", () => {
    // the breakdown layer by layer, in the sentence that states the count
    expect(prose(doc)).toContain(
      "8 parameters need 52 partial-derivative factors (over 12 paths), counted without listing a single path: $4 \\cdot 3 + 4 \\cdot 2 \\cdot 5 = 52$.",
    );
    const simple = derivation(post111());
    expect(prose(simple)).toContain("2 parameters need 8 partial-derivative factors");
    expect(prose(simple)).toContain("$1 \\cdot 3 + 1 \\cdot 5 = 8$");
  });
  it("prints each representative parameter's chain once, then its local partials and its δ form", () => {
    const math = mathOf(doc).join("\n");
    const p = new LatexPrinter(g);
    // the chosen θ⁽¹⁾₁₁, and per layer the first neuron's first weight and the last neuron's last
    for (const id of ["theta_2_1_1", "theta_2_2_2", "theta_1_1_1", "theta_1_2_2"]) {
      const first = chainListing(g, id).terms[0]!;
      const chain = first.partials.map((e) => `\\left(${p.print(e)}\\right)`).join(" ");
      const local = first.locals.map((e) => (e.kind === "sym" ? p.print(e) : `\\left(${p.print(e)}\\right)`)).join(" ");
      expect(math.split(chain).length - 1, id).toBe(1);
      if (id !== "theta_1_1_1") expect(math.split(local).length - 1, id).toBe(1);
      const after = math.slice(math.indexOf(chain));
      expect(after).toContain(p.print(deltaForm(g).byParam.get(id)!.perExample));
    }
    // the others are not spelt out: their δ form is in the layer's matrix
    const other = chainListing(g, "theta_2_1_2")
      .terms[0]!.partials.map((e) => `\\left(${p.print(e)}\\right)`)
      .join(" ");
    expect(math).not.toContain(other);
    expect(math).toContain("\\delta^{(3)}_{1} a^{(2)}_{2}");
  });
  it("says how often each δ is reused, as core counts it", () => {
    for (const d of deltaForm(g).deltas) {
      const j = d.node.split("_")[2];
      const l = d.node.split("_")[1];
      const times = d.uses === 1 ? "once" : d.uses === 2 ? "twice" : `${d.uses} times`;
      expect(prose(doc)).toContain(`$\\delta^{(${l})}_{${j}}$ is used ${times}`);
    }
    expect(prose(doc)).not.toMatch(/is used 1 time/);
  });
  it("states the convention and the corrections to the post", () => {
    const text = prose(doc);
    expect(text).toContain("vectors are columns");
    expect(text).toContain("so the sign printed here is $\\frac{1}{m}\\left(a - y\\right)$");
    expect(text).toContain("The post writes $f'\\left(a\\right)$");
  });
});

describe("the document of a network with L2", () => {
  const g = layered({ sizes: [2, 2, 2], bias: false, l2: 0.1 });
  const doc = derivation(g);
  const term = "&\\quad + \\frac{\\lambda}{m} \\theta^{(1)}_{11}";
  it("ends every weight's chain and local form, and its δ-form partial, with (λ/m)θ", () => {
    // the chain in section 3, and each step of its δ substitution in section 5
    const tail = term.replace("&\\quad ", " ");
    expect(rows(doc).filter((r) => r.endsWith(tail)).length).toBeGreaterThanOrEqual(3);
    expect(
      rows(doc).some((r) => r.endsWith("= \\delta^{(2)}_{1} x_{1} + \\frac{\\lambda}{m} \\theta^{(1)}_{11}")),
    ).toBe(true);
  });
  it("carries (λ/m)Θ through the matrix form's expansion", () => {
    const theta =
      "\\frac{\\lambda}{m} \\begin{bmatrix} \\theta^{(2)}_{11} & \\theta^{(2)}_{12} \\\\ \\theta^{(2)}_{21} & \\theta^{(2)}_{22} \\end{bmatrix}";
    expect(rows(doc)).toContain(
      `&= \\begin{bmatrix} \\delta^{(3)}_{1} a^{(2)}_{1} & \\delta^{(3)}_{1} a^{(2)}_{2} \\\\ \\delta^{(3)}_{2} a^{(2)}_{1} & \\delta^{(3)}_{2} a^{(2)}_{2} \\end{bmatrix} + ${theta}`,
    );
  });
  it("still counts 52 factors: the L2 term is no path", () => {
    expect(prose(doc)).toContain("8 parameters need 52 partial-derivative factors");
    expect(prose(doc)).toContain("it adds no path and no factor");
  });
  it("keeps the biases unpenalised", () => {
    const biased = derivation(layered({ sizes: [2, 2, 2], l2: 0.1 }));
    const lambdaRows = rows(biased).filter((r) => r.includes("\\lambda"));
    expect(lambdaRows.length).toBeGreaterThan(0);
    // θ⁽ˡ⁾_j0 (a bias) never appears next to λ
    for (const r of lambdaRows) expect(r).not.toMatch(/\\frac\{\\lambda\}\{m\} \\theta\^\{\(\d\)\}_\{\d0\}/);
  });
});

describe("documents of any graph", () => {
  it("give DAGs the chain and δ sections but no matrix form", () => {
    const doc = derivation(hostileDag());
    const hs = headings(doc);
    expect(hs).toContain("3. The chain rule, path by path");
    expect(hs).toContain("6. The δ terms");
    expect(hs).toContain("7. The algorithm");
    expect(hs.some((h) => h.includes("matrix"))).toBe(false);
  });
  it("list each listed parameter's chain and count the factors as core does, for random graphs", () => {
    fc.assert(
      fc.property(
        fc.oneof(dagCase, layeredCase),
        fc.constantFrom("post", "ng", "nielsen" as const),
        ({ graph }, notation) => {
          const doc = derivation(graph, { notation, diagram: false });
          const c = count(graph);
          expect(prose(doc)).toContain(
            `${c.parameters} ${c.parameters === 1 ? "parameter needs" : "parameters need"} ${c.chainFactors} partial-derivative factors`,
          );
          // a layered network has the matrix form, a free-form graph the table of local partials
          expect(headings(doc).length).toBe(8);
          expect(
            headings(doc).some((h) =>
              h.endsWith(graph.layers === null ? "The local partials, evaluated" : "The matrix form"),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: runs(40) },
    );
  });
});

describe("the Checked section", () => {
  it("states, for random graphs with values, that the forms agree and the partials match finite differences, with the figures", () => {
    fc.assert(
      fc.property(
        fc.oneof(dagCase, layeredCase),
        fc.constantFrom("post", "ng", "nielsen" as const),
        ({ graph, theta, data }, notation) => {
          const doc = derivation(graph, { notation, diagram: false, values: { theta, data } });
          const hs = headings(doc);
          expect(hs.at(-2)).toMatch(/^\d+\. Checked$/);
          const checked = prose({
            title: "",
            blocks: doc.blocks.slice(doc.blocks.findIndex((b) => b.kind === "heading" && b.text.endsWith("Checked"))),
          });
          const n = parameterIds(graph).length;
          expect(checked).toContain(
            `give the same ${n} partial derivatives on the example above: the largest difference is $`,
          );
          expect(checked).toContain(n <= 2000 ? `(all ${n} checked)` : "a seeded sample");
          expect(checked).toMatch(/the largest relative error \$([\d.]+|([\d.]+ \\times )?10\^\{-\d+\})\$/);
          expect(checked.includes("the matrix form")).toBe(graph.layers !== null && safeMatrixForm(graph) !== null);
        },
      ),
      // each case builds a whole document: report the first failure as found rather than shrink it for minutes
      { numRuns: runs(25), endOnFailure: true },
    );
  });
  it("counts, rather than fails, a partial at a kink within the difference step (a relu at 0)", () => {
    const g = layered({ sizes: [1, 1], activation: "relu", cost: "mse" });
    // z = θ₁₁·0 + θ₁₀ = 1e-7: a relu just past its kink, well within a difference step of it
    const values = {
      theta: Float64Array.from([1e-7, 0.5]),
      data: { m: 1, x: Float64Array.from([0]), y: Float64Array.from([1]) },
    };
    const text = prose(derivation(g, { values, diagram: false }));
    expect(text).toContain("1 partial sits where an activation has a kink within the difference step");
  });
  it("is not made when the numbers disagree: the document is refused with a typed error", () => {
    const g = post222();
    const values = exampleValues(g, 3);
    const ctx = makeContext(g, { values });
    const good = workedExample(g, values.theta, values.data, { params: ["theta_1_1_1"] });
    expect(checkNumbers(ctx, good).differences.passed).toBe(true);
    const wrong = { ...good, gradient: Float64Array.from(good.gradient, (v, i) => (i === 3 ? v * 1.01 + 1e-3 : v)) };
    expect(() => checkNumbers(ctx, wrong)).toThrow(DocumentCheckError);
    expect(() => checkNumbers(ctx, wrong)).toThrow(/disagree on the worked example|finite differences give/);
  });
});

describe("big networks", () => {
  // its time is a benchmark's business (bench/core.bench.mjs); here, that its size stays small
  it("a 300-64-10 document is elided and its size bounded; a 100-30-10 one checks a sample of its partials", () => {
    const g = layered({ sizes: [300, 64, 10], activation: ["relu", "softmax"], cost: "cross-entropy" });
    const doc = derivation(g);
    const tex = toStandaloneLatex(doc);
    expect(tex.length).toBeLessThan(100_000);
    expect(rows(doc).some((r) => r.includes("\\vdots"))).toBe(true);
    expect(rows(doc).some((r) => r.includes("more paths)"))).toBe(true);
    expect(tex).toContain("\\theta^{(1)}_{64,300}");
    expect(tex).not.toContain("\\theta^{(1)}_{32,");
    const medium = layered({ sizes: [100, 30, 10], activation: ["relu", "softmax"], cost: "cross-entropy" });
    expect(toMarkdown(derivation(medium, { values: exampleValues(medium, 1) }))).toContain(
      "a seeded sample of 400 of the 3,340, every layer represented",
    );
  });
  it("refuses a full listing that would run to millions of factors, and says what to do", () => {
    const g = layered({ sizes: [784, 128, 10] });
    expect(() => derivation(g, { full: true })).toThrow(TooLargeError);
    expect(() => derivation(g, { full: true })).toThrow(/drop the full option/);
  });
  it("full prints every neuron of a wider layer", () => {
    const g = layered({ sizes: [6, 2], bias: false });
    const short = toStandaloneLatex(derivation(g));
    const full = toStandaloneLatex(derivation(g, { full: true }));
    expect(short).not.toContain("\\theta^{(1)}_{14}");
    expect(full).toContain("\\theta^{(1)}_{14}");
    expect(full.length).toBeGreaterThan(short.length);
  });
});

describe("options", () => {
  const g = post222();
  it("are checked, with messages that say what to do", () => {
    expect(() => derivation(g, { notation: "post-it" })).toThrow(UnknownNameError);
    expect(() => derivation(g, { notation: "post-it" })).toThrow(/Known: post, ng, nielsen/);
    expect(() => derivation(g, { param: "theta_9_9_9" })).toThrow(ArgumentError);
    expect(() => derivation(g, { learningRate: -1 })).toThrow(/learning rate/);
    expect(() => derivation(g, { threshold: 0 })).toThrow(/threshold/);
    expect(() =>
      derivation(g, {
        values: { theta: new Float64Array(3), data: { m: 1, x: new Float64Array(2), y: new Float64Array(2) } },
      }),
    ).toThrow(/8 parameter values/);
  });
  it("choose the notation of every formula", () => {
    const ng = derivation(g, { notation: "ng" });
    expect(mathOf(ng).join("\n")).toContain("W^{[1]}_{11}");
    expect(mathOf(ng).join("\n")).not.toContain("\\theta^{(1)}_{11}");
    const nielsen = derivation(g, { notation: "nielsen", param: "theta_2_1_2" });
    expect(mathOf(nielsen).join("\n")).toContain("\\frac{\\partial C}{\\partial w^{3}_{12}}");
  });
});

describe("Markdown", () => {
  it("has a heading per section and each equation group as a display block", () => {
    const doc = derivation(post222());
    const md = toMarkdown(doc);
    expect(md.match(/^## /gm)?.length).toBe(headings(doc).length);
    expect(md.match(/^\$\$$/gm)?.length).toBe(
      2 * doc.blocks.filter((b) => b.kind === "equations" && b.rows.length > 0).length,
    );
    expect(md).toContain("![");
    // the contents link every section to its heading's anchor
    expect(md).toContain("- [1\\. The network and its notation](#1-the-network-and-its-notation)");
    expect(md).toContain("(#5-the-δ-terms)");
    // the parts of a section are third-level headings, not in the contents
    expect(md).toContain("### Layer 1 parameters, into layer 2");
    expect(md).not.toContain("(#layer-1-parameters-into-layer-2)");
  });
});

describe("softmax + cross-entropy: the general output δ and its textbook form", () => {
  const g = layered({ sizes: [1, 2], activation: "softmax", cost: "cross-entropy", bias: false });
  const doc = derivation(g, { values: exampleValues(g, 3) });
  it("prints δ = (1/m)(a Σy − y), then (1/m)(a − y) under the stated assumption Σy = 1", () => {
    expect(
      rows(doc).some(
        (r) =>
          r.startsWith("\\delta^{(2)}_{1} &= ") &&
          r.endsWith("= \\frac{1}{m} \\left(a^{(2)}_{1} \\left(\\textstyle\\sum_{i} y_{i}\\right) - y_{1}\\right)"),
      ),
    ).toBe(true);
    expect(rows(doc)).toContain(
      "&= \\frac{1}{m} \\left(a^{(2)}_{1} - y_{1}\\right) \\quad \\text{when } \\textstyle\\sum_{i} y_{i} = 1",
    );
    expect(prose(doc)).toContain("needs the assumption $\\sum_i y_{i} = 1$ for every example");
  });
  it("the matrix form writes the sum as 1ᵀy", () => {
    expect(rows(doc).some((r) => r.includes("\\left(\\mathbf{1}^{\\mathsf{T}} y\\right)"))).toBe(true);
  });
  it("other costs state no such assumption", () => {
    const bce = derivation(layered({ sizes: [1, 1], activation: "sigmoid", cost: "binary-cross-entropy" }));
    expect(rows(bce).some((r) => r.includes("\\text{when }"))).toBe(false);
    expect(prose(bce)).not.toContain("assumption");
  });
});
