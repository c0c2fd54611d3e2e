/**
 * The post's formulas, exactly as the library prints them for the post's 2-2-2 network (with the
 * corrections the reference notes call for: the sign (1/m)(a − y), f′ at z, column vectors).
 */

import { deltaForm, layered, matrixForm } from "@chainrule/core";
import { describe, expect, it } from "vitest";
import {
  chainListing,
  chainRows,
  deltaSubstitutionRows,
  derivation,
  exampleValues,
  fragmentRows,
  generalise,
  LatexPrinter,
  mathOf,
  networkSvg,
  networkTikz,
  PATH_COLOURS,
  partialOfCost,
  pathName,
  pathNumberLatex,
  pathNumberText,
  stepLatex,
  toMarkdown,
} from "../src/index.js";
import { post222 } from "./helpers.js";

const g = post222();
const p = new LatexPrinter(g);
const frac = (n: string, d: string) => `\\left(\\frac{\\partial ${n}}{\\partial ${d}}\\right)`;
/** The number of path i (0-based) as a coloured product starts with it: the diagram's number for that path. */
const no = (i: number) => `${pathNumberLatex(i)}\\, `;

describe("the chains of ∂J/∂θ⁽¹⁾₁₁", () => {
  const listing = chainListing(g, "theta_1_1_1");
  it("has the post's two paths, named, in the palette's blue and brown (the post's orange fails contrast)", () => {
    expect(listing.terms.map((t) => t.colour.word)).toEqual(["blue", "brown"]);
    expect(pathName(p, listing.terms[0]!.path)).toBe(
      "\\theta^{(1)}_{11} \\to z^{(2)}_{1} \\to a^{(2)}_{1} \\to z^{(3)}_{1} \\to a^{(3)}_{1} \\to J(\\theta)",
    );
    expect(pathName(p, listing.terms[1]!.path)).toBe(
      "\\theta^{(1)}_{11} \\to z^{(2)}_{1} \\to a^{(2)}_{1} \\to z^{(3)}_{2} \\to a^{(3)}_{2} \\to J(\\theta)",
    );
  });
  it("prints one coloured product per path", () => {
    const blue = [
      frac("J(\\theta)", "a^{(3)}_{1}"),
      frac("a^{(3)}_{1}", "z^{(3)}_{1}"),
      frac("z^{(3)}_{1}", "a^{(2)}_{1}"),
      frac("a^{(2)}_{1}", "z^{(2)}_{1}"),
      frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}"),
    ];
    const orange = [
      frac("J(\\theta)", "a^{(3)}_{2}"),
      frac("a^{(3)}_{2}", "z^{(3)}_{2}"),
      frac("z^{(3)}_{2}", "a^{(2)}_{1}"),
      frac("a^{(2)}_{1}", "z^{(2)}_{1}"),
      frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}"),
    ];
    expect(chainRows(p, listing, "chain")).toEqual([
      `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= \\textcolor{mediumblue}{${no(0)}${blue.join(" ")}}`,
      `&\\quad + \\textcolor{sienna}{${no(1)}${orange.join(" ")}}`,
    ]);
    expect(PATH_COLOURS.slice(0, 2).map((c) => c.name)).toEqual(["mediumblue", "sienna"]);
  });
  it("evaluates the local partials", () => {
    expect(chainRows(p, listing, "local")[0]).toBe(
      `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= \\textcolor{mediumblue}{${no(0)}` +
        "\\left(\\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)\\right) \\left(a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)\\right) \\theta^{(2)}_{11} \\left(a^{(2)}_{1} \\left(1 - a^{(2)}_{1}\\right)\\right) x_{1}}",
    );
  });
  it("substitutes the δ terms as the post does, ending at δ⁽²⁾₁ x₁", () => {
    const rows = deltaSubstitutionRows(p, g, "theta_1_1_1", { maxTerms: 8, factorsPerLine: 8 });
    expect(rows[0]).toBe(
      `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= \\textcolor{mediumblue}{${no(0)}\\delta^{(3)}_{1} ${frac("z^{(3)}_{1}", "a^{(2)}_{1}")} ${frac("a^{(2)}_{1}", "z^{(2)}_{1}")} ${frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}")}}`,
    );
    expect(rows.at(-2)).toBe(`&= ${frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}")} \\delta^{(2)}_{1}`);
    expect(rows.at(-1)).toBe("&= \\delta^{(2)}_{1} x_{1}");
  });
});

describe("a second cue beside colour", () => {
  // 2-3-3-2: θ⁽¹⁾₁₁ has six paths, four listed, so the palette is used in full
  const deep = layered({ sizes: [2, 3, 3, 2] });
  const q = new LatexPrinter(deep);
  const listing = chainListing(deep, "theta_1_1_1", 4);
  const colourOf = (row: string) => /\\textcolor\{(\w+)\}\{\\text\{\\textcircled\{\\scriptsize (\d+)\}\}/.exec(row);
  it("starts each coloured chain with its path's number, the number the diagrams draw on that path in that colour", () => {
    const rows = chainRows(q, listing, "chain", 8);
    const numbered = rows.map(colourOf).filter((m) => m !== null);
    expect(numbered.map((m) => [m[1], m[2]])).toEqual(listing.terms.map((t) => [t.colour.name, String(t.index + 1)]));
    const tikz = networkTikz(deep, { param: "theta_1_1_1" });
    const svg = networkSvg(deep, { param: "theta_1_1_1" });
    for (const t of listing.terms) {
      expect(tikz).toMatch(new RegExp(`fill=${t.colour.name}[^\\n]*\\\\bfseries ${t.index + 1}\\}`));
      expect(svg).toContain(`data-path="${t.index + 1}"><circle`);
      expect(svg).toMatch(new RegExp(`data-path="${t.index + 1}"><circle[^>]*fill="${t.colour.hex}"`));
    }
  });
  it("numbers the local partials, the δ substitution and the worked example's chains the same way", () => {
    const local = chainRows(q, listing, "local", 8)
      .map(colourOf)
      .filter((m) => m !== null);
    expect(local.map((m) => m[2])).toEqual(["1", "2", "3", "4"]);
    // θ⁽²⁾₁₁ → z⁽³⁾₁ → a⁽³⁾₁ → z⁽⁴⁾ⱼ: one path per output, numbered as the listing numbers them
    const subst = deltaSubstitutionRows(q, deep, "theta_2_1_1", { maxTerms: 8, factorsPerLine: 8 }).join("\n");
    expect([...subst.matchAll(/\\textcircled\{\\scriptsize (\d+)\}/g)].map((m) => m[1])).toEqual(["1", "2", "1", "2"]);
    // a group that holds several paths (θ⁽¹⁾₁₁ through a δ of layer 3) has no single number
    const grouped = deltaSubstitutionRows(q, deep, "theta_1_1_1", { maxTerms: 8, factorsPerLine: 8 }).join("\n");
    expect(grouped).not.toContain("\\textcircled");
    const doc = derivation(deep, { values: exampleValues(deep, 1) });
    const worked = doc.blocks.slice(
      doc.blocks.findIndex((b) => b.kind === "heading" && b.text.endsWith("worked example")),
    );
    const rows = worked.flatMap((b) => (b.kind === "equations" ? b.rows : [])).join("\n");
    expect([...rows.matchAll(/\\textcircled\{\\scriptsize (\d+)\}/g)].map((m) => m[1])).toEqual(["1", "2", "3", "4"]);
  });
});

describe("the path numbers in Markdown", () => {
  it("are characters, which MathJax renders (it sets \\textcircled verbatim), the same numbers in the same places", () => {
    const deep = layered({ sizes: [2, 3, 3, 2] });
    const doc = derivation(deep, { values: exampleValues(deep, 1) });
    const md = toMarkdown(doc);
    expect(md).not.toContain("textcircled");
    const latex = mathOf(doc).join("\n");
    const count = (s: string, part: string) => s.split(part).length - 1;
    for (const i of [0, 1, 2, 3]) {
      expect(count(latex, pathNumberLatex(i)), `path ${i + 1}`).toBeGreaterThan(0);
      expect(count(md, `\\text{${pathNumberText(i)}}`), `path ${i + 1}`).toBe(count(latex, pathNumberLatex(i)));
    }
    expect([pathNumberText(0), pathNumberText(19), pathNumberText(20)]).toEqual(["①", "⑳", "(21)"]);
  });
});

describe("the δ form", () => {
  it("∂J/∂θ⁽²⁾₁₂ = δ⁽³⁾₁ a⁽²⁾₂", () => {
    expect(`${partialOfCost(p, "theta_2_1_2")} = ${p.print(deltaForm(g).byParam.get("theta_2_1_2")!.perExample)}`).toBe(
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{12}} = \\delta^{(3)}_{1} a^{(2)}_{2}",
    );
  });
  it("defines δ with the sign (1/m)(a − y) and f′ at z (a(1 − a) for the sigmoid)", () => {
    expect(fragmentRows(g, ["theta_1_1_1", "theta_2_1_2"], "delta")).toEqual([
      "\\delta^{(3)}_{1} &= \\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right) a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)",
      "\\delta^{(3)}_{2} &= \\frac{1}{m} \\left(a^{(3)}_{2} - y_{2}\\right) a^{(3)}_{2} \\left(1 - a^{(3)}_{2}\\right)",
      "\\delta^{(2)}_{1} &= \\left(\\theta^{(2)}_{11} \\delta^{(3)}_{1} + \\theta^{(2)}_{21} \\delta^{(3)}_{2}\\right) a^{(2)}_{1} \\left(1 - a^{(2)}_{1}\\right)",
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= \\delta^{(2)}_{1} x_{1}",
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{12}} &= \\delta^{(3)}_{1} a^{(2)}_{2}",
    ]);
  });
  it("adds the L2 term once per batch", () => {
    const l2 = layered({ sizes: [2, 2, 2], bias: false, l2: 0.1 });
    expect(fragmentRows(l2, ["theta_2_1_2"], "delta").at(-1)).toBe(
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{12}} &= \\delta^{(3)}_{1} a^{(2)}_{2} + \\frac{\\lambda}{m} \\theta^{(2)}_{12}",
    );
  });
});

describe("the matrix form", () => {
  const mf = matrixForm(g);
  const hidden = mf.backward.find((s) => s.kind === "delta" && s.layer === 2)!;
  const grad = mf.backward.find((s) => s.kind === "gradient" && s.layer === 2)!;
  it("prints the general recurrence with column vectors", () => {
    expect(stepLatex(p, generalise(hidden, 2))).toEqual([
      "\\delta^{(l)} &= \\left(\\Theta^{(l)}\\right)^{\\mathsf{T}} \\delta^{(l+1)} \\odot f'\\left(z^{(l)}\\right)",
    ]);
    expect(stepLatex(p, generalise(grad, 2))).toEqual([
      "\\frac{\\partial J(\\theta)}{\\partial \\Theta^{(l)}} &= \\delta^{(l+1)} \\left(a^{(l)}\\right)^{\\mathsf{T}}",
    ]);
    expect(stepLatex(p, generalise(mf.backward[0]!, 3, "L"))).toEqual([
      "\\delta^{(L)} &= \\frac{1}{m} \\left(a^{(L)} - y\\right) \\odot a^{(L)} \\odot \\left(1 - a^{(L)}\\right)",
    ]);
  });
  it("prints it in Ng's and Nielsen's numbering", () => {
    expect(stepLatex(p.with({ notation: "ng" }), generalise(hidden, 2))).toEqual([
      "\\delta^{[l]} &= \\left(W^{[l+1]}\\right)^{\\mathsf{T}} \\delta^{[l+1]} \\odot g^{[l]\\prime}\\left(z^{[l]}\\right)",
    ]);
    expect(stepLatex(p.with({ notation: "ng" }), generalise(mf.backward[0]!, 3, "L"))).toEqual([
      "\\delta^{[L]} &= \\frac{1}{m} \\left(a^{[L]} - y\\right) \\odot a^{[L]} \\odot \\left(1 - a^{[L]}\\right)",
    ]);
    expect(stepLatex(p.with({ notation: "nielsen" }), generalise(hidden, 2))).toEqual([
      "\\delta^{l} &= \\left(w^{l+1}\\right)^{\\mathsf{T}} \\delta^{l+1} \\odot \\sigma'\\left(z^{l}\\right)",
    ]);
  });
  it("prints each step of the 2-2-2 network with its activation's derivative", () => {
    expect(stepLatex(p, hidden)).toEqual([
      "\\delta^{(2)} &= \\left(\\Theta^{(2)}\\right)^{\\mathsf{T}} \\delta^{(3)} \\odot a^{(2)} \\odot \\left(1 - a^{(2)}\\right)",
    ]);
    const withBias = matrixForm(layered({ sizes: [2, 2, 2], bias: true })).backward.find((s) => s.kind === "gradient")!;
    expect(stepLatex(p, withBias)).toEqual([
      "\\frac{\\partial J(\\theta)}{\\partial \\Theta^{(2)}} &= \\delta^{(3)} \\left(a^{(2)}\\right)^{\\mathsf{T}}",
      "\\frac{\\partial J(\\theta)}{\\partial b^{(2)}} &= \\delta^{(3)}",
    ]);
  });
});

describe("the L2 term (λ/m)θ in the chain and local forms", () => {
  const l2 = layered({ sizes: [2, 2, 2], bias: false, l2: 0.1 });
  const q = new LatexPrinter(l2);
  const term = "&\\quad + \\frac{\\lambda}{m} \\theta^{(1)}_{11}";
  it("ends a weight's chain, in black, after the coloured paths", () => {
    const rows = chainRows(q, chainListing(l2, "theta_1_1_1"), "chain");
    // the paths are printed as without L2, then the direct term
    expect(rows.slice(0, 2)).toEqual(chainRows(p, chainListing(g, "theta_1_1_1"), "chain"));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe(term);
    expect(fragmentRows(l2, ["theta_1_1_1"], "chain")).toEqual(rows);
  });
  it("comes after the count of the paths left out", () => {
    const wide = layered({ sizes: [2, 2, 3], bias: false, l2: 0.1 });
    expect(chainRows(new LatexPrinter(wide), chainListing(wide, "theta_1_1_1", 1), "local").slice(1)).toEqual([
      "&\\quad + \\cdots \\text{ (2 more paths)}",
      term,
    ]);
  });
  it("never leaves out a single path: ⋯ stands for two or more", () => {
    expect(chainListing(l2, "theta_1_1_1", 1).terms).toHaveLength(2);
    expect(chainRows(q, chainListing(l2, "theta_1_1_1", 1), "local").join("\n")).not.toContain("\\cdots");
  });
  it("is there for weights and not for biases, in the local form of the 1-1-1 network", () => {
    const b = layered({ sizes: [1, 1, 1], l2: 0.1 });
    const local =
      "\\left(\\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)\\right) \\left(a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)\\right) \\theta^{(2)}_{11} \\left(a^{(2)}_{1} \\left(1 - a^{(2)}_{1}\\right)\\right)";
    expect(fragmentRows(b, ["theta_1_1_1", "theta_1_1_0"], "local")).toEqual([
      `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= ${local} x_{1}`,
      term,
      `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{10}} &= ${local} \\left(1\\right)`,
    ]);
  });
  it("stays through every step of the δ substitution", () => {
    const rows = deltaSubstitutionRows(q, l2, "theta_1_1_1", { maxTerms: 8, factorsPerLine: 8 });
    expect(rows.filter((r) => r === term)).toHaveLength(3);
    expect(rows.at(-2)).toBe(
      `&= ${frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}")} \\delta^{(2)}_{1} + \\frac{\\lambda}{m} \\theta^{(1)}_{11}`,
    );
    expect(rows.at(-1)).toBe("&= \\delta^{(2)}_{1} x_{1} + \\frac{\\lambda}{m} \\theta^{(1)}_{11}");
  });
});
