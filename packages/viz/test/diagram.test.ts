/**
 * Network diagrams: the chosen parameter's paths are drawn in the chain colours along the right
 * edges, every unit sits inside the picture, wide layers are elided, and SVG and TikZ agree.
 */

import { layered, parameterIds, pathCounts } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { dagCase, layeredCase } from "../../core/test/arbitraries.js";
import { layout, networkSvg, networkTikz, PATH_COLOURS } from "../src/index.js";
import { post222 } from "./helpers.js";

describe("the post's diagram", () => {
  const g = post222();
  const l = layout(g, { param: "theta_1_1_1" });
  it("highlights θ⁽¹⁾₁₁'s blue and brown paths hop by hop", () => {
    expect(l.highlights.map((h) => h.colour.word)).toEqual(["blue", "brown"]);
    expect(l.highlights[0]!.hops).toEqual([
      ["x_1", "z_2_1"],
      ["z_2_1", "z_2_1"],
      ["z_2_1", "z_3_1"],
      ["z_3_1", "z_3_1"],
      ["z_3_1", "J"],
    ]);
    expect(l.highlights[1]!.hops).toEqual([
      ["x_1", "z_2_1"],
      ["z_2_1", "z_2_1"],
      ["z_2_1", "z_3_2"],
      ["z_3_2", "z_3_2"],
      ["z_3_2", "J"],
    ]);
  });
  it("draws each hop in its colour and dash pattern in SVG and TikZ, each path numbered", () => {
    const svg = networkSvg(g, { param: "theta_1_1_1" });
    const tikz = networkTikz(g, { param: "theta_1_1_1" });
    // three edges and a ring around each of the two neurons on the path
    for (const [i, c] of PATH_COLOURS.slice(0, 2).entries()) {
      const strokes = [
        ...svg.matchAll(new RegExp(`<(path|rect) [^>]*data-path="${i + 1}"[^>]*stroke="${c.hex}"([^>]*)/>`, "g")),
      ];
      expect(strokes.map((m) => m[1]).sort()).toEqual(["path", "path", "path", "rect", "rect"]);
      for (const m of strokes) expect(m[2]).toBe(c.dash.length === 0 ? "" : ` stroke-dasharray="${c.dash.join(" ")}"`);
      expect(
        tikz.match(
          new RegExp(
            `\\\\draw\\[${c.name}, line width=[\\d.]+pt${c.dash.length === 0 ? "" : ", dash pattern=on"}`,
            "g",
          ),
        )?.length,
      ).toBe(5);
      expect(svg).toContain(`<g class="marker" data-path="${i + 1}"><circle`);
      expect(tikz).toMatch(
        new RegExp(`\\\\node\\[circle, fill=${c.name}, text=white[^\\n]*\\\\bfseries ${i + 1}\\}\\};`),
      );
    }
    expect(svg).not.toContain(`stroke="${PATH_COLOURS[2]!.hex}"`);
    // every neuron shows its z and a in the notation (SVG: base, then superscript over subscript)
    expect(svg).toMatch(
      />a<\/text><text class="sup u" x="[\d.]+" y="[\d.]+" font-size="10.8">\(2\)<\/text><text class="sub u" x="[\d.]+" y="[\d.]+" font-size="10.8">1<\/text>/,
    );
    expect(tikz).toContain("\\selectfont$a^{(2)}_{1}$}};");
  });
  it("has one edge per weight and one per output", () => {
    expect(l.edges.length).toBe(8 + 2);
    expect(l.units.filter((u) => u.kind === "neuron").length).toBe(4);
  });
});

describe("diagrams of random graphs", () => {
  it("keep every unit inside the picture and highlight one hop list per listed path", () => {
    fc.assert(
      fc.property(fc.oneof(dagCase, layeredCase), fc.integer({ min: 1, max: 6 }), ({ graph }, maxPaths) => {
        const param = parameterIds(graph)[0]!;
        const l = layout(graph, { param, maxPaths });
        for (const u of l.units) {
          expect(u.x).toBeGreaterThanOrEqual(0);
          expect(u.x).toBeLessThanOrEqual(l.width);
          expect(u.y).toBeGreaterThanOrEqual(0);
          expect(u.y).toBeLessThanOrEqual(l.height);
        }
        const total = Number(pathCounts(graph).paths.get(param)!);
        expect(l.highlights.length).toBe(Math.min(total, maxPaths));
        for (const h of l.highlights)
          expect(h.hops.at(-1)![1]).toBe(Object.values(graph.nodes).find((n) => n.kind === "cost")!.id);
        const svg = networkSvg(graph, { param });
        expect(svg.startsWith("<svg")).toBe(true);
        expect(svg.endsWith("</svg>")).toBe(true);
        expect(svg).not.toMatch(/NaN|undefined/);
        expect(networkTikz(graph, { param })).not.toMatch(/NaN|undefined/);
      }),
      { numRuns: runs(60) },
    );
  });
  it("elide wide layers: 784-128-10 shows 1, 2, ⋮, n per layer", () => {
    const g = layered({ sizes: [784, 128, 10] });
    const l = layout(g, { param: "theta_1_1_1" });
    expect(l.units.filter((u) => u.kind === "gap").length).toBe(3);
    expect(l.units.filter((u) => u.kind === "neuron").length).toBe(6);
    expect(networkSvg(g).length).toBeLessThan(20_000);
    expect(layout(g, { threshold: Infinity }).units.length).toBeGreaterThan(900);
  });
});
