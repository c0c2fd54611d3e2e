/**
 * User-supplied strings (node names, titles) come out as text in every target: LaTeX, HTML, SVG,
 * TikZ and Markdown. `\input{/etc/passwd}` is never a command and `<script>` never an element.
 */

import { GraphBuilder, parameterIds } from "@chainrule/core";
import fc from "fast-check";
import katex from "katex";
import { describe, expect, it } from "vitest";
import {
  derivation,
  escapeHtml,
  escapeLatexText,
  escapeMarkdown,
  escapeXml,
  latexName,
  latexProse,
  mathOf,
  networkSvg,
  networkTikz,
  toHtml,
  toMarkdown,
  toStandaloneLatex,
  trainingCurveSvg,
} from "../src/index.js";
import { hostileDag, parseStrict } from "./helpers.js";

/** The text KaTeX shows for some LaTeX (its MathML annotation holds the source; the HTML part the glyphs). */
function shownText(latex: string): string {
  const html = katex.renderToString(latex, { throwOnError: true, strict: "error", output: "html" });
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\u200b/g, "");
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 24,
});

describe("escaping for LaTeX", () => {
  it("shows any printable ASCII name as itself", () => {
    fc.assert(
      fc.property(printable, (s) => {
        parseStrict(latexName(s), false);
        // KaTeX shows text-mode spaces as no-break spaces, and quotes as typographic quotes
        const shown = shownText(`\\text{${escapeLatexText(s)}}`)
          .replace(/\u00a0/g, " ")
          .replace(/‘/g, "`")
          .replace(/’/g, "'")
          .replace(/”/g, '"');
        expect(shown).toBe(s);
      }),
      { numRuns: 150 },
    );
  });
  it("turns commands into text", () => {
    expect(latexName("\\input{/etc/passwd}")).toBe("\\text{\\textbackslash{}input\\{/etc/passwd\\}}");
    expect(escapeLatexText("$&%#_^~<>|")).toBe(
      "\\$\\&\\%\\#\\_\\textasciicircum{}\\textasciitilde{}\\textless{}\\textgreater{}\\textbar{}",
    );
    expect(latexProse("θ — 5 × 3 ☃")).toBe("\\ensuremath{\\theta} --- 5 \\ensuremath{\\times} 3 [U+2603]");
  });
  it("keeps any Unicode name parseable (strict KaTeX)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (s) => parseStrict(latexName(s), false)),
      { numRuns: 300 },
    );
  });
});

describe("escaping for HTML, XML and Markdown", () => {
  it("leaves no markup characters", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const e of [escapeHtml(s), escapeXml(s)]) expect(e).not.toMatch(/[<>"']/);
        const unescaped = escapeHtml(s)
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
        expect(unescaped).toBe(s);
        const md = escapeMarkdown(s);
        expect(md).not.toMatch(/(^|[^\\])[$*_`<[]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("hostile names and titles in every target", () => {
  const graph = hostileDag();
  const title = `<script>alert("t")</script> \\input{/etc/passwd} $x$ & 100%`;
  const doc = derivation(graph, {
    title,
    values: {
      theta: Float64Array.from(parameterIds(graph), () => 0.5),
      data: { m: 1, x: Float64Array.of(0.1, 0.2), y: Float64Array.of(1) },
    },
  });

  it("LaTeX: never a command from user text", () => {
    const tex = toStandaloneLatex(doc);
    expect(tex).not.toMatch(/(^|[^{])\\input\{/m);
    expect(tex).toContain("\\textbackslash{}input\\{/etc/passwd\\}");
    for (const m of mathOf(doc)) parseStrict(m);
  });
  it("HTML: no element or attribute from user text", () => {
    const html = toHtml(doc, { fonts: "none" });
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;");
  });
  it("SVG and TikZ: names as text", () => {
    const svg = networkSvg(graph, { title, param: "w1" });
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;");
    const tikz = networkTikz(graph, { param: "w1" });
    expect(tikz).not.toMatch(/(^|[^{])\\input\{/m);
    expect(trainingCurveSvg([{ epoch: 1, cost: 1 }], { title })).not.toContain("<script");
  });
  it("Markdown: the title is text, math stays math", () => {
    const md = toMarkdown(doc);
    expect(md.split("\n")[0]).toBe(
      "# &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; \\\\input\\{/etc/passwd\\} \\$x\\$ &amp; 100%",
    );
    expect(md).not.toContain("<script");
  });
  it("any name round-trips through a document", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ minLength: 1, maxLength: 10 }), (n1, n2) => {
        const taken = ["y", "J", "z", "a"];
        // names of Object.prototype members are left out: core's builder refuses them as duplicates
        fc.pre(n1 !== n2 && ![n1, n2].some((n) => taken.includes(n) || n in {}));
        const b = new GraphBuilder();
        const x = b.input(n1);
        const w = b.param(n2);
        b.cost("mse", [b.activate("a", "sigmoid", b.z("z", [[w, x]]))], [b.target("y")]);
        const d = derivation(b.build(), { diagram: true });
        for (const m of mathOf(d)) parseStrict(m);
        const html = toHtml(d, { fonts: "none" });
        expect(html).not.toMatch(/<script|<iframe|\son\w+\s*=/i);
      }),
      { numRuns: 40 },
    );
  });
});
