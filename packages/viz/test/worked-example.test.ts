/**
 * The worked example's numbers are core's: the values the document is built from equal core's
 * evaluation, the numbers printed in it parse back to those values, the chains' factors multiply
 * and add up to the δ-form gradient, and a published worked example comes out as published.
 */

import { costValue, deltaForm, ExampleEnv, gradientValues, nodeSym, parameterIds, sumOverBatch } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dagCase, layeredCase } from "../../core/test/arbitraries.js";
import {
  derivation,
  documentNumbers,
  exampleValues,
  LatexPrinter,
  parseLatexNumber,
  partialOfCost,
  workedExample,
} from "../src/index.js";
import { mazur, post222 } from "./helpers.js";

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe("worked-example numbers", () => {
  it("are core's evaluation, for random graphs", () => {
    fc.assert(
      fc.property(
        fc.oneof(dagCase, layeredCase),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        ({ graph, theta, data }, rate) => {
          const params = parameterIds(graph);
          const w = workedExample(graph, theta, data, { learningRate: rate, params, maxPaths: 1000, examples: 3 });
          const g = gradientValues(graph, theta, data);
          expect([...w.gradient]).toEqual([...g]);
          expect(w.cost).toBe(costValue(graph, theta, data));
          w.updated.forEach((u, i) => {
            expect(u).toBe(theta[i]! - rate * g[i]!);
          });
          expect(w.costAfter).toBe(costValue(graph, w.updated, data));
          for (const t of w.traces) {
            const env = new ExampleEnv(graph, theta, data, t.example);
            for (const [id, v] of t.values) expect(Object.is(v, env.value(nodeSym(graph.nodes[id]!)))).toBe(true);
            for (const [z, v] of t.deltas)
              expect(Object.is(v, env.value(deltaForm(graph).byNode.get(z)!.ref))).toBe(true);
          }
          // the chains' factors multiply to the path products, which add up to the δ form
          for (const c of w.chains.values()) {
            w.traces.forEach((_, e) => {
              const sum = c.paths.reduce((s, p) => s + p.factors[e]!.reduce((a, b) => a * b, 1), 0);
              if (Number.isFinite(c.perExample[e]!)) expect(close(sum, c.perExample[e]!, 1e-7)).toBe(true);
            });
          }
          // per-example δ-form values summed over the batch are the gradient (less the L2 term)
          const perEx = sumOverBatch(
            graph,
            params.map((p) => deltaForm(graph).byParam.get(p)!.perExample),
            theta,
            data,
          );
          params.forEach((p, i) => {
            if (data.m <= 3)
              expect(
                close(
                  w.chains.get(p)!.perExample.reduce((a, b) => a + b, 0),
                  perEx[i]!,
                  1e-9,
                ),
              ).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("print as the values they were built from", () => {
    const { graph, theta, data } = mazur();
    // a full document prints every parameter's partial and update
    const doc = derivation(graph, { values: { theta, data }, digits: 9, full: true });
    const w = documentNumbers(graph, { values: { theta, data }, digits: 9 })!;
    const p = new LatexPrinter(graph);
    const rows = doc.blocks.flatMap((b) => (b.kind === "equations" ? b.rows : []));
    let checked = 0;
    for (const id of parameterIds(graph)) {
      const i = w.index.get(id)!;
      // ∂J/∂θ &= g & θ &:= θ − η · g = θ′ (the partial at text size, \tfrac)
      const partial = partialOfCost(p, id).replace(/^\\frac/, "\\tfrac");
      const row = rows.find((r) => r.startsWith(`${partial} &= `) && r.includes(":="))!;
      const m = /&= (\S+) & .* &:= (\S+) - (\S+) \\cdot (?:\\left\()?(\S+?)(?:\\right\))? = (\S+)$/.exec(row)!;
      expect(m).not.toBeNull();
      expect(parseLatexNumber(m[1]!)).toBeCloseTo(w.gradient[i]!, 9);
      expect(parseLatexNumber(m[2]!)).toBe(Number(theta[i]!.toPrecision(9)));
      expect(parseLatexNumber(m[3]!)).toBe(0.5);
      expect(parseLatexNumber(m[5]!)).toBe(Number(w.updated[i]!.toPrecision(9)));
      checked++;
    }
    expect(checked).toBe(12);
  });

  it("reproduce the published step-by-step example (Mazur): E = 0.298371109, w5⁺ = 0.35891648, w1⁺ = 0.149780716", () => {
    const { graph, theta, data } = mazur();
    const w = workedExample(graph, theta, data, { learningRate: 0.5 });
    const at = (id: string) => w.updated[w.index.get(id)!]!;
    expect(w.cost).toBeCloseTo(0.298371109, 9);
    // the output layer: w5…w8 are θ⁽²⁾₁₁, θ⁽²⁾₁₂, θ⁽²⁾₂₁, θ⁽²⁾₂₂
    expect(at("theta_2_1_1")).toBeCloseTo(0.35891648, 8);
    expect(at("theta_2_1_2")).toBeCloseTo(0.408666186, 9);
    expect(at("theta_2_2_1")).toBeCloseTo(0.51130127, 9);
    expect(at("theta_2_2_2")).toBeCloseTo(0.561370121, 9);
    // the hidden layer: w1…w4 are θ⁽¹⁾₁₁, θ⁽¹⁾₁₂, θ⁽¹⁾₂₁, θ⁽¹⁾₂₂
    expect(at("theta_1_1_1")).toBeCloseTo(0.149780716, 9);
    expect(at("theta_1_1_2")).toBeCloseTo(0.19956143, 8);
    expect(at("theta_1_2_1")).toBeCloseTo(0.24975114, 8);
    expect(at("theta_1_2_2")).toBeCloseTo(0.29950229, 8);
  });
});

describe("seeded example values", () => {
  it("are reproducible, rounded to two decimals, and fit the graph", () => {
    fc.assert(
      fc.property(fc.oneof(dagCase, layeredCase), fc.nat(), fc.integer({ min: 1, max: 4 }), ({ graph }, seed, m) => {
        const a = exampleValues(graph, seed, { examples: m });
        const b = exampleValues(graph, seed, { examples: m });
        expect(a).toEqual(b);
        expect(a.theta.length).toBe(parameterIds(graph).length);
        for (const v of [...a.theta, ...a.data.x]) expect(Math.round(v * 100) / 100).toBe(v);
        expect(Number.isFinite(costValue(graph, a.theta, a.data))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it("give the post's network a worked example whose cost drops after one step", () => {
    const g = post222();
    const { theta, data } = exampleValues(g, 7);
    const w = workedExample(g, theta, data, { learningRate: 0.1 });
    expect(w.costAfter).toBeLessThan(w.cost);
  });
});
