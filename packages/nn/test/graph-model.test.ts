/**
 * Graph models: any GraphBuilder graph (skip connections, tied parameters, several outputs)
 * trains with the same trainer as a layered network, on core's compiled code — its numbers are
 * core's, its gradients equal finite differences all along training, and it saves and loads bit
 * for bit.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  ArgumentError,
  type Batch,
  compareWithDifferences,
  costValue,
  ELEMENTWISE_ACTIVATIONS,
  type Graph,
  GraphBuilder,
  gradientValues,
  layered,
  type NodeHandle,
  parameterIds,
  predict,
} from "@chainrule/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { dagCase, nearKink } from "../../core/test/arbitraries.js";
import {
  builtinDataset,
  formatModel,
  GraphEngine,
  GraphModel,
  ModelFileError,
  Network,
  OptionError,
  parseGraphModel,
  parseModel,
  train,
} from "../src/index.js";
import { readGraphModelFile, writeModelFile } from "../src/node.js";
import { close, firstMismatch } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-graph-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xor = builtinDataset("xor");

/** XOR with a skip connection: 2 inputs → 3 tanh units → sigmoid output, which also reads the inputs directly. */
function skipNet(): Graph {
  const b = new GraphBuilder();
  const xs = [b.input("x1"), b.input("x2")];
  const hs = [1, 2, 3].map((i) =>
    b.activate(
      `h${i}`,
      "tanh",
      b.z(
        `u${i}`,
        xs.map((x, k) => [b.param(`w${i}${k + 1}`), x] as const),
        { bias: b.param(`c${i}`, "bias") },
      ),
    ),
  );
  const direct = xs.map((x, k) => [b.param(`s${k + 1}`), x] as const);
  const out = b.activate(
    "p",
    "sigmoid",
    b.z("o", [...hs.map((h, i) => [b.param(`v${i + 1}`), h] as const), ...direct], { bias: b.param("d", "bias") }),
  );
  b.cost("binary-cross-entropy", [out], [b.target("y")]);
  return b.build();
}

/**
 * A convolution with tied weights on 4-bit strings: one kernel (k1, k2, c) slides over the three
 * adjacent pairs, one weight v reads all three units. Target: are two adjacent bits both 1?
 */
function tiedNet(): Graph {
  const b = new GraphBuilder();
  const xs = [1, 2, 3, 4].map((i) => b.input(`x${i}`));
  const [k1, k2, c, v, d] = [b.param("k1"), b.param("k2"), b.param("c", "bias"), b.param("v"), b.param("d", "bias")];
  const hs = [0, 1, 2].map((i) =>
    b.activate(
      `h${i + 1}`,
      "tanh",
      b.z(
        `u${i + 1}`,
        [
          [k1, xs[i]!],
          [k2, xs[i + 1]!],
        ],
        { bias: c },
      ),
    ),
  );
  const out = b.activate(
    "p",
    "sigmoid",
    b.z(
      "o",
      hs.map((h) => [v, h] as const),
      { bias: d },
    ),
  );
  b.cost("binary-cross-entropy", [out], [b.target("y")]);
  return b.build();
}
const bits = Array.from({ length: 16 }, (_, n) => [0, 1, 2, 3].map((i) => (n >> i) & 1));
const pairs = { x: bits, y: bits.map((r) => [r.some((v, i) => i < 3 && v === 1 && r[i + 1] === 1) ? 1 : 0]) };

/** Two outputs over a softmax group, reading a hidden layer and (skipping it) the inputs: XOR one-hot. */
function twoOutputs(): Graph {
  const b = new GraphBuilder();
  const xs = [b.input("x1"), b.input("x2")];
  const hs = [1, 2, 3].map((i) =>
    b.activate(
      `h${i}`,
      "tanh",
      b.z(
        `u${i}`,
        xs.map((x, k) => [b.param(`w${i}${k + 1}`), x] as const),
        { bias: b.param(`c${i}`, "bias") },
      ),
    ),
  );
  const zs = [1, 2].map((j) =>
    b.z(`o${j}`, [...hs.map((h, i) => [b.param(`v${j}${i + 1}`), h] as const), [b.param(`s${j}`), xs[0]!]], {
      bias: b.param(`d${j}`, "bias"),
    }),
  );
  const outs: NodeHandle<"a">[] = b.softmax(["p1", "p2"], zs);
  b.cost("cross-entropy", outs, [b.target("y1"), b.target("y2")]);
  return b.build();
}

/** The engine's gradient at the model's parameters against central differences of J. */
function gradientMatchesDifferences(model: GraphModel, data: Batch): void {
  const { gradient } = model.gradient(data);
  const check = compareWithDifferences(model.graph(), model.parameters(), data, gradient);
  expect(check.passed, `worst ${check.worst}: ${check.worstEntry?.error}`).toBe(true);
  // and the δ form core's interpreter evaluates
  expect(firstMismatch(gradient, gradientValues(model.graph(), model.parameters(), data))).toBe(-1);
}

describe("GraphModel trains any graph", () => {
  it("a skip-connection network learns XOR, its gradients equal finite differences all along", () => {
    for (const seed of [0, 1, 2]) {
      const model = GraphModel.create(skipNet(), { seed });
      const before = model.evaluate(xor);
      let checked = 0;
      const r = train(model, xor, {
        epochs: 2000,
        learningRate: 0.5,
        onEpoch: (record, m) => {
          if (record.epoch === 1 || record.epoch % 400 === 0) {
            gradientMatchesDifferences(m, xor);
            checked++;
          }
        },
      });
      const after = model.evaluate(xor);
      expect(checked).toBe(6);
      expect(after.accuracy).toBe(1);
      expect(after.cost).toBeLessThan(before.cost / 20);
      expect(r.history.at(-1)!.cost).toBe(after.cost);
    }
  });

  it("a tied-weight network (one kernel over three positions) learns its task; tied gradients sum over the uses", () => {
    const graph = tiedNet();
    expect(parameterIds(graph)).toHaveLength(5);
    for (const seed of [0, 1, 2]) {
      const model = GraphModel.create(graph, { seed });
      const before = model.evaluate(pairs);
      const data = model.checked(pairs);
      train(model, pairs, {
        epochs: 2000,
        learningRate: 0.5,
        onEpoch: (record, m) => void (record.epoch % 500 === 1 && gradientMatchesDifferences(m, data)),
      });
      const after = model.evaluate(pairs);
      expect(after.accuracy).toBe(1);
      expect(after.cost).toBeLessThan(before.cost / 20);
      gradientMatchesDifferences(model, data);
    }
  });

  it("a graph with two outputs over a softmax group learns one-hot XOR with Adam and minibatches", () => {
    const model = GraphModel.create(twoOutputs(), { seed: 3 });
    const onehot = {
      x: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [
        [1, 0],
        [0, 1],
        [0, 1],
        [1, 0],
      ],
    };
    const before = model.evaluate(onehot);
    const r = train(model, onehot, { epochs: 400, learningRate: 0.05, optimizer: "adam", batchSize: 2, seed: 1 });
    expect(model.evaluate(onehot).accuracy).toBe(1);
    expect(r.history.at(-1)!.cost).toBeLessThan(before.cost / 10);
    expect(model.predict([[0, 1]])).toHaveLength(2);
  });

  it("on random graphs (skip connections, tied parameters, several outputs) J, ∂J/∂θ and outputs are core's", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => {
        const model = GraphModel.fromParameters(graph, theta);
        const engine = model.engine();
        const grad = new Float64Array(theta.length);
        const J = engine.gradient(theta, data, grad);
        expect(close(J, costValue(graph, theta, data), 1e-9, 1e-12)).toBe(true);
        expect(firstMismatch(grad, gradientValues(graph, theta, data))).toBe(-1);
        // the emitted forward pass computes what core's interpreter does, operation for operation
        expect(Array.from(model.predict(data.x, data.m))).toEqual(Array.from(predict(graph, theta, data)));
        expect(engine.cost(theta, data)).toBe(J);
      }),
      { numRuns: 150 },
    );
  });

  it("on random graphs one full-batch SGD epoch is θ − η ∂J/∂θ, and the epoch's cost is J at the new θ", () => {
    fc.assert(
      fc.property(dagCase, fc.double({ min: 0.01, max: 0.5, noNaN: true }), ({ graph, theta, data }, lr) => {
        const model = GraphModel.fromParameters(graph, theta);
        const g = gradientValues(graph, theta, data);
        const r = train(model, data, { epochs: 1, learningRate: lr });
        expect(
          firstMismatch(
            model.parameters(),
            theta.map((t, i) => t - lr * g[i]!),
          ),
        ).toBe(-1);
        expect(close(r.history[0]!.cost, costValue(graph, model.parameters(), data), 1e-9, 1e-12)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("minibatch epochs measure J over the whole set through the per-example loss, as core's costValue", () => {
    fc.assert(
      fc.property(dagCase, fc.integer({ min: 1, max: 2 }), ({ graph, theta, data }, B) => {
        const model = GraphModel.fromParameters(graph, theta);
        const r = train(model, data, { epochs: 2, learningRate: 0.05, batchSize: B });
        expect(close(r.history[1]!.cost, costValue(graph, model.parameters(), data), 1e-9, 1e-12)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("on random graphs, gradients during training equal finite differences", () => {
    fc.assert(
      fc.property(dagCase, ({ graph, theta, data }) => {
        const model = GraphModel.fromParameters(graph, theta);
        for (let round = 0; round < 3; round++) {
          if (!nearKink(graph, model.parameters(), data)) {
            const check = compareWithDifferences(graph, model.parameters(), data, model.gradient(data).gradient);
            expect(check.passed, `${check.worst}`).toBe(true);
          }
          train(model, data, { epochs: 5, learningRate: 0.05 });
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a layered graph as a GraphModel starts and trains as its Network, bit for bit (both on compiled code)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }),
        fc.constantFrom(...ELEMENTWISE_ACTIVATIONS),
        fc.constantFrom("auto", "glorot", "he", "uniform") as fc.Arbitrary<"auto" | "glorot" | "he" | "uniform">,
        fc.nat({ max: 1000 }),
        (sizes, act, method, seed) => {
          sizes[0] = 2;
          sizes[sizes.length - 1] = 1;
          const spec = { sizes, activation: [...sizes.slice(2).map(() => act), "sigmoid" as const] };
          const net = Network.create(spec, { method, seed });
          const model = GraphModel.create(layered(spec), { method, seed });
          expect(Array.from(model.parameters())).toEqual(Array.from(net.parameters()));
          const a = train(net, xor, { epochs: 20, learningRate: 1, engine: "compiled", seed });
          const b = train(model, xor, { epochs: 20, learningRate: 1, seed });
          expect(Array.from(model.parameters())).toEqual(Array.from(net.parameters()));
          expect(b.history).toEqual(a.history);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("frozen parameters (by id or every bias) stay as they are; the others train", () => {
    const model = GraphModel.create(skipNet(), { seed: 5 });
    model.setFrozen(["v1", "s2"]);
    // in parameter order: the direct weights s are made before the v's
    expect(model.frozen()).toEqual(["s2", "v1"]);
    const start = model.parameters();
    train(model, xor, { epochs: 50, learningRate: 0.5, optimizer: "momentum" });
    const ids = model.parameterIds;
    ids.forEach((id, i) => {
      if (id === "v1" || id === "s2") expect(model.parameter(id)).toBe(start[i]);
      else expect(model.parameter(id)).not.toBe(start[i]);
    });
    model.setFrozen("biases");
    const before = model.parameterValues();
    train(model, xor, { epochs: 10, learningRate: 0.5 });
    for (const id of ["c1", "c2", "c3", "d"]) expect(model.parameter(id)).toBe(before[id]);
    expect(() => model.setFrozen(["w1"])).toThrow(ArgumentError);
    expect(() => model.setFrozen(["w1"])).toThrow(/Did you mean "w11"\?/);
  });

  it("early stopping, validation and resuming work as for a Network", () => {
    const moons = builtinDataset("moons", { size: 60, seed: 2 });
    const b = new GraphBuilder();
    const xs = [b.input("x1"), b.input("x2")];
    const hs = [1, 2, 3, 4].map((i) =>
      b.activate(
        `h${i}`,
        "tanh",
        b.z(
          `u${i}`,
          xs.map((x, k) => [b.param(`w${i}${k}`), x] as const),
          { bias: b.param(`c${i}`, "bias") },
        ),
      ),
    );
    b.cost(
      "binary-cross-entropy",
      [
        b.activate(
          "p",
          "sigmoid",
          b.z("o", [...hs.map((h, i) => [b.param(`v${i}`), h] as const), [b.param("s"), xs[1]!]]),
        ),
      ],
      [b.target("y")],
    );
    const graph = b.build();
    const whole = GraphModel.create(graph, { seed: 1 });
    const all = train(whole, moons, { epochs: 30, learningRate: 0.3, batchSize: 8, seed: 4, validationSplit: 0.25 });
    const half = GraphModel.create(graph, { seed: 1 });
    const first = train(half, moons, { epochs: 15, learningRate: 0.3, batchSize: 8, seed: 4, validationSplit: 0.25 });
    const second = train(half, moons, {
      epochs: 15,
      learningRate: 0.3,
      batchSize: 8,
      seed: 4,
      validationSplit: 0.25,
      resume: first.resume,
    });
    expect(Array.from(half.parameters())).toEqual(Array.from(whole.parameters()));
    expect([...first.history, ...second.history]).toEqual(all.history);
    expect(all.history[0]!.validationAccuracy).toBeTypeOf("number");
    const stopped = train(GraphModel.create(graph, { seed: 1 }), moons, {
      epochs: 500,
      learningRate: 3,
      earlyStopping: { patience: 3 },
    });
    expect(["early-stopping", "epochs"]).toContain(stopped.stopReason);
  });

  it("refuses what is not a graph, the matrix engine, and graphs too large for compiled code", () => {
    expect(() => GraphModel.create({} as Graph)).toThrow(OptionError);
    expect(() => GraphModel.create(42 as unknown as Graph)).toThrow(/needs a core graph/);
    const model = GraphModel.create(skipNet());
    expect(() => model.engine({ kind: "matrix" })).toThrow(/matrix engine is for layered Networks/);
    expect(() => train(model, xor, { epochs: 1, learningRate: 1, engine: "matrix" })).toThrow(OptionError);
    expect(() => new GraphEngine(layered({ sizes: [200, 101, 1] }))).toThrow(/limited to 20000/);
    expect(() => GraphModel.fromParameters(skipNet(), { w11: 1 })).toThrow(
      /Parameter "w12" needs a finite number; got none/,
    );
    expect(() => GraphModel.fromParameters(skipNet(), [1, 2])).toThrow(
      /The graph \(2 inputs and 1 output\) has 15 parameters; got 2 values/,
    );
  });
});

describe("graph model files", () => {
  it("save → load gives the graph, every parameter and the predictions bit for bit, with frozen set, classes and training state", () => {
    const model = GraphModel.create(twoOutputs(), { seed: 9 });
    model.setFrozen(["s1", "d2"]);
    const onehot = {
      x: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [
        [1, 0],
        [0, 1],
        [0, 1],
        [1, 0],
      ],
    };
    const r = train(model, onehot, { epochs: 30, learningRate: 0.1, optimizer: "adam" });
    const path = join(dir, "two.json");
    writeModelFile(path, {
      network: model,
      classes: ["same", "different"],
      training: { epochs: 30, optimizer: r.resume.optimizer, random: r.resume.random, history: r.history },
    });
    const back = readGraphModelFile(path);
    expect(back.network.graph()).toEqual(model.graph());
    expect(back.network.parameterIds).toEqual(model.parameterIds);
    const [a, b] = [back.network.parameters(), model.parameters()];
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i])).toBe(true);
    const grid = Array.from({ length: 25 }, (_, i) => [(i % 5) / 4, Math.floor(i / 5) / 4]);
    expect(Array.from(back.network.predict(grid))).toEqual(Array.from(model.predict(grid)));
    expect(back.network.frozen()).toEqual(["s1", "d2"]);
    expect(back.classes).toEqual(["same", "different"]);
    expect(back.training?.history).toEqual(r.history);
    // resuming from the file continues the run exactly
    const saved = back.training!;
    const more = train(back.network, onehot, {
      epochs: 5,
      learningRate: 0.1,
      optimizer: "adam",
      resume: { optimizer: saved.optimizer!, random: saved.random!, epochs: saved.epochs },
    });
    const cont = train(model, onehot, { epochs: 5, learningRate: 0.1, optimizer: "adam", resume: r.resume });
    expect(more.history).toEqual(cont.history);
  });

  it("save → load is exact for any values (−0, subnormals, extremes) on random graphs with awkward node names", () => {
    const anyDouble = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(-0, Number.MIN_VALUE, -Number.MAX_VALUE, 0.1 + 0.2),
    );
    fc.assert(
      fc.property(dagCase, fc.array(anyDouble, { minLength: 1, maxLength: 40 }), ({ graph, data }, vals) => {
        const n = parameterIds(graph).length;
        const model = GraphModel.fromParameters(
          graph,
          Float64Array.from({ length: n }, (_, i) => vals[i % vals.length]!),
        );
        const back = parseGraphModel(formatModel({ network: model }), "g.json").network;
        expect(back.graph()).toEqual(graph);
        const [a, b] = [back.parameters(), model.parameters()];
        for (let i = 0; i < n; i++) expect(Object.is(a[i], b[i])).toBe(true);
        if (vals.every((v) => Math.abs(v) < 2))
          expect(Array.from(back.predict(data.x, data.m))).toEqual(Array.from(model.predict(data.x, data.m)));
      }),
      { numRuns: 150 },
    );
  });

  it("docs/formats.md's graph-form example reads, is what formatModel writes, and has a tied and a skipping weight", () => {
    const md = readFileSync(resolve(import.meta.dirname, "../../../docs/formats.md"), "utf8");
    const text = md.split("### The graph form")[1]!.split("```json\n")[1]!.split("```")[0]!;
    const { network } = parseGraphModel(text, "formats.md");
    expect(formatModel({ network })).toBe(text);
    expect(network.parameterValues()).toEqual({ w: 0.8, s: 0.5 });
    // J = ½(out − y)², out = w·tanh(w·x) + s·x
    expect(network.predict([[0.3]])[0]).toBe(0.8 * Math.tanh(0.8 * 0.3) + 0.5 * 0.3);
  });

  it("each form is read by its own reader, and bad graph files name the field", () => {
    const text = formatModel({ network: GraphModel.create(skipNet()) });
    expect(() => parseModel(text, "g.json")).toThrow(/g\.json: this file holds a graph model .*parseGraphModel/);
    const layeredText = formatModel({ network: Network.create({ sizes: [2, 1] }) });
    expect(() => parseGraphModel(layeredText, "l.json")).toThrow(
      /l\.json: this file holds no "graph" \(it is a layered network/,
    );
    const doc = JSON.parse(text) as { graph: { nodes: Record<string, unknown> }; parameters: Record<string, unknown> };
    const bad = (edit: (d: typeof doc) => void, pattern: RegExp) => {
      const d = structuredClone(doc);
      edit(d);
      expect(() => parseGraphModel(JSON.stringify(d), "g.json")).toThrow(ModelFileError);
      expect(() => parseGraphModel(JSON.stringify(d), "g.json")).toThrow(pattern);
    };
    bad((d) => delete d.graph.nodes.x1, /"graph": Node "u1" reads "x1" as its input, but there is no node "x1"/);
    bad(
      (d) => (d.graph.nodes.h1 = { kind: "a", id: "h1", activation: "sigmod", z: "u1", group: null }),
      /Unknown activation "sigmod"\. Did you mean "sigmoid"\?/,
    );
    bad((d) => delete d.parameters.w11, /"parameters": Parameter "w11" needs a finite number; got none/);
    bad((d) => (d.parameters.w11 = "1"), /parameters\["w11"\] must be a finite number, got "1"/);
    bad((d) => (d.parameters.nope = 1), /"parameters": There is no parameter "nope"/);
    bad((d) => Object.assign(d, { frozen: ["w99"] }), /"frozen": There is no parameter "w99"/);
    bad((d) => Object.assign(d, { layers: [2, 1] }), /"layers" belongs to the layered form/);
    bad((d) => Object.assign(d, { graph: [] }), /"graph" is core's graph data/);
  });
});
