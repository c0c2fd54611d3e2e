/**
 * The post's steps, as the document prints them for the post's networks in the post's notation
 * and in the post's order: what each column of the chains is, the δ of each layer (in index form
 * for the hidden layer), the intermediate ∂J/∂θ = δ ∂z/∂θ, the substitution, the matrix form per
 * layer, backpropagation visualised, why the weights start random, gradient descent; the 1-1-1
 * start with θ₂ first. Then the length rules: representative parameters, "⋯" for two or more.
 */

import { add, gradientValues, layered, parameterIds, sym } from "@chainrule/core";
import { describe, expect, it } from "vitest";
import { makeContext, representatives, shownItems } from "../src/doc/context.js";
import {
  type Block,
  chainListing,
  type DerivationDocument,
  deltaSubstitutionRows,
  derivation,
  exampleValues,
  LatexPrinter,
  PATH_COLOURS,
  pathNumberLatex,
  shownIndices,
} from "../src/index.js";
import { post111, post222 } from "./helpers.js";

/** The document as one line per block piece: `H2 title`, `P prose`, `L1 item`, `E row`. */
function lines(doc: DerivationDocument): string[] {
  const inl = (c: Extract<Block, { kind: "paragraph" }>["content"]) =>
    c.map((i) => (i.kind === "math" ? `$${i.latex}$` : i.text)).join("");
  return doc.blocks.flatMap((b) => {
    if (b.kind === "heading") return [`H${b.level} ${b.text}`];
    if (b.kind === "paragraph" || b.kind === "note") return [`P ${inl(b.content)}`];
    if (b.kind === "list") return b.items.map((i, n) => `L${n + 1} ${inl(i)}`);
    if (b.kind === "equations") return b.rows.map((r) => `E ${r}`);
    return [`F ${b.file}`];
  });
}

/** The index of the first line that is (or, for a prefix ending in "…", starts with) `s`, failing when there is none. */
function at(ls: readonly string[], s: string): number {
  const i = s.endsWith("…") ? ls.findIndex((l) => l.startsWith(s.slice(0, -1))) : ls.indexOf(s);
  expect(i, s).toBeGreaterThanOrEqual(0);
  return i;
}

const frac = (n: string, d: string) => `\\left(\\frac{\\partial ${n}}{\\partial ${d}}\\right)`;
/** The start of path 1's coloured product: its colour, then its number as the diagram draws it. */
const path1 = `\\textcolor{${PATH_COLOURS[0]!.name}}{${pathNumberLatex(0)}\\, `;

describe("the post's steps for the 2-2-2 network, in the post's order", () => {
  const g = post222();
  const ls = lines(derivation(g, { values: exampleValues(g, 3) }));
  const steps = [
    // Layer 2 parameters: the columns, δ⁽³⁾, each chain with δ⁽³⁾ ∂z/∂θ, the index form, the matrices
    "H3 Layer 2 parameters, into the output layer",
    `L1 The first column, $${frac("J(\\theta)", "a^{(3)}_{1}")} = \\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)$: how the cost changes with the output — the actual minus the expected output, over $m$.`,
    `L2 The second column, $${frac("a^{(3)}_{1}", "z^{(3)}_{1}")} = a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)$: the derivative of the output layer's activation at its weighted sum, $f'\\left(z\\right)$ (the post writes $f'\\left(a\\right)$); a layer has one activation, so this column has the same form in all its chains.`,
    `L3 The third column, $${frac("z^{(3)}_{1}", "\\theta^{(2)}_{11}")} = a^{(2)}_{1}$: the input the parameter multiplies, an activation of the layer before (1 for a bias).`,
    `E \\delta^{(3)}_{1} &= ${frac("J(\\theta)", "a^{(3)}_{1}")} ${frac("a^{(3)}_{1}", "z^{(3)}_{1}")} = \\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right) a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)`,
    `E &= \\delta^{(3)}_{1} ${frac("z^{(3)}_{1}", "\\theta^{(2)}_{11}")} = \\delta^{(3)}_{1} a^{(2)}_{1}`,
    `E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{jk}} &= \\delta^{(3)}_{j} ${frac("z^{(3)}_{j}", "\\theta^{(2)}_{jk}")} = \\delta^{(3)}_{j} a^{(2)}_{k}`,
    "E \\delta^{(3)} &= \\frac{1}{m} \\left(a^{(3)} - y\\right) \\odot a^{(3)} \\odot \\left(1 - a^{(3)}\\right)",
    // the post's column times row, and the matrix of products δ_j a_k it makes, on one row
    "E \\frac{\\partial J(\\theta)}{\\partial \\Theta^{(2)}} &= \\delta^{(3)} \\left(a^{(2)}\\right)^{\\mathsf{T}} = \\begin{bmatrix} \\delta^{(3)}_{1} \\\\ \\delta^{(3)}_{2} \\end{bmatrix} \\begin{bmatrix} a^{(2)}_{1} & a^{(2)}_{2} \\end{bmatrix} = \\begin{bmatrix} \\delta^{(3)}_{1} a^{(2)}_{1} & \\delta^{(3)}_{1} a^{(2)}_{2} \\\\ \\delta^{(3)}_{2} a^{(2)}_{1} & \\delta^{(3)}_{2} a^{(2)}_{2} \\end{bmatrix}",
    // Layer 1 parameters: the five columns, the index form of δ, the substitution, δ⁽²⁾ x
    "H3 Layer 1 parameters, into layer 2",
    `L1 The first two columns, $${frac("J(\\theta)", "a^{(3)}_{1}")}$ and $${frac("a^{(3)}_{1}", "z^{(3)}_{1}")}$: the error term $\\delta^{(3)}_{1}$ of the next layer's neuron on this path, computed above.`,
    `L2 The third column, $${frac("z^{(3)}_{1}", "a^{(2)}_{1}")} = \\theta^{(2)}_{11}$: the weight that joins the two neurons; it weights each δ, so the first three columns are a share of the next layer's error.`,
    `L3 The fourth column, $${frac("a^{(2)}_{1}", "z^{(2)}_{1}")} = a^{(2)}_{1} \\left(1 - a^{(2)}_{1}\\right)$: the derivative of this layer's activation at its weighted sum; a layer has one activation, so this column has the same form in all its chains.`,
    `L4 The last column, $${frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}")} = x_{1}$: the input the parameter multiplies, an input of the network (1 for a bias).`,
    // δ in index form, in general and for this layer, side by side
    "E \\delta^{(l)}_{j} &= f'\\left(z^{(l)}_{j}\\right) \\sum_{i} \\theta^{(l)}_{ij} \\delta^{(l+1)}_{i} & \\delta^{(2)}_{j} &= \\left(a^{(2)}_{j} \\left(1 - a^{(2)}_{j}\\right)\\right) \\sum_{i=1}^{2} \\theta^{(2)}_{ij} \\delta^{(3)}_{i}",
    `E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= ${path1}\\delta^{(3)}_{1} ${frac("z^{(3)}_{1}", "a^{(2)}_{1}")} …`,
    `E &= ${frac("z^{(2)}_{1}", "\\theta^{(1)}_{11}")} \\delta^{(2)}_{1} = \\delta^{(2)}_{1} x_{1}`,
    `E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{jk}} &= \\delta^{(2)}_{j} ${frac("z^{(2)}_{j}", "\\theta^{(1)}_{jk}")} = \\delta^{(2)}_{j} x_{k}`,
    "E &= \\begin{bmatrix} \\delta^{(2)}_{1} \\\\ \\delta^{(2)}_{2} \\end{bmatrix}",
    "E \\frac{\\partial J(\\theta)}{\\partial \\Theta^{(1)}} &= \\delta^{(2)} x^{\\mathsf{T}} = \\begin{bmatrix} \\delta^{(2)}_{1} \\\\ \\delta^{(2)}_{2} \\end{bmatrix} \\begin{bmatrix} x_{1} & x_{2} \\end{bmatrix} = \\begin{bmatrix} \\delta^{(2)}_{1} x_{1} & \\delta^{(2)}_{1} x_{2} \\\\ \\delta^{(2)}_{2} x_{1} & \\delta^{(2)}_{2} x_{2} \\end{bmatrix}",
    // Backpropagation: in general, visualised, the method, the starting weights, gradient descent
    // in general, entry by entry beside the matrix (the post's "Generally, …")
    "E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(l)}_{jk}} &= \\delta^{(l+1)}_{j} a^{(l)}_{k} & \\frac{\\partial J(\\theta)}{\\partial \\Theta^{(l)}} &= \\delta^{(l+1)} \\left(a^{(l)}\\right)^{\\mathsf{T}}",
    "H3 Backpropagation, visualised",
    "E &\\text{forward:} \\quad x \\xrightarrow{\\Theta^{(1)}} a^{(2)} \\xrightarrow{\\Theta^{(2)}} a^{(3)} \\to J(\\theta)",
    "E &\\text{back:} \\quad \\delta^{(2)} \\xleftarrow{\\left(\\Theta^{(2)}\\right)^{\\mathsf{T}}} \\delta^{(3)}",
    "L1 Forward propagation: $a^{(2)}$, $a^{(3)}$ from $x$, each layer from the one before.",
    "L2 The error of the output layer, $\\delta^{(3)}$: each output compared with its target.",
    "L3 $\\frac{\\partial J(\\theta)}{\\partial \\Theta^{(2)}}$ from the error $\\delta^{(3)}$ and the inputs $a^{(2)}$ of the weights $\\Theta^{(2)}$, which connect layer 2 to layer 3.",
    "L4 Send the error back: $\\delta^{(2)}$ from $\\delta^{(3)}$ through $\\left(\\Theta^{(2)}\\right)^{\\mathsf{T}}$, scaled by the activation's derivative.",
    "L5 $\\frac{\\partial J(\\theta)}{\\partial \\Theta^{(1)}}$ from the error $\\delta^{(2)}$ and the inputs $x$ of the weights $\\Theta^{(1)}$, which connect layer 1 to layer 2.",
    "H2 7. The algorithm",
    "H3 Why the weights start at random values",
    "P If every weight (and every bias) started at the same value, the neurons of a hidden layer would compute the same weighted sum of the same inputs, and so the same activation; …",
    "H3 Gradient descent",
    "E \\theta_i &:= \\theta_i + \\Delta \\theta_i & \\Delta \\theta_i &= -\\eta \\frac{\\partial J(\\theta)}{\\partial \\theta_i}",
    "H2 8. A worked example",
  ];
  it("prints each step as the post has it", () => {
    for (const s of steps) at(ls, s);
  });
  it("prints them in the post's order", () => {
    const where = steps.map((s) => at(ls, s));
    expect(where).toEqual([...where].sort((a, b) => a - b));
  });
});

describe("the 1-1-1 start, as the post does it", () => {
  const g = post111();
  const ls = lines(derivation(g, { values: exampleValues(g, 2) }));
  it("names the weights θ₁ and θ₂, asks for both partials, and takes θ₂ first", () => {
    const steps = [
      "H2 3. The chain rule, path by path",
      "P Start, as the post does, with the simplest network: one input, one hidden neuron and one output. Call its two weights $\\theta_{1}$ and $\\theta_{2}$ and leave out the neuron index 1 ($\\theta_{1}$ is $\\theta^{(1)}_{11}$ and $\\theta_{2}$ is $\\theta^{(2)}_{11}$ in the rest of this document). How does the cost change as each weight changes?",
      "E \\frac{\\partial J(\\theta)}{\\partial \\theta_{1}} &= ?",
      "E \\frac{\\partial J(\\theta)}{\\partial \\theta_{2}} &= ?",
      "P Look at $\\theta_{2}$ first. $\\theta_{2}$ is an input to $z^{(3)}$, which is an input to $a^{(3)}$, which is an input to $J(\\theta)$, so the chain rule gives",
      `E \\frac{\\partial J(\\theta)}{\\partial \\theta_{2}} &= ${frac("J(\\theta)", "a^{(3)}")} ${frac("a^{(3)}", "z^{(3)}")} ${frac("z^{(3)}", "\\theta_{2}")}`,
      "P By the same logic, $\\theta_{1}$ is an input to $z^{(2)}$, which is an input to $a^{(2)}$, which is an input to $z^{(3)}$, which is an input to $a^{(3)}$, which is an input to $J(\\theta)$:",
      `E \\frac{\\partial J(\\theta)}{\\partial \\theta_{1}} &= ${frac("J(\\theta)", "a^{(3)}")} ${frac("a^{(3)}", "z^{(3)}")} ${frac("z^{(3)}", "a^{(2)}")} ${frac("a^{(2)}", "z^{(2)}")} ${frac("z^{(2)}", "\\theta_{1}")}`,
      "F network.svg",
      "H2 4. Counting the factors",
    ];
    const where = steps.map((s) => at(ls, s));
    expect(where).toEqual([...where].sort((a, b) => a - b));
  });
  it("prints each chain once: the later sections start θ₂'s from its local partials and θ₁'s from the δ substitution", () => {
    const rows = ls.filter((l) => l.startsWith("E "));
    expect(
      rows.filter(
        (r) => r.includes(frac("z^{(3)}_{1}", "\\theta^{(2)}_{11}")) && r.includes(frac("J(\\theta)", "a^{(3)}_{1}")),
      ),
    ).toEqual([]);
    at(
      ls,
      "E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{11}} &= \\left(\\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)\\right) \\left(a^{(3)}_{1} \\left(1 - a^{(3)}_{1}\\right)\\right) a^{(2)}_{1} = \\delta^{(3)}_{1} …",
    );
    at(
      ls,
      `E \\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= ${path1}\\delta^{(3)}_{1} ${frac("z^{(3)}_{1}", "a^{(2)}_{1}")} …`,
    );
  });
  it("in another notation takes the output weight first, in that notation's names", () => {
    const ng = lines(derivation(g, { notation: "ng" }));
    const second = at(
      ng,
      `E \\frac{\\partial J}{\\partial W^{[2]}_{11}} &= ${frac("J", "a^{[2]}_{1}")} ${frac("a^{[2]}_{1}", "z^{[2]}_{1}")} ${frac("z^{[2]}_{1}", "W^{[2]}_{11}")}`,
    );
    const first = at(ng, `E \\frac{\\partial J}{\\partial W^{[1]}_{11}} &= ${frac("J", "a^{[2]}_{1}")} …`);
    expect(second).toBeLessThan(first);
  });
});

describe("why the weights start at random values", () => {
  it("shows, with core's numbers, that equal weights give the neurons of a layer equal partials", () => {
    const g = layered({ sizes: [2, 3, 2] });
    const values = exampleValues(g, 5);
    const ls = lines(derivation(g, { values }));
    const same = gradientValues(g, new Float64Array(parameterIds(g).length).fill(0.5), values.data);
    const i = parameterIds(g).indexOf("theta_1_1_1");
    const j = parameterIds(g).indexOf("theta_1_3_1");
    expect(same[i]).toBe(same[j]);
    const p = new LatexPrinter(g);
    const w = (j: number) => `\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{${j}1}}`;
    at(ls, `E ${w(1)} &= ${w(3)} = ${p.number(same[i]!)} \\quad \\text{(every parameter $0.5$)}`);
    // from the worked example's random start they differ
    const start = gradientValues(g, values.theta, values.data);
    expect(start[i]).not.toBe(start[j]);
    at(
      ls,
      `E ${w(1)} &= ${p.number(start[i]!)}, \\quad ${w(3)} = ${p.number(start[j]!)} \\quad \\text{(random start)}`,
    );
  });
});

describe("representative parameters", () => {
  const g = layered({ sizes: [4, 10, 3] });
  it("are the chosen parameter, the first neuron's first weight and the last neuron's bias, or all of them in a full document", () => {
    const ctx = makeContext(g);
    expect(representatives(ctx, 2)).toEqual(["theta_2_1_1", "theta_2_3_0"]);
    expect(representatives(ctx, 1)).toEqual(["theta_1_1_1", "theta_1_10_0"]);
    expect(representatives(makeContext(g, { param: "theta_1_5_2" }), 1)).toEqual([
      "theta_1_1_1",
      "theta_1_5_2",
      "theta_1_10_0",
    ]);
    expect(representatives(makeContext(layered({ sizes: [2, 2, 2], bias: false })), 1)).toEqual([
      "theta_1_1_1",
      "theta_1_2_2",
    ]);
    expect(representatives(makeContext(g, { full: true }), 2)).toHaveLength(33);
  });
  it("are the ones whose chains a document prints; a full document prints every one", () => {
    const chainOf = (id: string) => {
      const p = new LatexPrinter(g);
      return chainListing(g, id)
        .terms[0]!.partials.map((e) => `\\left(${p.print(e)}\\right)`)
        .join(" ");
    };
    const text = lines(derivation(g)).join("\n");
    expect(text).toContain(chainOf("theta_2_3_0"));
    expect(text).not.toContain(chainOf("theta_2_2_5"));
    expect(text).toContain("Some of the layer's 33 parameters (the rest follow the same pattern)");
    expect(lines(derivation(g, { full: true })).join("\n")).toContain(chainOf("theta_2_2_5"));
  });
});

describe("⋯ stands for two terms or more", () => {
  const g = post222();
  it("in sums", () => {
    const inputs = (n: number) => {
      const q = new LatexPrinter(layered({ sizes: [n, 1], bias: false }), { maxTerms: 3 });
      return q.print(add(...Array.from({ length: n }, (_, i) => sym({ kind: "x", node: `x_${i + 1}` }))));
    };
    expect(inputs(4)).toBe("x_{1} + x_{2} + x_{3} + x_{4}");
    expect(inputs(5)).toBe("x_{1} + x_{2} + \\cdots + x_{5}");
  });
  it("in wide layers, listed items and paths", () => {
    expect(shownIndices(4, 3)).toEqual([1, 2, 3, 4]);
    expect(shownIndices(5, 4)).toEqual([1, 2, null, 5]);
    expect(shownItems([1, 2, 3, 4], 3)).toEqual([1, 2, 3, 4]);
    expect(shownItems([1, 2, 3, 4, 5], 3)).toEqual([1, 2, null, 5]);
    expect(chainListing(g, "theta_1_1_1", 1).elided).toBe(0n);
    expect(chainListing(layered({ sizes: [2, 2, 3], bias: false }), "theta_1_1_1", 1).elided).toBe(2n);
    // the δ substitution of θ⁽¹⁾₁₁ has a group per output: one left out would be printed
    const rows = deltaSubstitutionRows(new LatexPrinter(g), g, "theta_1_1_1", { maxTerms: 1, factorsPerLine: 8 });
    expect(rows.join("\n")).not.toContain("more term");
  });
});
