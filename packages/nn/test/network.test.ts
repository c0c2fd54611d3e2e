/** Networks: parameter order and addressing, the graph they hand out, and the post's symmetry point. */

import {
  ACTIVATIONS,
  ArgumentError,
  type ChainruleError,
  COSTS,
  ELEMENTWISE_ACTIVATIONS,
  gradientValues,
  layered,
  layeredParamExists,
  layeredParamIndex,
  parameterIds,
  paramId,
  predict,
} from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinDataset, formatModel, Network, OptionError, parseModel, Random, train } from "../src/index.js";
import { countParams, firstMismatch, netCase } from "./helpers.js";

const specArb = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
  bias: fc.boolean(),
  seed: fc.nat({ max: 1000 }),
});

describe("Network", () => {
  it("parameters() is core's parameterIds order, and weight(l, j, k) addresses θ⁽ˡ⁾_jk in it", () => {
    fc.assert(
      fc.property(specArb, ({ sizes, bias, seed }) => {
        const net = Network.create({ sizes, bias }, { seed });
        const theta = net.parameters();
        const order = parameterIds(net.graph());
        expect(theta.length).toBe(order.length);
        expect(net.parameterCount).toBe(countParams(sizes, bias));
        for (let l = 1; l < sizes.length; l++) {
          for (let j = 1; j <= sizes[l]!; j++) {
            for (let k = bias ? 0 : 1; k <= sizes[l - 1]!; k++) {
              expect(net.weight(l, j, k)).toBe(theta[order.indexOf(paramId(net.graph(), l, j, k))]);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("setParameters is the inverse of parameters(), and weights()/biases() are the model file's shape", () => {
    fc.assert(
      fc.property(specArb, fc.integer(), ({ sizes, bias }, s) => {
        const net = Network.create({ sizes, bias });
        const values = Float64Array.from({ length: net.parameterCount }, (_, i) => Math.sin(s + i));
        net.setParameters(values);
        expect(net.parameters()).toEqual(values);
        const w = net.weights();
        const b = net.biases();
        expect(b === null).toBe(!bias);
        for (let l = 1; l < sizes.length; l++) {
          for (let j = 1; j <= sizes[l]!; j++) {
            for (let k = 1; k <= sizes[l - 1]!; k++) expect(w[l - 1]![j - 1]![k - 1]).toBe(net.weight(l, j, k));
            if (b !== null) expect(b[l - 1]![j - 1]).toBe(net.weight(l, j, 0));
          }
        }
        // a copy, not a view
        const p = net.parameters();
        p[0] = 99;
        expect(net.parameters()[0]).toBe(values[0]);
      }),
      { numRuns: 40 },
    );
  });

  it("rejects parameter vectors of the wrong length or with non-finite values, and unknown addresses", () => {
    const net = Network.create({ sizes: [2, 2, 2] });
    expect(() => net.setParameters(new Float64Array(3))).toThrow(/has 12 parameters; got 3/);
    const bad = net.parameters();
    bad[4] = Number.NaN;
    expect(() => net.setParameters(bad)).toThrow(OptionError);
    expect(() => net.weight(3, 1, 1)).toThrow(/layer l must be 1…2/);
    expect(() => Network.create({ sizes: [2, 2], activation: "sigmod" })).toThrow(/Did you mean "sigmoid"/);
    expect(() => Network.create({ sizes: [2, 2], activation: "sigmoid", cost: "cross-entropy" })).toThrow();
  });

  it("accepts exactly the specs core's layered() accepts, refusing the others with core's error class and code", () => {
    const name = fc.constantFrom<string>(...ACTIVATIONS, "sigmod");
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.oneof(name, fc.array(name, { minLength: 1, maxLength: 4 })),
        fc.constantFrom<string>(...COSTS, "hinge"),
        fc.constantFrom(0, 0.1, -1),
        fc.boolean(),
        (sizes, activation, cost, l2, bias) => {
          const spec = { sizes, activation, cost, l2, bias };
          const outcome = (f: () => unknown) => {
            try {
              f();
              return "ok";
            } catch (e) {
              return `${(e as ChainruleError).name} ${(e as ChainruleError).code}`;
            }
          };
          expect(
            outcome(() => Network.create(spec)),
            JSON.stringify(spec),
          ).toBe(outcome(() => layered(spec)));
        },
      ),
      { numRuns: 400 },
    );
    expect(() => Network.create({ sizes: [2, 3, 2], activation: "sigmoid", cost: "cross-entropy" })).toThrow(
      "cross-entropy needs softmax outputs, but the output layer (layer 3) is sigmoid; use softmax on the output layer or another cost.",
    );
  });

  it("addresses θ⁽ˡ⁾_jk at core's layeredParamIndex, refusing one that does not exist with core's ArgumentError", () => {
    fc.assert(
      fc.property(
        specArb,
        fc.integer({ min: -1, max: 5 }),
        fc.integer({ min: -1, max: 6 }),
        fc.integer({ min: -1, max: 6 }),
        ({ sizes, bias }, l, j, k) => {
          const net = Network.create({ sizes, bias });
          if (layeredParamExists(net.spec, l, j, k)) {
            expect(net.weight(l, j, k)).toBe(net.parameters()[layeredParamIndex(net.spec, l, j, k)]);
            return;
          }
          expect(() => net.weight(l, j, k)).toThrow(ArgumentError);
          expect(() => net.setWeight(l, j, k, 1)).toThrow(ArgumentError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("weight, setWeight and setParameters' errors use the layer sizes, not the graph (784-128-10)", () => {
    const net = Network.create({ sizes: [784, 128, 10] });
    const built = () => (net as unknown as { cachedGraph: unknown }).cachedGraph !== null;
    net.setWeight(1, 128, 784, 0.25);
    expect(net.weight(1, 128, 784)).toBe(0.25);
    expect(net.parameters()[128 * 785 - 1]).toBe(0.25);
    net.setWeight(2, 10, 0, -0.5);
    expect(net.parameters()[128 * 785 + 9 * 129]).toBe(-0.5);
    expect(() => net.weight(1, 129, 1)).toThrow(
      "There is no parameter theta_1_129_1 (l=1, j=129, k=1) in a 784-128-10 network: for l = 1, j must be 1…128 and k 0…784 (k = 0 is the bias).",
    );
    const bad = net.parameters();
    bad[bad.length - 1] = Number.NaN;
    expect(() => net.setParameters(bad)).toThrow(
      `Parameter ${bad.length - 1} (theta_2_10_128) must be a finite number, got NaN.`,
    );
    expect(built()).toBe(false);
  });

  it("a 784-128-10 network trains, computes and round-trips a model file without its per-weight graph", () => {
    type Inside = { cachedGraph: unknown; engines: Map<string, { wideGraph: unknown }> };
    // neither the network's graph nor any of its engines' (built only when a symbolic view is asked for)
    const built = (n: Network) => {
      const inside = n as unknown as Inside;
      return inside.cachedGraph !== null || [...inside.engines.values()].some((e) => e.wideGraph !== null);
    };
    const rng = new Random(5);
    const m = 5;
    const x = Float64Array.from({ length: m * 784 }, () => rng.float());
    const y = new Float64Array(m * 10);
    for (let e = 0; e < m; e++) y[e * 10 + rng.int(10)] = 1;
    const data = { m, x, y };
    const net = Network.create({
      sizes: [784, 128, 10],
      activation: ["relu", "softmax"],
      cost: "cross-entropy",
      l2: 0.1,
    });
    train(net, data, { epochs: 2, learningRate: 0.1, batchSize: 2, validation: data });
    train(net, data, { epochs: 2, learningRate: 0.1, batchSize: 2, epochCost: "running" });
    train(net, data, { epochs: 1, learningRate: 0.1, engine: "matrix", kernels: "js" });
    net.gradient(data);
    net.predict(x);
    net.evaluate(data);
    net.cost(data);
    const copy = net.clone();
    copy.predict(x);
    const loaded = parseModel(formatModel({ network: net })).network;
    expect(loaded.predict(x)).toEqual(net.predict(x));
    for (const n of [net, copy, loaded]) expect(built(n)).toBe(false);
    // and the probe sees one when it is asked for (of a smaller network, whose graph is quick to build)
    const small = Network.create({ sizes: [30, 20, 10], activation: ["relu", "softmax"], cost: "cross-entropy" });
    expect(small.engine().graph.nodes).toBeDefined();
    expect(built(small)).toBe(true);
  });

  it("predict, cost and gradient agree with core's evaluator on the network's own graph", () => {
    fc.assert(
      fc.property(netCase(5, 5), (c) => {
        const info = c.graph.layers!;
        const cost = Object.values(c.graph.nodes).find((n) => n.kind === "cost");
        if (cost?.kind !== "cost") throw new Error("no cost");
        const net = Network.fromParameters(
          { sizes: info.sizes, activation: info.activations, bias: info.bias, cost: cost.cost, l2: cost.l2 },
          c.theta,
        );
        expect(firstMismatch(net.predict(c.batch.x, c.batch.m), predict(c.graph, c.theta, c.batch))).toBe(-1);
        const g = net.gradient(c.batch);
        expect(firstMismatch(g.gradient, gradientValues(c.graph, c.theta, c.batch))).toBe(-1);
        expect(firstMismatch([net.cost(c.batch)], [g.cost])).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  it("symmetry: equal initial weights give identical gradients within a layer (so they never differ)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom(...ELEMENTWISE_ACTIVATIONS),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.boolean(),
        (hidden, hidden2, act, w, bias) => {
          const data = builtinDataset("moons", { size: 12, seed: 3 });
          const sizes = [2, hidden, hidden2, 1];
          const net = Network.create({ sizes, activation: act, bias });
          net.setParameters(new Float64Array(net.parameterCount).fill(w));
          const { gradient } = net.gradient(data);
          const at = (l: number, j: number, k: number) =>
            gradient[parameterIds(net.graph()).indexOf(paramId(net.graph(), l, j, k))]!;
          for (let l = 1; l < sizes.length; l++) {
            for (let j = 1; j <= sizes[l]!; j++) {
              for (let k = bias ? 0 : 1; k <= sizes[l - 1]!; k++) {
                // every neuron of layer l+1 gets the same gradient row as neuron 1 ...
                expect(at(l, j, k)).toBe(at(l, 1, k));
                // ... and, from a hidden layer, every sending neuron k the same entry
                if (l > 1 && k >= 1) expect(at(l, j, k)).toBe(at(l, j, 1));
              }
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
