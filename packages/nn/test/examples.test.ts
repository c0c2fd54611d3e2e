/**
 * Data as people write it: rows of numbers and flat arrays with m give the same predictions,
 * costs, gradients, evaluations and training runs, and a shape that does not fit is a ShapeError
 * naming the expected and the actual shape — never a message about NaN or undefined.
 */

import { ChainruleError, type Graph, GraphBuilder } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE } from "../../core/test/hostile.js";
import { builtinDataset, type Examples, GraphModel, Network, OptionError, ShapeError, train } from "../src/index.js";

/** A model (a Network, or a GraphModel with a skip connection) of `nIn` inputs and `nOut` outputs. */
function modelOf(kind: "network" | "graph", nIn: number, nOut: number, seed: number): Network | GraphModel {
  if (kind === "network") return Network.create({ sizes: [nIn, 3, nOut], activation: ["tanh", "sigmoid"] }, { seed });
  const b = new GraphBuilder();
  const xs = Array.from({ length: nIn }, (_, k) => b.input(`x${k + 1}`));
  const h = b.activate(
    "h",
    "tanh",
    b.z(
      "u",
      xs.map((x, k) => [b.param(`w${k}`), x] as const),
    ),
  );
  const outs = Array.from({ length: nOut }, (_, j) =>
    b.activate(
      `p${j}`,
      "sigmoid",
      b.z(
        `o${j}`,
        [
          [b.param(`v${j}`), h],
          [b.param(`s${j}`), xs[0]!],
        ],
        { bias: b.param(`c${j}`, "bias") },
      ),
    ),
  );
  b.cost(
    "mse",
    outs,
    outs.map((_, j) => b.target(`y${j}`)),
  );
  return GraphModel.create(b.build() as Graph, { seed });
}

// multiples of 1/8: exact in a Float32Array too
const value = fc.integer({ min: -24, max: 24 }).map((v) => v / 8);
/** A model and m rows of inputs and targets for it. */
const withRows = fc
  .record({
    kind: fc.constantFrom<"network" | "graph">("network", "graph"),
    nIn: fc.integer({ min: 1, max: 4 }),
    nOut: fc.integer({ min: 1, max: 3 }),
    m: fc.integer({ min: 1, max: 7 }),
    seed: fc.nat({ max: 99 }),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      xs: fc.array(fc.array(value, { minLength: c.nIn, maxLength: c.nIn }), { minLength: c.m, maxLength: c.m }),
      ys: fc.array(fc.array(fc.constantFrom(0, 1, 0.25), { minLength: c.nOut, maxLength: c.nOut }), {
        minLength: c.m,
        maxLength: c.m,
      }),
    }),
  );

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));

describe("rows and flat arrays", () => {
  it("predict, cost, gradient and evaluate give identical results for rows, flat typed arrays (with or without m) and flat lists", () => {
    fc.assert(
      fc.property(withRows, ({ c, xs, ys }) => {
        const model = modelOf(c.kind, c.nIn, c.nOut, c.seed);
        const flat = { m: c.m, x: Float64Array.from(xs.flat()), y: Float64Array.from(ys.flat()) };
        const forms: Examples[] = [
          { x: xs, y: ys },
          flat,
          { x: xs.flat(), y: ys.flat() },
          { x: Float32Array.from(xs.flat()), y: ys },
          { x: xs.map((r) => Float64Array.from(r)), y: ys, m: c.m },
        ];
        const want = model.predict(flat.x, c.m);
        same(model.predict(xs), want);
        same(model.predict(flat.x), want);
        same(model.predict(xs.flat()), want);
        same(model.predict(xs, c.m), want);
        const cost = model.cost(flat);
        const grad = model.gradient(flat).gradient;
        const ev = model.evaluate(flat);
        for (const f of forms) {
          expect(model.cost(f)).toBe(cost);
          same(model.gradient(f).gradient, grad);
          expect(model.evaluate(f)).toEqual(ev);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("training on rows is training on the same flat batch, bit for bit (validation data too)", () => {
    fc.assert(
      fc.property(withRows, fc.integer({ min: 1, max: 3 }), ({ c, xs, ys }, B) => {
        const a = modelOf(c.kind, c.nIn, c.nOut, c.seed);
        const b = a.clone();
        const flat = { m: c.m, x: Float64Array.from(xs.flat()), y: Float64Array.from(ys.flat()) };
        const ra = train(
          a as Network,
          { x: xs, y: ys },
          { epochs: 3, learningRate: 0.3, batchSize: B, seed: c.seed, validation: { x: xs, y: ys } },
        );
        const rb = train(b as Network, flat, {
          epochs: 3,
          learningRate: 0.3,
          batchSize: B,
          seed: c.seed,
          validation: flat,
        });
        same(a.parameters(), b.parameters());
        expect(ra.history).toEqual(rb.history);
      }),
      { numRuns: 60 },
    );
  });

  it("XOR as users write it trains", () => {
    const net = Network.create({ sizes: [2, 4, 1] }, { seed: 0 });
    const data = {
      x: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [0, 1, 1, 0],
    };
    train(net, data, { epochs: 3000, learningRate: 1 });
    expect(net.evaluate(data).accuracy).toBe(1);
    const p = net.predict([
      [0, 0],
      [1, 1],
    ]);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[1]).toBeLessThan(0.5);
    expect(net.predict([0, 1])[0]).toBeGreaterThan(0.5);
  });
});

/** Every message a call gives, when it throws. */
function messageOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ChainruleError);
    return (e as Error).message;
  }
}

describe("shapes that do not fit", () => {
  it("rows of the wrong width, a wrong row count and ragged rows are ShapeErrors naming both shapes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<"network" | "graph">("network", "graph"),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (kind, nIn, m, width, bad) => {
          fc.pre(width !== nIn);
          const model = modelOf(kind, nIn, 1, 0);
          const rows = Array.from({ length: m }, () => new Array<number>(width).fill(0.5));
          let e: unknown;
          try {
            model.predict(rows);
          } catch (err) {
            e = err;
          }
          expect(e).toBeInstanceOf(ShapeError);
          const s = e as ShapeError;
          expect(s.expected).toEqual(["m", nIn]);
          expect(s.actual).toEqual([m, width]);
          expect(s.message).toContain(`[m, ${nIn}]`);
          expect(s.message).toContain(`[${m}, ${width}]`);
          // ragged: one row of another width among rows of the right one
          const ragged = Array.from({ length: m + 1 }, (_, i) =>
            new Array<number>(i === bad % (m + 1) ? width : nIn).fill(1),
          );
          expect(() => model.predict(ragged)).toThrow(ShapeError);
          // targets with another number of rows than the inputs
          const x = Array.from({ length: m }, () => new Array<number>(nIn).fill(0));
          const y = Array.from({ length: m + bad }, () => [0]);
          let t: unknown;
          try {
            model.evaluate({ x, y });
          } catch (err) {
            t = err;
          }
          expect(t).toBeInstanceOf(ShapeError);
          expect((t as ShapeError).expected).toEqual([m, 1]);
          expect((t as ShapeError).actual).toEqual([m + bad, 1]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("a flat array whose length is not m × inputs names its length and the expected shape", () => {
    const net = Network.create({ sizes: [2, 4, 1] });
    expect(() => net.predict(Float64Array.of(0, 0, 1), 2)).toThrow(
      "predict's inputs are a flat array of 3 numbers for m = 2 (shape [3]); a 2-4-1 network takes [2, 2] (2 examples of 2 inputs): 4 numbers row by row.",
    );
    expect(() => net.predict([0, 0, 1])).toThrow(
      "predict's inputs are a flat array of 3 numbers (shape [3]); a 2-4-1 network takes [m, 2] (one row of 2 inputs per example): give rows, or a flat array of a multiple of 2 numbers.",
    );
    expect(() =>
      net.predict([
        [0, 0],
        [1, 1, 1],
      ]),
    ).toThrow(
      "predict's inputs have rows of different lengths: row 2 has 3 numbers (shape [2, 3] there); a 2-4-1 network takes [m, 2] (one row of 2 inputs per example).",
    );
    expect(() => net.evaluate({ x: [[0, 0]], y: [[1], [0]] })).toThrow(
      "The data's targets have 2 rows (shape [2, 1]); a 2-4-1 network takes [1, 1] (one row of 1 target for the 1 example of the inputs).",
    );
    expect(() => train(net, { x: [[0, 0]], y: [] }, { epochs: 1, learningRate: 1 })).toThrow(
      "The training data's targets are empty (shape [0]); a 2-4-1 network takes [1, 1] (one row of 1 target for the 1 example of the inputs), at least one example.",
    );
    expect(() => net.predict([[[0], [1]]] as never)).toThrow(/nested three deep .*shape \[1, 2, 1\]/);
  });

  it("no message about data ever says NaN or undefined, whatever is given", () => {
    const net = Network.create({ sizes: [2, 3, 1] });
    const graph = modelOf("graph", 2, 1, 0);
    const bits = fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.constantFrom(
        NaN,
        undefined,
        Infinity,
        -0,
        [NaN, 1],
        [undefined, 1],
        [
          [0, 0],
          [NaN, 1],
        ],
        [[0, undefined]],
        [[0, 0], undefined],
        [[0, 0], [1]],
        [],
        [[]],
        "0,0",
        { length: 2 },
      ),
    );
    const m = fc.constantFrom(undefined, NaN, 0, -1, 1.5, 2, "2", Infinity);
    fc.assert(
      fc.property(bits, bits, m, (x, y, mm) => {
        for (const model of [net, graph]) {
          const messages = [
            messageOf(() => model.predict(x as never, mm as never)),
            messageOf(() => model.evaluate({ x, y, m: mm } as never)),
            messageOf(() => model.cost({ x, y } as never)),
            messageOf(() => train(model as Network, { x, y } as never, { epochs: 1, learningRate: 1 })),
            messageOf(() => model.evaluate(x as never)),
          ];
          // what the caller gave may be quoted back as text ("NaN" given as a string); the words of the message never say it
          for (const msg of messages)
            if (msg !== null) expect(msg.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/NaN|undefined/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a value that is not a finite number is named by example and position", () => {
    const net = Network.create({ sizes: [2, 3, 1] });
    expect(() =>
      net.predict([
        [0, 1],
        [2, NaN],
      ]),
    ).toThrow("predict's inputs: example 2, input 2 is not a finite number. Give finite numbers only.");
    expect(() => net.predict(Float64Array.of(0, 1, Infinity, 2))).toThrow(
      "predict's inputs: example 2, input 1 is not a finite number.",
    );
    expect(() => net.evaluate({ x: [[0, 1]], y: [["1"]] } as never)).toThrow(OptionError);
    expect(() => net.evaluate({ x: [[0, 1]], y: [["1"]] } as never)).toThrow(
      'The data\'s targets: example 1, target 1 is text "1", not a number.',
    );
    expect(() =>
      net.predict([
        [0, 1],
        [2, undefined],
      ] as never),
    ).toThrow("example 2, input 2 is missing");
  });

  it("a dataset of another shape names the dataset and both shapes", () => {
    const model = modelOf("graph", 3, 1, 0);
    expect(() => model.evaluate(builtinDataset("xor"))).toThrow(
      "xor: the data has 2 inputs per example, the model expects 3 (the graph (3 inputs and 1 output)).",
    );
  });
});
