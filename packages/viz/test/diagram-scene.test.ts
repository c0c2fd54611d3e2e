/**
 * Where a diagram's labels go, checked on the boxes computed from the layout and the text sizes
 * (the browser and pdflatex tests check that the real text stays inside those boxes): over random
 * layered networks up to the sizes the documents draw and over random DAGs, in every notation, no
 * two labels meet, no highlighted stroke crosses a label, every label sits inside the picture and
 * each unit's label inside its unit, a parameter label is nearer its own edge than any other, and
 * every highlighted path carries its number. The SVG stacks superscript over subscript.
 */

import { type ActivationName, type Graph, layered, parameterIds } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { dagCase } from "../../core/test/arbitraries.js";
import {
  type Box,
  boxesOverlap,
  boxInside,
  distanceToPolyline,
  inflate,
  polyline,
  polylineHitsBox,
} from "../src/diagram/geometry.js";
import { unitBox } from "../src/diagram/layout.js";
import { type Scene, STROKE, scene } from "../src/diagram/scene.js";
import { FONT } from "../src/diagram/text.js";
import { MIN_EDGE_PT, tikzScale, tikzScene } from "../src/diagram/tikz.js";
import { NOTATIONS, networkSvg } from "../src/index.js";
import { hostileDag, post222 } from "./helpers.js";

/** Layered networks as the documents draw them: up to 5 layers of up to 12 (wide ones elided). */
const networkArb = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }),
    act: fc.constantFrom<ActivationName>("sigmoid", "tanh", "relu"),
    softmax: fc.boolean(),
    bias: fc.boolean(),
  })
  .map(({ sizes, act, softmax, bias }) => {
    const s = softmax ? [...sizes.slice(0, -1), Math.max(2, sizes.at(-1)!)] : sizes;
    const acts = s.slice(1).map((_, i) => (softmax && i === s.length - 2 ? "softmax" : act));
    return layered({ sizes: s, activation: acts, bias, ...(softmax ? { cost: "cross-entropy" as const } : {}) });
  });

/** A graph, one of its parameters, a notation and how many paths to draw. */
const caseArb = (graphs: fc.Arbitrary<Graph>) =>
  graphs.chain((graph) =>
    fc.record({
      graph: fc.constant(graph),
      param: fc.constantFrom(...parameterIds(graph)),
      notation: fc.constantFrom(...NOTATIONS),
      maxPaths: fc.integer({ min: 1, max: 6 }),
    }),
  );

const layeredCases = caseArb(networkArb);
const dagCases = caseArb(
  fc.oneof(
    dagCase.map((c) => c.graph),
    fc.constant(hostileDag()),
  ),
);

/** Every rule the placed labels keep; throws (through expect) at the first broken one. */
function expectClearLabels(sc: Scene): void {
  const l = sc.layout;
  const frame: Box = { x0: 0, y0: 0, x1: l.width, y1: l.height };
  const labels = sc.labels;
  for (const p of labels)
    expect(boxInside(p.box, frame), `${p.kind} ${p.edge ?? p.path ?? ""} inside the picture`).toBe(true);
  // no two labels meet
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const [a, b] = [labels[i]!, labels[j]!];
      expect(
        boxesOverlap(a.box, b.box),
        `${a.kind} ${a.edge ?? a.text.latex} meets ${b.kind} ${b.edge ?? b.text.latex}`,
      ).toBe(false);
    }
  }
  // no highlighted stroke (half its width included) crosses a label
  for (const s of sc.strokes) {
    for (const p of labels)
      expect(
        polylineHitsBox(s.points, inflate(p.box, STROKE.path / 2)),
        `path ${s.path + 1} (${s.hop}) through ${p.kind} ${p.edge ?? p.text.latex}`,
      ).toBe(false);
  }
  // edge and number labels stay off the units; a unit's own label sits inside it (or, for a long
  // input name, left of it)
  for (const p of labels.filter((q) => q.kind !== "unit")) {
    for (const u of l.units)
      expect(boxesOverlap(p.box, unitBox(u)), `${p.kind} ${p.edge ?? p.path} on unit ${u.id}`).toBe(false);
  }
  const unitLabels = labels.filter((q) => q.kind === "unit");
  const inside = unitLabels.filter((p) => l.units.some((u) => boxInside(p.box, unitBox(u))));
  const beside = unitLabels.filter((p) => !inside.includes(p));
  for (const p of beside) {
    const input = l.units.find(
      (u) => u.kind === "input" && p.box.x1 <= u.x - u.hw && Math.abs((p.box.y0 + p.box.y1) / 2 - u.y) < 1,
    );
    expect(input, `unit label ${p.text.latex} outside every unit`).toBeDefined();
  }
  // a parameter label is nearer its own edge than any other (the chosen one, beside its
  // highlighted edge, at least nearer it than any other highlighted edge)
  const lines = new Map(l.edges.map((e) => [`${e.from}→${e.to}`, polyline(e.route)]));
  const hot = new Set(sc.strokes.map((s) => s.hop));
  for (const p of labels.filter((q) => q.kind === "edge")) {
    const c = { x: (p.box.x0 + p.box.x1) / 2, y: (p.box.y0 + p.box.y1) / 2 };
    const own = distanceToPolyline(c, lines.get(p.edge!)!);
    const chosen = l.param !== null && p.params!.includes(l.param);
    const nearer = [...lines].filter(
      ([key, line]) => key !== p.edge && (!chosen || hot.has(key)) && distanceToPolyline(c, line) <= own,
    );
    expect(
      nearer.map(([key]) => key),
      `edges nearer the label of ${p.edge}`,
    ).toEqual([]);
  }
  // every highlighted path with a stroke along an edge carries its number once
  const numbered = labels.filter((q) => q.kind === "marker").map((q) => q.path!);
  const withEdges = [...new Set(sc.strokes.filter((s) => s.route !== null).map((s) => s.path))];
  expect([...numbered].sort()).toEqual(withEdges.sort());
  // the chosen parameter is labelled; the others in a gap between columns all or none
  const edgeLabels = new Set(labels.filter((q) => q.kind === "edge").map((q) => q.edge!));
  const x = new Map(l.units.map((u) => [u.id, u.x]));
  const gaps = new Map<number, boolean[]>();
  for (const e of l.edges.filter((d) => d.params.length > 0)) {
    const shown = edgeLabels.has(`${e.from}→${e.to}`);
    if (l.param !== null && e.params.includes(l.param)) expect(shown, `the chosen ${l.param}`).toBe(true);
    else gaps.set(x.get(e.to)!, [...(gaps.get(x.get(e.to)!) ?? []), shown]);
  }
  for (const [gx, shown] of gaps) expect(new Set(shown).size, `gap at x = ${gx}`).toBe(1);
}

describe("diagram labels", () => {
  it("the post's 2-2-2 network: every θ labelled, none meeting, both paths numbered", () => {
    const sc = scene(post222(), { param: "theta_1_1_1" });
    expectClearLabels(sc);
    expect(sc.labels.filter((p) => p.kind === "edge").length).toBe(8);
    expect(sc.labels.filter((p) => p.kind === "marker").map((p) => p.path)).toEqual([0, 1]);
  });

  it("2-3-2 with and without biases: every θ labelled (θ⁽¹⁾₃₁ no longer on θ⁽¹⁾₁₂)", () => {
    for (const bias of [false, true]) {
      const g = layered({ sizes: [2, 3, 2], bias });
      for (const param of ["theta_1_1_1", "theta_2_1_1", "theta_1_3_1"]) {
        const sc = scene(g, { param });
        expectClearLabels(sc);
        expect(sc.labels.filter((p) => p.kind === "edge").length, param).toBe(bias ? 17 : 12);
      }
      // with any parameter chosen, every gap's labels or none of them (checked above) — at least one gap
      for (const param of parameterIds(g))
        expect(scene(g, { param }).labels.filter((p) => p.kind === "edge").length, param).toBeGreaterThanOrEqual(
          bias ? 8 : 6,
        );
    }
  });

  it("keep clear of each other and of the paths in random layered networks, every notation", () => {
    fc.assert(
      fc.property(layeredCases, ({ graph, param, notation, maxPaths }) =>
        expectClearLabels(scene(graph, { param, notation, maxPaths })),
      ),
      { numRuns: runs(120) },
    );
  });

  it("keep clear in random DAGs (skip connections, tied weights, unusual names)", () => {
    fc.assert(
      fc.property(dagCases, ({ graph, param, notation, maxPaths }) =>
        expectClearLabels(scene(graph, { param, notation, maxPaths })),
      ),
      { numRuns: runs(120) },
    );
  });

  it("draw a softmax's cross-links as edges z_j → a_i, and every highlighted hop along an edge", () => {
    const g = layered({ sizes: [3, 4, 3], activation: ["sigmoid", "softmax"], cost: "cross-entropy" });
    const sc = scene(g, { param: "theta_1_1_1", maxPaths: 6 });
    const edges = new Set(sc.layout.edges.map((e) => `${e.from}→${e.to}`));
    for (const j of [1, 2, 3]) for (const i of [1, 2, 3]) expect(edges).toContain(`z_3_${j}→a_3_${i}`);
    expect(sc.layout.units.filter((u) => u.kind === "activation").length).toBe(3);
    for (const h of sc.layout.highlights)
      for (const [a, b] of h.hops) if (a !== b) expect(edges).toContain(`${a}→${b}`);
    // a cross-link on a path: z_3_1 → a_3_2
    expect(sc.strokes.some((s) => s.hop === "z_3_1→a_3_2")).toBe(true);
    expectClearLabels(sc);
  });

  it("print readably: 12 px parameters and 15 px units in SVG, at least 7 pt and 8.5 pt in TikZ up to four layers", () => {
    for (const sizes of [
      [1, 1, 1],
      [2, 2, 2],
      [2, 3, 2],
      [4, 10, 3],
      [2, 3, 3, 2],
      [3, 4, 4, 2],
    ]) {
      const sc = scene(layered({ sizes }), { param: "theta_1_1_1" });
      for (const p of sc.labels)
        expect(p.size).toBeGreaterThanOrEqual(p.kind === "edge" ? FONT.edge : p.kind === "marker" ? FONT.marker : 12);
      const { ptPerPx } = tikzScale(sc.layout.width);
      expect(FONT.edge * ptPerPx, sizes.join("-")).toBeGreaterThanOrEqual(7);
      expect(FONT.unit * ptPerPx, sizes.join("-")).toBeGreaterThanOrEqual(8.5);
    }
    // the softmax output's own column leaves 3-4-2 above 7.5 pt
    const sm = scene(layered({ sizes: [3, 4, 2], activation: ["sigmoid", "softmax"], cost: "cross-entropy" }), {
      param: "theta_1_1_1",
    });
    expect(FONT.edge * tikzScale(sm.layout.width).ptPerPx).toBeGreaterThanOrEqual(7.5);
  });

  it("print parameters at 7 pt or more in TikZ five, six and seven layers deep, set larger and clear of each other", () => {
    for (const sizes of [
      [2, 3, 3, 3, 2],
      [2, 3, 3, 3, 3, 2],
      [3, 4, 4, 4, 4, 2],
      [2, 2, 2, 2, 2, 2, 2],
    ]) {
      for (const bias of [true, false]) {
        const g = layered({ sizes, bias });
        const name = `${sizes.join("-")}${bias ? "" : " without biases"}`;
        // scaled to the page at FONT's sizes, a parameter would print below 7 pt
        expect(FONT.edge * tikzScale(scene(g).layout.width).ptPerPx, name).toBeLessThan(MIN_EDGE_PT);
        for (const param of ["theta_1_1_1", parameterIds(g).at(-1)!]) {
          const { scene: sc, ptPerPx } = tikzScene(g, { param });
          const edges = sc.labels.filter((p) => p.kind === "edge");
          expect(edges.length, name).toBeGreaterThanOrEqual(1);
          for (const p of edges)
            expect(p.size * ptPerPx, `${name} ${p.text.latex}`).toBeGreaterThanOrEqual(MIN_EDGE_PT);
          // the path numbers grow with them
          for (const p of sc.labels.filter((q) => q.kind === "marker"))
            expect(p.size * ptPerPx, name).toBeGreaterThanOrEqual((MIN_EDGE_PT * FONT.marker) / FONT.edge);
          expectClearLabels(sc);
        }
      }
    }
    // without biases the taller rows leave room for every gap's labels of the five-layer network
    const { scene: nb } = tikzScene(layered({ sizes: [2, 3, 3, 3, 2], bias: false }), { param: "theta_1_1_1" });
    expect(nb.labels.filter((p) => p.kind === "edge").length).toBe(15);
  });

  it("keep clear in TikZ's larger text for random networks up to seven layers, every notation", () => {
    const deep = fc
      .record({
        sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 5, maxLength: 7 }),
        bias: fc.boolean(),
      })
      .map(({ sizes, bias }) => layered({ sizes, bias }));
    fc.assert(
      fc.property(caseArb(deep), ({ graph, param, notation, maxPaths }) => {
        const { scene: sc, ptPerPx } = tikzScene(graph, { param, notation, maxPaths });
        expectClearLabels(sc);
        for (const p of sc.labels.filter((q) => q.kind === "edge"))
          expect(p.size * ptPerPx).toBeGreaterThanOrEqual(MIN_EDGE_PT);
      }),
      { numRuns: runs(40) },
    );
  });
});

describe("SVG labels", () => {
  /** The label groups of an SVG: each text's class, x, y and content. */
  const groups = (svg: string) =>
    [...svg.matchAll(/<g class="(?:unit|edge)-label[^>]*>(.*?)<\/g>/g)].map(([, body]) =>
      [...body!.matchAll(/<text(?: class="([^"]*)")? x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)<\/text>/g)].map(
        ([, cls, x, y, t]) => ({ cls: cls ?? "", x: Number(x), y: Number(y), t: t! }),
      ),
    );

  it("stack the superscript over the subscript, both right after the base", () => {
    for (const notation of NOTATIONS) {
      const svg = networkSvg(post222(), { param: "theta_1_1_1", notation });
      let stacked = 0;
      for (const g of groups(svg)) {
        const base = g.find((r) => r.cls.split(" ").includes("base"))!;
        const sup = g.find((r) => r.cls.split(" ").includes("sup"));
        const sub = g.find((r) => r.cls.split(" ").includes("sub"));
        if (sup === undefined || sub === undefined) continue;
        stacked++;
        // both scripts start at one x, after the base (which ends there, less its italic overhang)
        expect(sub.x).toBe(sup.x);
        expect(sup.x).toBeGreaterThan(base.x);
        expect(sup.x - base.x).toBeLessThan(4);
        expect(sup.y).toBeLessThan(base.y);
        expect(sub.y).toBeGreaterThan(base.y);
      }
      // z and a of four neurons and eight weights
      expect(stacked, notation).toBe(16);
    }
    // the post's a⁽²⁾₁: the base a, then (2) over 1 from one x, digits upright
    expect(networkSvg(post222())).toMatch(
      /<text class="base" x="[\d.]+" y="([\d.]+)" text-anchor="end">a<\/text><text class="sup u" x="([\d.]+)" y="[\d.]+" font-size="10.8">\(2\)<\/text><text class="sub u" x="\2" y="[\d.]+" font-size="10.8">1<\/text>/,
    );
  });
});
