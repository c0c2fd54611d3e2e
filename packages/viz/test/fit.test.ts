/**
 * Rows that fit the page: the width estimate agrees with what pdflatex measured for the library's
 * LaTeX, long rows break where a reader would break them (and still parse, with the same maths),
 * short continuation rows join, and no row of any document — random graphs in every notation,
 * the post's networks, the wide 4-10-3 network in full — is wider than the budget both the LaTeX
 * page and the HTML page hold.
 */

import { type Graph, layered } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { dagCase, layeredCase } from "../../core/test/arbitraries.js";
import { DocumentCheckError } from "../src/doc/sections/checked.js";
import {
  alignedBlock,
  type DerivationDocument,
  derivation,
  exampleValues,
  type Inline,
  NOTATIONS,
} from "../src/index.js";
import { fitRows, joinForms, packRows, sideBySide } from "../src/latex/fit.js";
import { alignWidths, inlinePieceWidths, measureLatex, ROW_BUDGET_EM } from "../src/latex/width.js";
import { parseStrict, post111, post222 } from "./helpers.js";

/** Widths pdflatex measured (\\wd of an \\hbox in display style, 11pt, in em) for pieces of the library's LaTeX. */
const MEASURED: readonly [string, number][] = [
  ["\\left(\\frac{\\partial J}{\\partial a^{[3]}_{1}}\\right)", 3.783],
  ["\\left(\\frac{\\partial z^{(2)}_{1}}{\\partial \\theta^{(1)}_{11}}\\right)", 3.936],
  ["\\left(\\frac{1}{m} \\left(a^{(3)}_{1} - y_{1}\\right)\\right)", 7.643],
  ["\\left(a^{(2)}_{1} \\left(1 - a^{(2)}_{1}\\right)\\right)", 7.41],
  ["\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}", 3.018],
  ["\\begin{bmatrix} a \\\\ c \\\\ e \\end{bmatrix}", 1.862],
  ["\\theta^{(1)}_{1,10}", 1.895],
  ["0.105561", 3.778],
  ["a = b", 2.291],
  ["\\delta^{(3)}_{1}", 1.52],
];

const rowsOf = (doc: DerivationDocument) => doc.blocks.flatMap((b) => (b.kind === "equations" ? [b.rows] : []));

/**
 * The first equation group of a document with a row over the budget, or inline formula with a
 * piece between break points over it, with its width; null when everything fits.
 */
function tooWide(doc: DerivationDocument): { width: number; rows: readonly string[] } | null {
  for (const rows of rowsOf(doc)) {
    const width = Math.max(...alignWidths(rows));
    if (width > ROW_BUDGET_EM) return { width, rows };
  }
  const inline = (c: readonly Inline[]) => c.flatMap((i) => (i.kind === "math" ? [i.latex] : []));
  for (const b of doc.blocks) {
    const maths =
      b.kind === "paragraph" || b.kind === "note"
        ? inline(b.content)
        : b.kind === "list"
          ? b.items.flatMap(inline)
          : b.kind === "figure"
            ? inline(b.caption)
            : [];
    for (const m of maths) {
      const width = Math.max(...inlinePieceWidths(m));
      if (width > ROW_BUDGET_EM) return { width, rows: [m] };
    }
  }
  return null;
}

describe("the width of printed maths", () => {
  it("of inline maths is counted between the places a line may break", () => {
    expect(inlinePieceWidths("a + b = c")).toHaveLength(3);
    expect(inlinePieceWidths("\\left(a + b\\right) c")).toHaveLength(1);
    expect(inlinePieceWidths("x \\mathrel{\\textcolor{teal}{\\to}} y")).toHaveLength(2);
    expect(inlinePieceWidths("-a")).toHaveLength(1);
  });
  it("is estimated within a few per cent of pdflatex's, erring wide where it errs", () => {
    for (const [latex, em] of MEASURED) {
      const est = measureLatex(latex);
      expect(est / em, latex).toBeGreaterThan(0.92);
      expect(est / em, latex).toBeLessThan(1.12);
    }
  });
  it("of an align* group counts the widest cell of every column", () => {
    const [a, b] = alignWidths(["x &= y + y + y + y + y", "x + x + x + x &= y"]);
    expect(a).toBeCloseTo(measureLatex("x + x + x + x") + measureLatex("= y + y + y + y + y"), 6);
    expect(b).toBeCloseTo(measureLatex("x + x + x + x") + measureLatex("= y"), 6);
  });
});

describe("long rows", () => {
  const sum = `z &= ${Array.from({ length: 16 }, (_, i) => `\\theta^{(2)}_{1,${i + 1}} a^{(2)}_{${i + 1}}`).join(" + ")}`;
  const nested = `\\delta &= \\left(${Array.from({ length: 8 }, (_, i) => `\\delta^{(3)}_{${i + 1}} \\left(\\frac{\\partial z^{(3)}_{${i + 1}}}{\\partial a^{(2)}_{1}}\\right)`).join(" + ")}\\right) \\left(\\frac{\\partial a^{(2)}_{1}}{\\partial z^{(2)}_{1}}\\right)`;
  const coloured = `J &= \\textcolor{teal}{${Array.from({ length: 12 }, (_, i) => `\\left(\\frac{\\partial a_{${i}}}{\\partial z_{${i}}}\\right)`).join(" ")}}`;
  /** The maths of rows with the breaks taken out: alignment, continuation space and sized delimiters undone. */
  const flat = (rows: readonly string[]) =>
    rows
      .join(" ")
      .replace(/&\s*(\\q?quad\s*)?/g, "")
      .replace(/\\(big|Big|bigg|Bigg)l/g, "\\left")
      .replace(/\\(big|Big|bigg|Bigg)r/g, "\\right")
      .replace(/\}\s*\\textcolor\{teal\}\{(\{\}\s*)?/g, " ")
      .replace(/\s+/g, "");
  for (const [name, row] of [
    ["a sum", sum],
    ["a sum in parentheses", nested],
    ["a coloured product", coloured],
  ] as const) {
    it(`break into rows that fit, parse, and hold the same maths: ${name}`, () => {
      expect(alignWidths([row])[0]!).toBeGreaterThan(ROW_BUDGET_EM);
      const rows = fitRows([row]);
      expect(rows.length).toBeGreaterThan(1);
      for (const w of alignWidths(rows)) expect(w).toBeLessThanOrEqual(ROW_BUDGET_EM);
      parseStrict(alignedBlock(rows));
      expect(flat(rows)).toBe(flat([row]));
    });
  }
  it("break a sum before its operators, outside parentheses where they can", () => {
    const rows = fitRows([nested]);
    expect(rows.slice(1).every((r) => /^&\\qquad \+ |^&\\qquad \\left\(/.test(r) || /^&\\quad /.test(r))).toBe(true);
    expect(rows[0]).toContain("\\biggl(");
    expect(rows.at(-1)).toContain("\\biggr)");
  });
  it("break a list between its entries, never inside one", () => {
    const entries = Array.from({ length: 14 }, (_, i) => `\\theta^{(1)}_{${i + 1},1} = 0.${i + 11}`);
    const rows = fitRows([`&${entries.join(", \\quad ")}`]);
    expect(rows.length).toBeGreaterThan(1);
    for (const w of alignWidths(rows)) expect(w).toBeLessThanOrEqual(ROW_BUDGET_EM);
    // every row holds whole entries: starts with a symbol, ends with a number
    for (const r of rows) expect(r).toMatch(/^&(\\quad )?\\theta\^\{\(1\)\}_\{\d+,1\} = .*0\.\d+,?$/);
    expect(
      rows
        .join(" ")
        .replace(/,?\s*&(\\quad )?/g, ", \\quad ")
        .replace(/^, \\quad /, ""),
    ).toBe(entries.join(", \\quad "));
  });
  it("leave rows that fit as they are", () => {
    const rows = ["a &= b + c", "&\\quad + d"];
    expect(fitRows(rows, 1000)).toEqual(["a &= b + c + d"]);
    expect(packRows(rows, 3)).toEqual(rows);
    expect(fitRows(["a &= b"])).toEqual(["a &= b"]);
  });
});

describe("short forms", () => {
  it("share a row while it fits", () => {
    expect(joinForms([["a &= b"], ["&= c"], ["&= d"]])).toEqual(["a &= b = c = d"]);
    expect(joinForms([["a &= b"], ["&= c"]], 3)).toEqual(["a &= b", "&= c"]);
    expect(
      sideBySide([
        ["a &= b", "c &= d"],
        ["e &= f", "g &= h"],
      ]),
    ).toEqual(["a &= b & c &= d", "e &= f & g &= h"]);
    expect(sideBySide([["a &= b", "c &= d"]], 4)).toEqual(["a &= b", "c &= d"]);
  });
});

describe("no row of a document is wider than the page", () => {
  const named: [string, Graph, boolean][] = [
    ["1-1-1", post111(), false],
    ["2-2-2", post222(), false],
    ["2-3-3-2", layered({ sizes: [2, 3, 3, 2] }), false],
    [
      "3-4-2 tanh, softmax, cross-entropy",
      layered({ sizes: [3, 4, 2], activation: ["tanh", "softmax"], cost: "cross-entropy" }),
      false,
    ],
    ["4-10-3", layered({ sizes: [4, 10, 3] }), false],
    ["4-10-3 in full", layered({ sizes: [4, 10, 3] }), true],
  ];
  for (const [name, graph, full] of named) {
    it(`the ${name} network, in every notation`, () => {
      for (const notation of NOTATIONS) {
        const doc = derivation(graph, { notation, full, values: exampleValues(graph, 1) });
        expect(tooWide(doc), `${name} ${notation}`).toBeNull();
      }
    });
  }
  it("random graphs, in every notation, elided or full", () => {
    fc.assert(
      fc.property(
        fc.oneof(dagCase, layeredCase),
        fc.constantFrom(...NOTATIONS),
        fc.boolean(),
        ({ graph, theta, data }, notation, full) => {
          let doc: DerivationDocument;
          try {
            doc = derivation(graph, { notation, full, diagram: false, values: { theta, data } });
          } catch (e) {
            // a document whose numbers fail their own check is not made: nothing to lay out
            fc.pre(!(e instanceof DocumentCheckError));
            throw e;
          }
          expect(tooWide(doc)).toBeNull();
        },
      ),
      { numRuns: runs(30) },
    );
  });
});
