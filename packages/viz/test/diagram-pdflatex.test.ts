/**
 * The TikZ diagrams in pdflatex: they compile inside a document with the library's preamble, and
 * every label, typeset by TeX exactly as the picture sets it, fits the box the placer reserved
 * for it (so labels that do not meet on paper in the model do not meet in the PDF), and a
 * parameter prints at 7 pt or more, five and six layers deep too; a figure and
 * its caption share a page wherever the page breaks. The diagrams are kept under
 * test-artifacts/ as a PDF (and PNGs, when poppler is installed).
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { type Graph, GraphBuilder, layered } from "@chainrule/core";
import { describe, expect, it } from "vitest";
import { compileTex, has, PDFLATEX, required, run } from "../../../test-support/tools.js";
import { labelContent, MIN_EDGE_PT, tikzScene } from "../src/diagram/tikz.js";
import {
  type Block,
  latexPreamble,
  type NotationName,
  networkSvg,
  networkTikz,
  toStandaloneLatex,
} from "../src/index.js";
import { artifactsDir, hostileDag, post222 } from "./helpers.js";

const pdflatex = required(PDFLATEX, "pdflatex", "the LaTeX compile tests");
const pdftotext = required(await has("pdftotext"), "pdftotext (poppler-utils)", "the caption-placement test");

/** Compiles a .tex in a fresh folder. */
const compile = (name: string, tex: string) => compileTex(name, tex, "chainrule-tikz-");

const softmax342 = () => layered({ sizes: [3, 4, 2], activation: ["sigmoid", "softmax"], cost: "cross-entropy" });

/** The diagrams checked: the post's, the 2-3-2, softmax, four to six layers, wide, a hostile DAG. */
const DIAGRAMS: readonly { name: string; graph: () => Graph; param: string; notation: NotationName }[] = [
  { name: "2-2-2", graph: post222, param: "theta_1_1_1", notation: "post" },
  { name: "2-2-2 ng", graph: post222, param: "theta_2_2_1", notation: "ng" },
  { name: "2-3-2 bias", graph: () => layered({ sizes: [2, 3, 2] }), param: "theta_1_1_1", notation: "post" },
  { name: "3-4-2 softmax", graph: softmax342, param: "theta_1_1_1", notation: "nielsen" },
  {
    name: "2-3-3-2",
    graph: () => layered({ sizes: [2, 3, 3, 2], bias: false }),
    param: "theta_1_1_1",
    notation: "post",
  },
  { name: "4-10-3", graph: () => layered({ sizes: [4, 10, 12] }), param: "theta_1_10_4", notation: "post" },
  // deep enough that the picture is printed smaller than its pixels: its labels are set larger
  { name: "2-3-3-3-2", graph: () => layered({ sizes: [2, 3, 3, 3, 2] }), param: "theta_1_1_1", notation: "post" },
  {
    name: "2-3-3-3-3-2",
    graph: () => layered({ sizes: [2, 3, 3, 3, 3, 2], bias: false }),
    param: "theta_2_2_1",
    notation: "ng",
  },
  { name: "hostile DAG", graph: hostileDag, param: "w1", notation: "post" },
];

describe.skipIf(!pdflatex)("TikZ diagrams in pdflatex", () => {
  it("compile, and every label fits the room reserved for it", async () => {
    const tex = [
      "\\documentclass{article}",
      latexPreamble(),
      "\\setlength{\\textwidth}{6.5in}\\setlength{\\oddsidemargin}{0in}\\setlength{\\parindent}{0pt}",
      "\\begin{document}",
    ];
    const expected: { name: string; label: string; wd: number; ht: number; dp: number }[] = [];
    for (const d of DIAGRAMS) {
      const options = { param: d.param, notation: d.notation };
      tex.push(`\\section*{${d.name}}`, networkTikz(d.graph(), options), "\\clearpage");
      // each label as TeX sets it in the picture, measured
      const { scene: sc, ptPerPx } = tikzScene(d.graph(), options);
      // a parameter prints at 7 pt or more however deep the network
      for (const p of sc.labels.filter((q) => q.kind === "edge"))
        expect(p.size * ptPerPx, `${d.name} ${p.text.latex}`).toBeGreaterThanOrEqual(MIN_EDGE_PT);
      for (const p of sc.labels) {
        tex.push(
          `\\sbox0{${labelContent(p, ptPerPx)}}\\typeout{LABEL ${expected.length}: \\the\\wd0 \\space\\the\\ht0 \\space\\the\\dp0 }`,
        );
        // room in pt: a path number's disc; any other label its width, height and depth
        const disc = p.size * 1.5 * ptPerPx;
        expected.push(
          p.kind === "marker"
            ? { name: d.name, label: `path ${p.path! + 1}`, wd: disc, ht: disc / 2, dp: disc / 2 }
            : {
                name: d.name,
                label: p.text.latex,
                wd: p.extent.width * ptPerPx,
                ht: p.extent.ascent * ptPerPx,
                dp: p.extent.descent * ptPerPx,
              },
        );
      }
    }
    tex.push("\\end{document}", "");
    const { log, pdf } = await compile("diagrams", tex.join("\n"));
    copyFileSync(pdf, join(artifactsDir(), "diagrams.pdf"));
    if (await has("pdftoppm"))
      await run("pdftoppm", ["-r", "80", "-png", "-f", "1", "-l", "4", pdf, join(artifactsDir(), "diagrams")]);
    const measured = [...log.matchAll(/^LABEL (\d+): ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt$/gm)].map((m) => ({
      i: Number(m[1]),
      wd: Number(m[2]),
      ht: Number(m[3]),
      dp: Number(m[4]),
    }));
    expect(measured.length).toBe(expected.length);
    const tooBig = measured.flatMap((m) => {
      const e = expected[m.i]!;
      const over = m.wd > e.wd + 0.01 || m.ht > e.ht + 0.01 || m.dp > e.dp + 0.01;
      return over
        ? [
            `${e.name} ${e.label}: TeX ${m.wd}×${m.ht}+${m.dp}pt, room ${e.wd.toFixed(2)}×${e.ht.toFixed(2)}+${e.dp.toFixed(2)}pt`,
          ]
        : [];
    });
    expect(tooBig).toEqual([]);
    // text set at 10 pt and scaled: no font substitution, no overfull picture
    expect(log).not.toMatch(/size <[\d.]+> substituted/);
    expect(log).not.toMatch(/Overfull \\hbox/);
  });

  it.skipIf(!pdftotext)("keeps a figure's caption on its picture's page, wherever the page breaks", async () => {
    // a picture whose input reads PICTUREMARK, a caption that says CAPTIONMARK
    const b = new GraphBuilder();
    const h = b.activate("h", "sigmoid", b.z("u", [[b.param("w1"), b.input("PICTUREMARK")]]));
    b.cost("mse", [h], [b.target("y")]);
    const g = b.build();
    const figure: Block = {
      kind: "figure",
      svg: networkSvg(g),
      tikz: networkTikz(g, { param: "w1" }),
      file: "network.svg",
      caption: [{ kind: "text", text: "CAPTIONMARK: the network." }],
    };
    const pages: { space: number; picture: number; caption: number }[] = [];
    // filler, then a strut that moves the figure down the first page 4 pt at a time, past its end
    // (in the old centred layout, struts of 0 to 24 pt broke the page between picture and caption)
    // (38 lines fill the standalone document's first page to just above the figure's height)
    const filler: Block[] = Array.from({ length: 38 }, (_, i) => ({
      kind: "paragraph",
      content: [{ kind: "text", text: `Line ${i + 1}.` }],
    }));
    for (let space = 0; space <= 40; space += 4) {
      const strut: Block = { kind: "equations", rows: [`\\rule{0pt}{${space}pt}`] };
      const { pdf } = await compile(
        `caption-${space}`,
        toStandaloneLatex({ title: "Figure and caption", blocks: [...filler, strut, figure] }),
      );
      const { stdout } = await run("pdftotext", ["-layout", pdf, "-"]);
      const at = (word: string) => stdout.split("\f").findIndex((page) => page.includes(word)) + 1;
      pages.push({ space, picture: at("PICTUREMARK"), caption: at("CAPTIONMARK") });
    }
    for (const p of pages) expect(p.caption, `${p.space} pt down`).toBe(p.picture);
    // the page break did fall both before and after the figure
    expect(new Set(pages.map((p) => p.picture))).toEqual(new Set([1, 2]));
  });
});
