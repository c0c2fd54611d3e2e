/**
 * What the worker sends the page, checked against core: the counts, the chosen parameter's paths
 * (coloured in the chain view, highlighted in the diagram), the diagram's edges (which the page
 * makes clickable by their order in viz's SVG), every view rendered without a KaTeX error, and
 * the document's sections shared out among the views with none lost.
 */

import { count, graphIndex, inputIds, parameterIds, pathCounts, paths, targetIds } from "@chainrule/core";
import { derivation, exampleValues } from "@chainrule/viz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { sectionTitle, splitSections, VIEW_SECTIONS, viewBlocks } from "../src/derive/blocks.js";
import { derive, deriveParts, graphOf, numbersOf } from "../src/derive/derive.js";
import { DEFAULT_STATE, type ExplorerState, paramNodeId, VIEW_IDS } from "../src/state.js";
import { validState } from "./arbitraries.js";
import { pathEdges } from "./expected.js";

/** Distinct colours KaTeX used in a piece of HTML. */
function colours(html: string): Set<string> {
  return new Set([...html.matchAll(/style="color:([a-z]+);"/g)].map((m) => m[1]!));
}

describe("derive", () => {
  it("counts as core counts, and lists the chosen parameter's paths in colour, at most four", () => {
    fc.assert(
      fc.property(validState, (s) => {
        const state: ExplorerState = { ...s, view: "chain" };
        const g = graphOf(state);
        const d = derive(state);
        const c = count(g);
        expect([d.parameters, d.paths, d.factors]).toEqual([
          String(c.parameters),
          String(c.paths),
          String(c.chainFactors),
        ]);
        expect(d.deltas).toBe(graphIndex(g).zs.length);
        const total = pathCounts(g).paths.get(paramNodeId(s.param))!;
        expect(d.param.paths).toBe(String(total));
        // the first coloured equation group is the chosen parameter's chain, one colour per listed path
        // (the 1-1-1 network opens, as the post does, with its questions in black, and a chain of a
        // single path may be printed in black)
        const firstEq =
          [...d.html.matchAll(/<div class="eq">[\s\S]*?<\/div>\n/g)]
            .map((m) => m[0])
            .find((e) => colours(e).size > 0) ?? "";
        if (total > 1n) expect(colours(firstEq).size).toBe(Math.min(Number(total), 4));
        else expect(colours(firstEq).size).toBeLessThanOrEqual(1);
        // the path count in words; the 1-1-1 network starts as the post does, θ₂'s single path first
        if (d.html.includes("Start, as the post does")) expect(d.html).toContain("first.");
        else expect(d.html).toContain(`along ${total} ${total === 1n ? "path" : "paths"}`);
      }),
      // the post's 1-1-1 start (its questions in black, one path per parameter) always among the cases
      {
        numRuns: runs(25),
        examples: [
          [
            {
              network: { sizes: [1, 1, 1], activations: ["sigmoid", "sigmoid"], cost: "mse", bias: false },
              notation: "post",
              param: [1, 1, 1],
              weights: { mode: "typed", theta: [0], x: [0], y: [0] },
              view: "chain",
            },
          ],
        ],
      },
    );
  });

  it("highlights in the diagram exactly the edges of the listed paths", () => {
    fc.assert(
      fc.property(validState, (state) => {
        const g = graphOf(state);
        const d = derive(state).diagram;
        const listed = [...paths(g, paramNodeId(state.param))].slice(0, 4);
        expect(d.paths.length).toBe(listed.length);
        d.paths.forEach((p, i) => {
          const hops = p.hops.filter(([a, b]) => a !== b).map(([a, b]) => `${a}→${b}`);
          expect(hops).toEqual(pathEdges(g, listed[i]!));
        });
      }),
      { numRuns: runs(40) },
    );
  });

  it("hands out one edge per grey line of viz's SVG, in order, carrying every parameter once", () => {
    fc.assert(
      fc.property(validState, (state) => {
        const g = graphOf(state);
        const d = derive(state).diagram;
        // the page relies on this: the first group of the SVG holds one path per edge, in the layout's order
        const group = /<svg[^>]*>[\s\S]*?<g [^>]*>([\s\S]*?)<\/g>/.exec(d.svg)?.[1] ?? "";
        expect((group.match(/<path /g) ?? []).length).toBe(d.edges.length);
        // layers of at most four neurons: nothing is elided, every parameter is on exactly one edge
        expect(d.elided).toBe(false);
        expect(d.edges.flatMap((e) => e.params).sort()).toEqual([...parameterIds(g)].sort());
        expect(d.tikz).toContain("\\begin{tikzpicture}");
      }),
      { numRuns: runs(30) },
    );
  });

  it("renders every view without a KaTeX error, and its LaTeX with the preamble it needs", () => {
    fc.assert(
      fc.property(validState, fc.constantFrom(...VIEW_IDS), (s, view) => {
        const d = derive({ ...s, view });
        expect(d.view).toBe(view);
        expect(d.html.length).toBeGreaterThan(0);
        expect(d.html).not.toContain("katex-error");
        expect(d.latex).toContain("% \\usepackage{xcolor}");
        expect(d.latex).not.toMatch(/undefined|NaN|\[object/);
      }),
      { numRuns: runs(40) },
    );
  });

  it("sends a view in parts that add up to the whole", () => {
    fc.assert(
      fc.property(validState, (s) => {
        const { derived, rest } = deriveParts(s);
        expect(derive(s).html.startsWith(derived.html)).toBe(true);
        if (rest.length > 0) expect(derived.html).toContain('<div class="eq">');
      }),
      { numRuns: runs(20) },
    );
  });

  it("worked numbers: typed ones when they fit, else the seed's, said so", () => {
    const state: ExplorerState = {
      network: { sizes: [2, 2, 2], activations: ["sigmoid", "sigmoid"], cost: "mse", bias: false },
      notation: "post",
      param: [1, 1, 1],
      weights: { mode: "random", seed: 7 },
      view: "worked",
    };
    const g = graphOf(state);
    const seeded = numbersOf(g, state.weights);
    expect(Array.from(seeded.theta)).toEqual(Array.from(exampleValues(g, 7).theta));
    const typed = {
      mode: "typed" as const,
      theta: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55],
      x: [0.05, 0.1],
      y: [0.01, 0.99],
    };
    const n = numbersOf(g, typed);
    expect([Array.from(n.theta), Array.from(n.data.x), Array.from(n.data.y), n.note]).toEqual([
      typed.theta,
      typed.x,
      typed.y,
      null,
    ]);
    const d = derive({ ...state, weights: typed });
    expect(d.values!.theta.values).toEqual(typed.theta);
    expect(d.values!.x.ids).toEqual(inputIds(g));
    expect(d.values!.y.ids).toEqual(targetIds(g));
    // the worked view prints the typed weight
    expect(d.html).toContain("0.55");
    const wrong = numbersOf(g, { ...typed, theta: [1, 2, 3] });
    expect(Array.from(wrong.theta)).toEqual(Array.from(exampleValues(g, 1).theta));
    expect(wrong.note).toMatch(/do not fit this network/);
  });

  it("keeps large networks to what fits on a page: elided diagram, no typed numbers", () => {
    const state: ExplorerState = {
      network: { sizes: [30, 20, 10], activations: ["relu", "softmax"], cost: "cross-entropy", bias: true },
      notation: "ng",
      param: [2, 10, 20],
      weights: { mode: "random", seed: 1 },
      view: "chain",
    };
    const d = derive(state);
    expect(d.diagram.elided).toBe(true);
    expect(d.values).toBeNull();
    expect(d.diagram.edges.some((e) => e.params.includes("theta_2_10_20"))).toBe(true);
  });
});

describe("the document's sections among the views", () => {
  it("gives every block of the document to exactly one view", () => {
    fc.assert(
      fc.property(validState, (s) => {
        const g = graphOf(s);
        const doc = derivation(g, {
          notation: s.notation,
          param: paramNodeId(s.param),
          values: exampleValues(g, 1),
          diagram: false,
        });
        const sections = splitSections(doc);
        const shown = VIEW_IDS.flatMap((v) => viewBlocks(sections, v));
        expect(shown.length).toBe(doc.blocks.length);
        // every section title the document has is one a view names (the notes view takes strays)
        const named = new Set(Object.values(VIEW_SECTIONS).flat());
        for (const b of doc.blocks)
          if (b.kind === "heading" && b.level === 2) expect(named.has(sectionTitle(b.text)), b.text).toBe(true);
      }),
      { numRuns: runs(15) },
    );
  });

  it("names only sections the explorer's documents have (no view waits for a section that is gone)", () => {
    const titles = new Set<string>([""]);
    for (const bias of [false, true]) {
      const state: ExplorerState = { ...DEFAULT_STATE, network: { ...DEFAULT_STATE.network, bias } };
      const g = graphOf(state);
      const doc = derivation(g, { param: paramNodeId(state.param), values: exampleValues(g, 1), diagram: false });
      for (const s of splitSections(doc)) titles.add(s.title);
    }
    for (const name of Object.values(VIEW_SECTIONS).flat()) expect(titles.has(name), name).toBe(true);
  });

  it("puts a section no view names into the notes", () => {
    const sections = [
      { title: "The δ terms", blocks: [{ kind: "heading" as const, level: 2 as const, text: "The δ terms" }] },
      { title: "Something new", blocks: [{ kind: "heading" as const, level: 2 as const, text: "Something new" }] },
    ];
    expect(viewBlocks(sections, "notes")).toEqual(sections[1]!.blocks);
    expect(viewBlocks(sections, "delta")).toEqual(sections[0]!.blocks);
  });
});
