/**
 * The standalone documents compile with pdflatex (amsmath, xcolor and tikz only) for the post's
 * 2-2-2 and 1-1-1 networks and a DAG with hostile names; the fragment and the TikZ picture drop
 * into a document with the library's preamble. The PDFs (and a PNG of the first pages, when
 * poppler is installed) are kept under test-artifacts/.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { parameterIds } from "@chainrule/core";
import { describe, expect, it } from "vitest";
import { compileTex, has, PDFLATEX, required, run } from "../../../test-support/tools.js";
import {
  derivation,
  exampleValues,
  latexFragment,
  latexPreamble,
  networkTikz,
  toStandaloneLatex,
} from "../src/index.js";
import { artifactsDir, hostileDag, mazur, post111, post222 } from "./helpers.js";

const pdflatex = required(PDFLATEX, "pdflatex", "the LaTeX compile tests");

/** Compiles a .tex and keeps its PDF among the test artifacts. */
async function compile(name: string, tex: string): Promise<{ log: string; pdf: string }> {
  const out = await compileTex(name, tex);
  copyFileSync(out.pdf, join(artifactsDir(), `${name}.pdf`));
  return out;
}

/** Overfull boxes wider than `pt` points, from a log. */
const overfull = (log: string, pt: number) =>
  [...log.matchAll(/Overfull \\hbox \(([\d.]+)pt too wide\)/g)].map((m) => Number(m[1])).filter((w) => w > pt);

describe.skipIf(!pdflatex)("pdflatex", () => {
  it("compiles the 2-2-2, 1-1-1 and DAG documents, the post's networks without overfull lines", async () => {
    const g2 = post222();
    const g1 = post111();
    const m = mazur();
    const dag = hostileDag();
    const [a, b, c, d] = await Promise.all([
      compile("derivation-2-2-2", toStandaloneLatex(derivation(g2, { values: exampleValues(g2, 1) }))),
      compile(
        "derivation-1-1-1",
        toStandaloneLatex(derivation(g1, { values: exampleValues(g1, 2), notation: "nielsen" })),
      ),
      compile(
        "derivation-dag",
        toStandaloneLatex(
          derivation(dag, {
            title: "A DAG named \\input{/etc/passwd} & <b>",
            values: exampleValues(dag, 3, { examples: 2 }),
          }),
        ),
      ),
      compile(
        "derivation-mazur",
        toStandaloneLatex(derivation(m.graph, { values: { theta: m.theta, data: m.data }, notation: "ng" })),
      ),
    ]);
    expect(overfull(a.log, 1)).toEqual([]);
    expect(overfull(b.log, 1)).toEqual([]);
    expect(overfull(d.log, 1)).toEqual([]);
    expect(c.log).not.toContain("/etc/passwd.tex");
    // a PNG of the 2-2-2 document for a person to look at
    if (await has("pdftoppm"))
      await run("pdftoppm", [
        "-r",
        "60",
        "-png",
        "-f",
        "1",
        "-l",
        "3",
        a.pdf,
        join(artifactsDir(), "derivation-2-2-2"),
      ]);
  });
  it("compiles the derive fragments and the diagram inside a document with the library's preamble", async () => {
    const g = post222();
    const body = [
      latexFragment(g, parameterIds(g), "chain"),
      latexFragment(g, parameterIds(g), "local"),
      latexFragment(g, parameterIds(g), "delta"),
      networkTikz(g, { param: "theta_1_1_1", notation: "ng" }),
      networkTikz(hostileDag(), { param: "w1" }),
    ].join("\n\n");
    const tex = `\\documentclass{article}\n${latexPreamble()}\n\\begin{document}\n${body}\n\\end{document}\n`;
    await compile("fragments", tex);
  });
});
