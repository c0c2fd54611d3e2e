/**
 * Frozen parameters: no update rule (nor its state, nor L2) moves them, the others train exactly
 * as if the frozen gradients were 0, gradients are still reported, and the set survives save and
 * load.
 */

import { ArgumentError, type Batch, parameterIds, paramId } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createOptimizer,
  DivergenceError,
  formatModel,
  ModelFileError,
  Network,
  OPTIMIZERS,
  type OptimizerName,
  OptionError,
  type ParameterAddress,
  parseModel,
  type TrainResult,
  train,
} from "../src/index.js";
import { type NetCase, netCase } from "./helpers.js";

/** The network of a random case, with its parameters. */
function networkOf(c: NetCase): Network {
  const info = c.graph.layers!;
  const cost = Object.values(c.graph.nodes).find((n) => n.kind === "cost");
  if (cost?.kind !== "cost") throw new Error("no cost");
  return Network.fromParameters(
    { sizes: info.sizes, activation: info.activations, bias: info.bias, cost: cost.cost, l2: cost.l2 },
    c.theta,
  );
}

/** Every address of a network, in core's parameter order (read from core's ids theta_l_j_k). */
function addresses(net: Network): ParameterAddress[] {
  return parameterIds(net.graph()).map((id) => id.split("_").slice(1).map(Number) as unknown as ParameterAddress);
}

/** Examples [start, end) of a batch. */
function slice(b: Batch, nIn: number, nOut: number, start: number, end: number): Batch {
  return { m: end - start, x: b.x.slice(start * nIn, end * nIn), y: b.y.slice(start * nOut, end * nOut) };
}

/** ±0 as 0, so that "the same number" is compared (a frozen −0 stays −0; 0 + v = 0 when v = 0). */
const plain = (a: ArrayLike<number>) => Array.from(a, (v) => (v === 0 ? 0 : v));

/** A random network, a random frozen set (sometimes "biases"), an optimizer and a short run. */
const runCase = netCase(5, 6).chain((c) => {
  const n = c.theta.length;
  return fc.record({
    c: fc.constant(c),
    pick: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    biases: fc.boolean(),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    lr: fc.double({ min: 0.01, max: 1, noNaN: true }),
    epochs: fc.integer({ min: 1, max: 4 }),
    batchSize: fc.integer({ min: 1, max: c.batch.m }),
  });
});

describe("frozen parameters in training", () => {
  it("are never moved by any optimizer, and the others move exactly as with their gradients zeroed", () => {
    fc.assert(
      fc.property(runCase, ({ c, pick, biases, optimizer, lr, epochs, batchSize }) => {
        const net = networkOf(c);
        const all = addresses(net);
        net.setFrozen(biases && net.spec.bias ? "biases" : all.filter((_, i) => pick[i]));
        const mask = net.frozenMask() ?? new Uint8Array(net.parameterCount);
        const before = net.parameters();
        const sizes = net.spec.sizes;
        const nIn = sizes[0]!;
        const nOut = sizes[sizes.length - 1]!;

        // the oracle: the same rule, unfrozen, fed gradients whose frozen entries are set to 0
        const ref = networkOf(c);
        const opt = createOptimizer(optimizer, ref.parameterCount);
        let theta = ref.parameters();
        let oracleDiverged = false;
        for (let ep = 0; ep < epochs && !oracleDiverged; ep++) {
          for (let s = 0; s < c.batch.m; s += batchSize) {
            const g = ref.gradient(slice(c.batch, nIn, nOut, s, Math.min(c.batch.m, s + batchSize))).gradient;
            mask.forEach((f, i) => {
              if (f === 1) g[i] = 0;
            });
            const next = new Float64Array(theta.length);
            if (!Number.isFinite(opt.step(theta, g, next, lr))) {
              oracleDiverged = true;
              break;
            }
            theta = next;
            ref.setParameters(theta);
          }
        }

        let diverged = false;
        try {
          train(net, c.batch, { epochs, learningRate: lr, optimizer, batchSize, shuffle: false });
        } catch (e) {
          if (!(e instanceof DivergenceError)) throw e;
          diverged = true;
        }
        const after = net.parameters();
        mask.forEach((f, i) => {
          if (f === 1) expect(Object.is(after[i], before[i]), `${c.label} ${optimizer}: θ${i} moved`).toBe(true);
        });
        if (diverged || oracleDiverged) return;
        expect(plain(after), `${c.label} ${optimizer} B=${batchSize}`).toEqual(plain(theta));
      }),
      { numRuns: 150 },
    );
  });

  it("gradients are still computed and reported for frozen parameters", () => {
    fc.assert(
      fc.property(runCase, ({ c, pick }) => {
        const net = networkOf(c);
        const free = net.gradient(c.batch);
        net.setFrozen(addresses(net).filter((_, i) => pick[i]));
        expect(net.gradient(c.batch)).toEqual(free);
      }),
      { numRuns: 40 },
    );
  });

  it("a resumed run's optimizer state does not move them, and their state entries stay as saved", () => {
    fc.assert(
      fc.property(runCase, fc.constantFrom<OptimizerName>("momentum", "adam"), ({ c, pick, lr }, optimizer) => {
        const net = networkOf(c);
        // two epochs unfrozen: every state entry has moved away from 0
        const first = train(net, c.batch, { epochs: 2, learningRate: lr, optimizer });
        const all = addresses(net);
        net.setFrozen(all.filter((_, i) => pick[i]));
        const mask = net.frozenMask() ?? new Uint8Array(net.parameterCount);
        const before = net.parameters();
        let second: TrainResult;
        try {
          second = train(net, c.batch, { epochs: 3, learningRate: lr, optimizer, resume: first.resume });
        } catch (e) {
          if (e instanceof DivergenceError) return;
          throw e;
        }
        const after = net.parameters();
        const saved = first.resume.optimizer.vectors;
        const now = second.resume.optimizer.vectors;
        mask.forEach((f, i) => {
          if (f !== 1) return;
          expect(Object.is(after[i], before[i])).toBe(true);
          for (const k of Object.keys(saved)) expect(now[k]![i]).toBe(saved[k]![i]);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("with L2, frozen weights are not decayed: their L2 gradient is reported, and no rule applies it", () => {
    const net = Network.create({ sizes: [2, 3, 1], l2: 5 }, { seed: 3, epsilon: 1 });
    const weights = addresses(net).filter(([, , k]) => k !== 0);
    net.setFrozen(weights);
    const before = net.parameters();
    const data = { m: 2, x: Float64Array.of(0.1, 0.2, -0.3, 0.4), y: Float64Array.of(0, 1) };
    // the reported gradient of every weight includes (λ/m)θ
    const noL2 = Network.fromParameters({ sizes: [2, 3, 1] }, before).gradient(data).gradient;
    const reported = net.gradient(data).gradient;
    weights.forEach(([l, j, k]) => {
      const i = parameterIds(net.graph()).indexOf(paramId(net.graph(), l, j, k));
      expect(reported[i]! - noL2[i]!).toBeCloseTo((5 / 2) * before[i]!, 12);
    });
    for (const optimizer of OPTIMIZERS) {
      const n = net.clone();
      train(n, data, { epochs: 20, learningRate: 0.5, optimizer });
      for (const [l, j, k] of weights) expect(n.weight(l, j, k)).toBe(net.weight(l, j, k));
      // the biases, not frozen, train
      expect(n.weight(1, 1, 0)).not.toBe(net.weight(1, 1, 0));
    }
  });
});

describe("Network.setFrozen", () => {
  it('"biases" freezes exactly the θ⁽ˡ⁾_j0; a list is kept in parameter order without repeats; null or [] clears', () => {
    const net = Network.create({ sizes: [3, 2, 2] });
    net.setFrozen("biases");
    expect(net.frozen()).toBe("biases");
    const ids = parameterIds(net.graph());
    expect(Array.from(net.frozenMask()!)).toEqual(ids.map((id) => (id.endsWith("_0") ? 1 : 0)));
    net.setFrozen([
      [2, 2, 1],
      [1, 1, 0],
      [2, 2, 1],
      [1, 2, 3],
    ]);
    expect(net.frozen()).toEqual([
      [1, 1, 0],
      [1, 2, 3],
      [2, 2, 1],
    ]);
    const mask = net.frozenMask()!;
    expect(ids.filter((_, i) => mask[i] === 1)).toEqual(["theta_1_1_0", "theta_1_2_3", "theta_2_2_1"]);
    expect(net.clone().frozen()).toEqual(net.frozen());
    net.setFrozen([]);
    expect(net.frozen()).toBeNull();
    expect(net.frozenMask()).toBeNull();
    net.setFrozen("biases");
    net.setFrozen(null);
    expect(net.frozen()).toBeNull();
  });

  it("an address that does not exist is refused as core's paramId refuses it, and the set stays as it was", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: -1, max: 5 }),
        fc.integer({ min: -1, max: 5 }),
        fc.integer({ min: -1, max: 5 }),
        (sizes, bias, l, j, k) => {
          const net = Network.create({ sizes, bias });
          net.setFrozen([[1, 1, 1]]);
          let want: unknown = null;
          try {
            paramId(net.graph(), l, j, k);
          } catch (e) {
            want = e;
          }
          if (want === null) {
            net.setFrozen([[l, j, k]]);
            expect(net.frozen()).toEqual([[l, j, k]]);
            return;
          }
          expect(() =>
            net.setFrozen([
              [1, 1, 1],
              [l, j, k],
            ]),
          ).toThrow(ArgumentError);
          expect(() => net.setFrozen([[l, j, k]])).toThrow((want as Error).message);
          expect(net.frozen()).toEqual([[1, 1, 1]]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("names the valid ranges, and refuses biases a network does not have and entries that are not addresses", () => {
    const net = Network.create({ sizes: [2, 2, 2] });
    expect(() => net.setFrozen([[3, 1, 1]])).toThrow(
      "There is no parameter theta_3_1_1 (l=3, j=1, k=1) in a 2-2-2 network: layer l must be 1…2.",
    );
    expect(() => net.setFrozen([[1, 3, 0]])).toThrow("for l = 1, j must be 1…2 and k 0…2 (k = 0 is the bias)");
    expect(() => net.setFrozen([[1, 1.5, 0]])).toThrow(ArgumentError);
    const noBias = Network.create({ sizes: [2, 2, 1], bias: false });
    expect(() => noBias.setFrozen("biases")).toThrow(OptionError);
    expect(() => noBias.setFrozen("biases")).toThrow(
      "A 2-2-1 network without biases has no biases to freeze; freeze weights by address instead, e.g. [[1, 1, 1]].",
    );
    expect(() => noBias.setFrozen([[1, 1, 0]])).toThrow("k 1…2 (no biases in this network)");
    expect(() => net.setFrozen([[1, 1]] as unknown as ParameterAddress[])).toThrow(
      /A frozen parameter is an address \[l, j, k\].*got \[1, 1\]/,
    );
    expect(() => net.setFrozen("weights" as "biases")).toThrow(/Frozen parameters are "biases" or a list of addresses/);
  });

  it("the optimizers check the mask's length", () => {
    expect(() => createOptimizer("adam", 3, undefined, new Uint8Array(2))).toThrow(
      "The frozen mask needs 3 entries (one per parameter), got 2.",
    );
  });
});

describe("frozen parameters in model files", () => {
  it('save → load keeps the set ("biases" as such, addresses in parameter order); nothing frozen writes no field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
        (sizes, bias, biases, pick) => {
          const net = Network.create({ sizes, bias });
          net.setFrozen(biases && bias ? "biases" : addresses(net).filter((_, i) => pick[i]));
          const text = formatModel({ network: net });
          const back = parseModel(text).network;
          expect(back.frozen()).toEqual(net.frozen());
          expect(back.frozenMask()).toEqual(net.frozenMask());
          expect("frozen" in (JSON.parse(text) as object)).toBe(net.frozen() !== null);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a model trained with frozen parameters, saved and trained again, still keeps them", () => {
    const data = { m: 3, x: Float64Array.of(0, 1, 1, 0, 1, 1), y: Float64Array.of(1, 1, 0) };
    const net = Network.create({ sizes: [2, 3, 1] }, { seed: 9, epsilon: 1 });
    net.setFrozen([
      [1, 2, 0],
      [2, 1, 3],
    ]);
    const start = net.clone();
    const r = train(net, data, { epochs: 5, learningRate: 1, optimizer: "adam" });
    const back = parseModel(
      formatModel({ network: net, training: { epochs: 5, optimizer: r.resume.optimizer, random: r.resume.random } }),
    );
    const t = back.training!;
    train(back.network, data, {
      epochs: 5,
      learningRate: 1,
      optimizer: "adam",
      resume: { optimizer: t.optimizer!, random: t.random!, epochs: t.epochs },
    });
    expect(back.network.weight(1, 2, 0)).toBe(start.weight(1, 2, 0));
    expect(back.network.weight(2, 1, 3)).toBe(start.weight(2, 1, 3));
    expect(back.network.weight(1, 1, 0)).not.toBe(start.weight(1, 1, 0));
  });

  it("a bad frozen field is a ModelFileError that names it and says what is allowed", () => {
    const model = (frozen: string, biases = `, "biases": [[0, 0], [0, 0]]`) =>
      `{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]${biases}, "frozen": ${frozen}}`;
    const cases: [string, RegExp][] = [
      [
        model(`"weights"`),
        /"frozen" must be "biases" or a list of parameter addresses \[l, j, k\] \(k = 0 is the bias\), e.g. \[\[1, 1, 0\], \[2, 1, 0\]\]; got "weights"/,
      ],
      [model(`{"l": 1}`), /"frozen" must be "biases" or a list/],
      [
        model(`[[1, 1, 0], [1, 1]]`),
        /frozen\[1\] must be an address \[l, j, k\] of three whole numbers .*got \[1, 1\]/,
      ],
      [model(`[[1, 1, 0.5]]`), /frozen\[0\] must be an address/],
      [
        model(`[[3, 1, 1]]`),
        /"frozen": There is no parameter theta_3_1_1 \(l=3, j=1, k=1\) in a 2-2-2 network: layer l must be 1…2/,
      ],
      [model(`[[2, 1, 0]]`, ""), /"frozen": There is no parameter theta_2_1_0 .*k 1…2 \(no biases in this network\)/],
      [model(`"biases"`, ""), /"frozen": A 2-2-2 network without biases has no biases to freeze/],
    ];
    for (const [text, msg] of cases) {
      expect(() => parseModel(text, "m.json")).toThrow(ModelFileError);
      expect(() => parseModel(text, "m.json")).toThrow(msg);
    }
    expect(parseModel(model(`[]`)).network.frozen()).toBeNull();
    expect(parseModel(model(`[[2, 2, 0], [1, 1, 2]]`)).network.frozen()).toEqual([
      [1, 1, 2],
      [2, 2, 0],
    ]);
  });
});
