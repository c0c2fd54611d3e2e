/**
 * Engine.forLayers: the engine of a layered spec without its per-weight graph. Its matrix program
 * runs the matrix form derived on a small template of the same layers; for random networks it
 * gives exactly (bit for bit) what the engine of the full graph gives — J, ∂J/∂θ (the L2 term
 * included) and the outputs — and chooses and refuses the same kinds.
 */

import { ChainruleError, type LayerSpec, layered, parameterIds } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { Engine, hasMatrixForm, MatrixProgram } from "../src/index.js";
import { netCase } from "./helpers.js";

// core's graph builder, watched: the sizes of every graph built
vi.mock("@chainrule/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@chainrule/core")>();
  return { ...core, layered: vi.fn(core.layered) };
});
/** The layer sizes of each graph core has built since the last call. */
function built(): number[][] {
  const calls = vi.mocked(layered).mock.calls.map(([spec]) => [...spec.sizes]);
  vi.mocked(layered).mockClear();
  return calls;
}

/** The spec a graph of netCase was built from. */
function specOf(graph: ReturnType<typeof layered>): LayerSpec {
  const { sizes, activations, bias } = graph.layers!;
  const cost = Object.values(graph.nodes).find((n) => n.kind === "cost");
  if (cost?.kind !== "cost") throw new Error("no cost");
  return { sizes, activation: activations, bias, cost: cost.cost, l2: cost.l2 };
}

describe("Engine.forLayers", () => {
  it("gives the full graph's engine's numbers bit for bit, without the graph", () => {
    fc.assert(
      fc.property(netCase(9, 6), ({ graph, theta, batch, label }) => {
        const spec = specOf(graph);
        for (const kind of ["auto", "matrix"] as const) {
          if (kind === "matrix" && !hasMatrixForm(graph)) continue;
          const full = Engine.create(graph, { kind });
          const wide = Engine.forLayers(spec, { kind });
          expect(wide.kind, label).toBe(full.kind);
          const g1 = new Float64Array(theta.length);
          const g2 = new Float64Array(theta.length);
          expect(wide.gradient(theta, batch, g2), label).toBe(full.gradient(theta, batch, g1));
          expect(Array.from(g2), label).toEqual(Array.from(g1));
          expect(wide.cost(theta, batch), label).toBe(full.cost(theta, batch));
          expect(Array.from(wide.forward(theta, batch.x, batch.m)), label).toEqual(
            Array.from(full.forward(theta, batch.x, batch.m)),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it("builds no per-weight graph for a large network (until its graph is asked for)", () => {
    built();
    const e = Engine.forLayers({ sizes: [1000, 1000, 10], l2: 0.1 });
    expect(e.kind).toBe("matrix");
    const theta = new Float64Array(1_011_010).fill(0.001);
    const J = e.cost(theta, { m: 2, x: new Float64Array(2000).fill(0.5), y: new Float64Array(20) });
    expect(Number.isFinite(J)).toBe(true);
    // only the small template was built: at most 2 inputs and 1 neuron in each inner layer, the same outputs
    expect(built()).toEqual([[2, 1, 10]]);
    // a network small enough to build here: its graph is built once, when it is first asked for
    const m = Engine.forLayers({ sizes: [40, 30, 10], l2: 0.1 });
    expect(m.kind).toBe("matrix");
    expect(built()).toEqual([[2, 1, 10]]);
    const g = m.graph;
    expect(m.graph).toBe(g);
    expect(built()).toEqual([[40, 30, 10]]);
  });

  it("hands out the network's own graph", () => {
    const spec = { sizes: [5, 4, 3], activation: "tanh", l2: 0.2 };
    const g = Engine.forLayers(spec, { kind: "matrix" }).graph;
    expect(g.layers?.sizes).toEqual([5, 4, 3]);
    expect(parameterIds(g)).toEqual(parameterIds(layered(spec)));
  });

  it("refuses what Engine.create refuses, naming the network", () => {
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ChainruleError);
        return (e as Error).message;
      }
      throw new Error("expected a refusal");
    };
    const softmaxMse = { sizes: [3, 4, 3], activation: ["sigmoid", "softmax"], cost: "mse" };
    expect(refusal(() => Engine.forLayers(softmaxMse, { kind: "matrix" }))).toBe(
      refusal(() => Engine.create(layered(softmaxMse), { kind: "matrix" })),
    );
    const big = { sizes: [200, 200, 2] };
    expect(refusal(() => Engine.forLayers(big, { kind: "compiled" }))).toBe(
      refusal(() => Engine.create(layered(big), { kind: "compiled" })),
    );
    expect(refusal(() => Engine.forLayers({ sizes: [2, 0] }))).toMatch(/Layer 2 has size 0/);
    expect(refusal(() => Engine.forLayers({ sizes: [2, 2], activation: "sigmoid", cost: "cross-entropy" }))).toMatch(
      /cross-entropy needs softmax outputs/,
    );
    expect(refusal(() => Engine.forLayers({ sizes: [2, 2] }, { kind: "fast" as never }))).toMatch(
      /Unknown engine "fast"/,
    );
  });

  it("a matrix program refuses sizes its template cannot stand for", () => {
    const template = layered({ sizes: [2, 1, 3] });
    expect(() => new MatrixProgram(template, 4, { sizes: [9, 8] })).toThrow(/options.sizes are 3 layer sizes/);
    expect(() => new MatrixProgram(template, 4, { sizes: [9, 8, 4] })).toThrow(/end in 4 outputs, the template in 3/);
    expect(() => new MatrixProgram(template, 4, { sizes: [9, 0.5, 3] })).toThrow(ChainruleError);
  });
});
