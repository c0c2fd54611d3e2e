/**
 * The central property: nn's gradients are core's symbolic gradients. For random layered
 * networks of every activation and cost, the matrix program (core's matrix form on typed-array
 * kernels) and the compiled engine (core's straight-line code) give ∂J/∂θ, J and the outputs of
 * core's interpreter over the δ form, to relative 1e-9.
 */

import {
  costForm,
  costValue,
  evaluateWith,
  GraphError,
  gradientValues,
  graphIndex,
  layered,
  parameterIds,
  predict,
} from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layeredCase } from "../../core/test/arbitraries.js";
import { compileBatchCost, Engine, hasMatrixForm, MatrixProgram } from "../src/index.js";
import { firstMismatch, type NetCase, netCase, OUTPUTS } from "./helpers.js";

function checkMatrix(c: NetCase): void {
  const { graph, theta, batch } = c;
  const want = gradientValues(graph, theta, batch);
  const program = new MatrixProgram(graph, batch.m + 2);
  const grad = new Float64Array(theta.length).fill(Number.NaN);
  const J = program.gradient(theta, batch, grad);
  expect(firstMismatch(grad, want), c.label).toBe(-1);
  expect(firstMismatch([J], [costValue(graph, theta, batch)]), c.label).toBe(-1);
  expect(
    firstMismatch(program.outputs.subarray(0, predict(graph, theta, batch).length), predict(graph, theta, batch)),
    c.label,
  ).toBe(-1);
}

function checkCompiled(c: NetCase): void {
  const { graph, theta, batch } = c;
  const engine = Engine.create(graph, { kind: "compiled" });
  const grad = new Float64Array(theta.length);
  const J = engine.gradient(theta, batch, grad);
  expect(firstMismatch(grad, gradientValues(graph, theta, batch)), c.label).toBe(-1);
  expect(firstMismatch([J], [costValue(graph, theta, batch)]), c.label).toBe(-1);
  // the forward pass (matrix form, or the softmax forward for softmax + mse) gives core's outputs
  expect(
    firstMismatch(
      engine.forward(theta, batch.x, batch.m).slice(0, batch.m * (graph.layers!.sizes.at(-1) ?? 0)),
      predict(graph, theta, batch),
    ),
    c.label,
  ).toBe(-1);
  expect(firstMismatch([engine.cost(theta, batch)], [costValue(graph, theta, batch)]), c.label).toBe(-1);
}

describe("gradients equal core's symbolic gradients", () => {
  it("matrix program: random layered networks, every activation and cost with a matrix form", () => {
    fc.assert(
      fc.property(netCase(), (c) => {
        if (!hasMatrixForm(c.graph)) return;
        checkMatrix(c);
      }),
      { numRuns: 250 },
    );
  });

  it("matrix program: wider layers and batches (tiles and their edges)", () => {
    fc.assert(
      fc.property(netCase(13, 17), (c) => void (hasMatrixForm(c.graph) && checkMatrix(c))),
      { numRuns: 60 },
    );
  });

  it("compiled engine: random layered networks, every activation and cost", () => {
    fc.assert(fc.property(netCase(5, 5), checkCompiled), { numRuns: 150 });
  });

  it("core's own layered-network arbitrary", () => {
    fc.assert(
      fc.property(layeredCase, (c) => {
        const nc = { graph: c.graph, theta: c.theta, batch: c.data, label: c.description };
        if (hasMatrixForm(c.graph)) checkMatrix(nc);
        checkCompiled(nc);
      }),
      { numRuns: 150 },
    );
  });

  it("every output activation and cost pair is covered, and only softmax + mse lacks a matrix form", () => {
    for (const out of OUTPUTS) {
      fc.assert(
        fc.property(netCase(4, 4, out), (c) => {
          const matrix = hasMatrixForm(c.graph);
          expect(matrix).toBe(!(out.act === "softmax" && out.cost === "mse"));
          if (matrix) checkMatrix(c);
          else expect(() => Engine.create(c.graph, { kind: "matrix" })).toThrow(GraphError);
          checkCompiled(c);
        }),
        { numRuns: 8 },
      );
    }
  });

  it("an engine grows past its capacity and still gives core's gradients", () => {
    fc.assert(
      fc.property(netCase(5, 20), (c) => {
        if (!hasMatrixForm(c.graph)) return;
        const engine = Engine.create(c.graph, { kind: "matrix", capacity: 1 });
        const grad = new Float64Array(c.theta.length);
        engine.gradient(c.theta, c.batch, grad);
        expect(engine.capacity).toBeGreaterThanOrEqual(c.batch.m);
        expect(firstMismatch(grad, gradientValues(c.graph, c.theta, c.batch)), c.label).toBe(-1);
      }),
      { numRuns: 30 },
    );
  });

  it("softmax + mse (no matrix form): the forward pass and J, grown past the capacity, are core's", () => {
    fc.assert(
      fc.property(netCase(5, 12, { act: "softmax", cost: "mse" }), (c) => {
        const engine = Engine.create(c.graph, { kind: "compiled", capacity: 1 });
        const out = engine.forward(c.theta, c.batch.x, c.batch.m);
        expect(engine.capacity).toBeGreaterThanOrEqual(c.batch.m);
        expect(
          firstMismatch(out.slice(0, c.batch.m * c.graph.layers!.sizes.at(-1)!), predict(c.graph, c.theta, c.batch)),
          c.label,
        ).toBe(-1);
        expect(firstMismatch([engine.cost(c.theta, c.batch)], [costValue(c.graph, c.theta, c.batch)]), c.label).toBe(
          -1,
        );
      }),
      { numRuns: 30 },
    );
  });

  it("the L2 term is core's costForm(graph).batchCost, compiled: equal to core's evaluation bit for bit", () => {
    fc.assert(
      fc.property(netCase(6, 6), fc.constantFrom(0, 0.07, 2.5), fc.integer({ min: 1, max: 1000 }), (c, l2, m) => {
        const info = c.graph.layers!;
        const graph = layered({
          sizes: info.sizes,
          activation: info.activations,
          bias: info.bias,
          cost: graphIndex(c.graph).cost.cost,
          l2,
        });
        const index = new Map(parameterIds(graph).map((p, i) => [p, i] as const));
        const want = evaluateWith(costForm(graph).batchCost, (s) =>
          s.ref.kind === "m"
            ? m
            : s.ref.kind === "lambda"
              ? l2
              : c.theta[index.get((s.ref as { node: string }).node)!]!,
        );
        expect(compileBatchCost(graph).kernel(c.theta, m, l2), c.label).toBe(want);
        if (hasMatrixForm(graph)) expect(new MatrixProgram(graph, 2).batchTerm(c.theta, m), c.label).toBe(want);
      }),
      { numRuns: 150 },
    );
    // the sum over the weights is a loop, not one term per weight
    const wide = layered({ sizes: [60, 40, 5], l2: 1 });
    expect(compileBatchCost(wide).source.length).toBeLessThan(400);
  });

  it("the matrix program allocates its buffers once: runs of any size up to its capacity keep the same arrays and repeat exactly", () => {
    type Buffers = {
      ctx: { z: (Float64Array | null)[]; a: (Float64Array | null)[]; d: (Float64Array | null)[]; lse: Float64Array };
    };
    const buffers = (p: MatrixProgram): unknown[] => {
      const { z, a, d, lse } = (p as unknown as Buffers).ctx;
      return [p.outputs, lse, ...z, ...a, ...d];
    };
    fc.assert(
      fc.property(netCase(6, 6), (c) => {
        if (!hasMatrixForm(c.graph)) return;
        const p = new MatrixProgram(c.graph, 8);
        const before = buffers(p);
        const g1 = new Float64Array(parameterIds(c.graph).length);
        const g2 = new Float64Array(g1.length);
        const J1 = p.gradient(c.theta, c.batch, g1);
        // a run of another size in between (a new plan, the same buffers)
        p.gradient(
          c.theta,
          {
            m: 8,
            x: new Float64Array(8 * c.graph.layers!.sizes[0]!).fill(0.5),
            y: new Float64Array(8 * c.graph.layers!.sizes.at(-1)!),
          },
          new Float64Array(g1.length),
        );
        p.evaluate(c.theta, c.batch);
        const J2 = p.gradient(c.theta, c.batch, g2);
        expect(J2).toBe(J1);
        expect(g2).toEqual(g1);
        const after = buffers(p);
        expect(after).toHaveLength(before.length);
        after.forEach((b, i) => {
          expect(b, `buffer ${i}`).toBe(before[i]);
        });
      }),
      { numRuns: 40 },
    );
  });
});
