/** Training: what the post promises (XOR learns), reproducibility, divergence, stopping, resuming. */

import { type Batch, costValue, ELEMENTWISE_ACTIVATIONS, gradientValues, predict } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  builtinDataset,
  confusionMatrix,
  correctCount,
  createOptimizer,
  DivergenceError,
  type EpochRecord,
  GraphModel,
  Network,
  OptionError,
  pick,
  Random,
  resumedOptimizer,
  resumeOf,
  train,
} from "../src/index.js";
import { close, firstMismatch } from "./helpers.js";

const moons = builtinDataset("moons", { size: 40, seed: 11 });

describe("train", () => {
  it("XOR with a 2-2-1 sigmoid network reaches 100% accuracy from a fixed seed", () => {
    const xor = builtinDataset("xor");
    const net = Network.create({ sizes: [2, 2, 1], activation: "sigmoid" }, { seed: 0 });
    const before = net.evaluate(xor);
    const result = train(net, xor, { epochs: 3000, learningRate: 2, seed: 0 });
    const after = net.evaluate(xor);
    expect(before.accuracy).toBeLessThan(1);
    expect(after.accuracy).toBe(1);
    expect(after.cost).toBeLessThan(before.cost / 10);
    expect(result.history).toHaveLength(3000);
    expect(result.history.at(-1)!.accuracy).toBe(1);
  });

  it("one full-batch SGD epoch is θ − η ∂J/∂θ with core's gradients", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1000 }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.constantFrom(...ELEMENTWISE_ACTIVATIONS),
        (seed, lr, act) => {
          const net = Network.create({ sizes: [2, 3, 1], activation: [act, "sigmoid"], l2: 0.01 }, { seed });
          const theta = net.parameters();
          const g = gradientValues(net.graph(), theta, moons);
          const r = train(net, moons, { epochs: 1, learningRate: lr });
          expect(
            firstMismatch(
              net.parameters(),
              theta.map((t, i) => t - lr * g[i]!),
            ),
          ).toBe(-1);
          // the epoch's cost is J at the weights the epoch ended with
          expect(close(r.history[0]!.cost, costValue(net.graph(), net.parameters(), moons), 1e-12)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("minibatches without shuffling are consecutive slices, each a step on its own J", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 17 }), fc.nat({ max: 100 }), (B, seed) => {
        const net = Network.create({ sizes: [2, 4, 1] }, { seed });
        let theta = net.parameters();
        const order = Array.from({ length: moons.m }, (_, i) => i);
        for (let s = 0; s < moons.m; s += B) {
          const mb: Batch = pick(moons, 2, 1, order, s, Math.min(moons.m, s + B));
          const g = gradientValues(net.graph(), theta, mb);
          theta = theta.map((t, i) => t - 0.5 * g[i]!);
        }
        train(net, moons, { epochs: 1, learningRate: 0.5, batchSize: B, shuffle: false });
        expect(firstMismatch(net.parameters(), theta)).toBe(-1);
      }),
      { numRuns: 20 },
    );
  });

  it("minibatches are the examples in the order the generator shuffles them, narrow or wide, on JS or WebAssembly kernels", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 40),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("js", "wasm") as fc.Arbitrary<"js">,
        fc.nat({ max: 1000 }),
        (nIn, B, kernels, seed) => {
          const M = 29;
          const rng = new Random(seed);
          const x = Float64Array.from({ length: M * nIn }, () => rng.uniform(-1, 1));
          const y = new Float64Array(M * 3);
          for (let e = 0; e < M; e++) y[e * 3 + rng.int(3)] = 1;
          const data = { m: M, x, y };
          const spec = { sizes: [nIn, 6, 3], activation: ["tanh", "softmax"], cost: "cross-entropy" } as const;
          const state = new Random(seed + 1).state();
          const net = Network.create(spec, { seed });
          train(net, data, { epochs: 2, learningRate: 0.2, batchSize: B, kernels, resume: { random: state } });
          // the same steps by hand: each epoch's order is the identity shuffled by the resumed generator
          const ref = Network.create(spec, { seed });
          const e = ref.engine({ kernels });
          let theta = ref.parameters();
          const grad = new Float64Array(theta.length);
          const shuffler = Random.fromState(state);
          for (let ep = 0; ep < 2; ep++) {
            const perm = Array.from({ length: M }, (_, i) => i);
            shuffler.shuffle(perm);
            for (let s = 0; s < M; s += B) {
              e.gradient(theta, pick(data, nIn, 3, perm, s, Math.min(M, s + B)), grad);
              theta = theta.map((t, i) => t - 0.2 * grad[i]!);
            }
          }
          expect(net.parameters()).toEqual(theta);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("the epoch cost is J of the whole training set (core's costValue) at the weights after the epoch, with L2 and minibatches", () => {
    const spirals = builtinDataset("spirals", { size: 30, seed: 4 });
    const nets = {
      moons: { data: moons, spec: { sizes: [2, 4, 1], activation: ["tanh", "sigmoid"], cost: "binary-cross-entropy" } },
      "moons, mse": { data: moons, spec: { sizes: [2, 3, 1], activation: "sigmoid" } },
      spirals: { data: spirals, spec: { sizes: [2, 5, 3], activation: ["relu", "softmax"], cost: "cross-entropy" } },
    } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(nets) as (keyof typeof nets)[])),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(0.05, 0.8),
        fc.constantFrom("sgd", "momentum", "adam") as fc.Arbitrary<"sgd">,
        fc.constantFrom("matrix", "compiled") as fc.Arbitrary<"matrix">,
        fc.nat({ max: 1000 }),
        (name, batchSize, l2, optimizer, engine, seed) => {
          const { data, spec } = nets[name];
          const net = Network.create({ ...spec, l2 }, { seed, epsilon: 0.7 });
          const nOut = spec.sizes[2];
          const at: Float64Array[] = [];
          const r = train(net, data, {
            epochs: 3,
            learningRate: 0.3,
            batchSize,
            optimizer,
            seed,
            engine,
            onEpoch: (_, n) => void at.push(n.parameters()),
          });
          r.history.forEach((h, i) => {
            const want = costValue(net.graph(), at[i]!, data);
            expect(close(h.cost, want, 1e-12), `${name} B=${batchSize} epoch ${h.epoch}: ${h.cost} vs ${want}`).toBe(
              true,
            );
            expect(h.accuracy).toBe(correctCount(predict(net.graph(), at[i]!, data), data.y, data.m, nOut) / data.m);
          });
          // the network ends with the last record's weights
          expect(net.parameters()).toEqual(at[2]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("epochCost \"running\": an epoch's cost is the mean loss of its examples at their steps' weights plus λ/(2M) Σθ² at its end; the weights are the default's", () => {
    const spirals = builtinDataset("spirals", { size: 30, seed: 4 });
    const nets = {
      moons: { data: moons, spec: { sizes: [2, 4, 1], activation: ["tanh", "sigmoid"], cost: "binary-cross-entropy" } },
      "moons, mse": { data: moons, spec: { sizes: [2, 3, 1], activation: "sigmoid" } },
      spirals: { data: spirals, spec: { sizes: [2, 5, 3], activation: ["relu", "softmax"], cost: "cross-entropy" } },
    } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(nets) as (keyof typeof nets)[])),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(0, 0.05),
        fc.constantFrom("sgd", "momentum", "adam") as fc.Arbitrary<"sgd">,
        fc.constantFrom("matrix", "compiled") as fc.Arbitrary<"matrix">,
        fc.boolean(),
        fc.nat({ max: 1000 }),
        (name, batchSize, l2, optimizer, engine, shuffle, seed) => {
          const { data, spec } = nets[name];
          const make = () => Network.create({ ...spec, l2 }, { seed, epsilon: 0.7 });
          const options = { epochs: 3, learningRate: 0.3, batchSize, optimizer, seed, engine, shuffle };
          const net = make();
          const r = train(net, data, { ...options, epochCost: "running" });
          const byDefault = make();
          const f = train(byDefault, data, options);
          // the option changes what is reported, not the steps
          expect(net.parameters()).toEqual(byDefault.parameters());
          const M = data.m;
          if (batchSize >= M) {
            // full batch: the measuring pass is the next step's, so both measure the epoch's last weights
            expect(r.history).toEqual(f.history);
            return;
          }
          if (shuffle) return;
          // the same steps on the same engine, each batch's loss and correct count taken before its update
          const nIn = spec.sizes[0];
          const nOut = spec.sizes[2];
          const ref = make();
          const graph = ref.graph();
          const lossOnly = Network.create({ ...spec, l2: 0 }).graph();
          const e = ref.engine({ kind: engine });
          const opt = createOptimizer(optimizer, ref.parameterCount);
          let theta: Float64Array = ref.parameters();
          let next: Float64Array = new Float64Array(theta.length);
          const grad = new Float64Array(theta.length);
          const order = Array.from({ length: M }, (_, i) => i);
          r.history.forEach((h) => {
            let loss = 0;
            let correct = 0;
            for (let s = 0; s < M; s += batchSize) {
              const mb: Batch = pick(data, nIn, nOut, order, s, Math.min(M, s + batchSize));
              loss += mb.m * costValue(lossOnly, theta, mb);
              correct += correctCount(predict(graph, theta, mb), mb.y, mb.m, nOut);
              e.gradient(theta, mb, grad);
              opt.step(theta, grad, next, 0.3);
              [theta, next] = [next, theta];
            }
            const l2Term = costValue(graph, theta, data) - costValue(lossOnly, theta, data);
            const want = loss / M + l2Term;
            expect(
              close(h.cost, want, 1e-9, 1e-12),
              `${name} B=${batchSize} epoch ${h.epoch}: ${h.cost} vs ${want}`,
            ).toBe(true);
            expect(h.accuracy).toBe(correct / M);
          });
          expect(theta).toEqual(net.parameters());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('epochCost "running" gives a GraphModel the running cost of its Network on compiled code', () => {
    const spec = { sizes: [2, 4, 1], activation: ["tanh", "sigmoid"], cost: "binary-cross-entropy", l2: 0.05 } as const;
    const net = Network.create(spec, { seed: 3 });
    const model = GraphModel.fromParameters(net.graph(), net.parameters());
    const options = { epochs: 4, learningRate: 0.3, batchSize: 7, seed: 5, epochCost: "running" } as const;
    const a = train(net, moons, { ...options, engine: "compiled" });
    const b = train(model, moons, options);
    expect(model.parameters()).toEqual(net.parameters());
    b.history.forEach((h, i) => {
      expect(close(h.cost, a.history[i]!.cost, 1e-12)).toBe(true);
      expect(h.accuracy).toBe(a.history[i]!.accuracy);
    });
    // and differs from the default's full measure at the epoch's last weights
    const c = train(GraphModel.fromParameters(net.graph(), Network.create(spec, { seed: 3 }).parameters()), moons, {
      ...options,
      epochCost: "full",
    });
    expect(c.history[0]!.cost).not.toBe(b.history[0]!.cost);
  });

  it("the same seed gives the same history and weights, bit for bit", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 32 - 1 }),
        fc.constantFrom("sgd", "momentum", "adam") as fc.Arbitrary<"sgd">,
        fc.integer({ min: 1, max: 40 }),
        (seed, optimizer, batchSize) => {
          const run = () => {
            const net = Network.create({ sizes: [2, 5, 1] }, { seed, method: "glorot" });
            const r = train(net, moons, {
              epochs: 4,
              learningRate: 0.3,
              batchSize,
              optimizer,
              seed,
              validationSplit: 0.25,
            });
            return { history: r.history, theta: net.parameters() };
          };
          const a = run();
          const b = run();
          expect(b.history).toEqual(a.history);
          expect(b.theta).toEqual(a.theta);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a diverging learning rate ends with a DivergenceError, and the network keeps finite weights", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 500 }),
        fc.constantFrom("sgd", "momentum", "adam") as fc.Arbitrary<"sgd">,
        (seed, optimizer) => {
          const net = Network.create({ sizes: [2, 4, 1], activation: ["relu", "identity"] }, { seed });
          const data = { ...moons, x: moons.x.map((v) => v * 50) };
          let error: unknown = null;
          try {
            train(net, data, { epochs: 500, learningRate: 1e200, optimizer, seed });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DivergenceError);
          const d = error as DivergenceError;
          expect(d.message).toMatch(/Training diverged in epoch \d+, step \d+/);
          expect(d.parameters.every(Number.isFinite)).toBe(true);
          expect(net.parameters()).toEqual(d.parameters);
          expect(d.history).toHaveLength(d.epoch - 1);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("a callback can stop training; the network then holds that epoch's parameters", () => {
    const net = Network.create({ sizes: [2, 3, 1] }, { seed: 5 });
    const seen: EpochRecord[] = [];
    let at3: Float64Array | null = null;
    const r = train(net, moons, {
      epochs: 50,
      learningRate: 0.5,
      onEpoch: (rec, n) => {
        seen.push(rec);
        if (rec.epoch === 3) {
          at3 = n.parameters();
          return "stop";
        }
        return undefined;
      },
    });
    expect(r.stopReason).toBe("callback");
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(seen).toEqual(r.history);
    expect(net.parameters()).toEqual(at3);
  });

  it("early stopping on validation cost restores the best epoch's parameters", () => {
    // validation labels flipped: the better the network learns, the worse its validation cost
    const flipped = { ...moons, y: moons.y.map((v) => 1 - v) };
    const net = Network.create({ sizes: [2, 6, 1] }, { seed: 2, epsilon: 0.5 });
    const r = train(net, moons, { epochs: 200, learningRate: 1, validation: flipped, earlyStopping: { patience: 4 } });
    expect(r.stopReason).toBe("early-stopping");
    const best = r.history.reduce((b, h) => (h.validationCost! < b.validationCost! ? h : b));
    expect(r.finalEpoch).toBe(best.epoch);
    expect(r.history.length).toBe(best.epoch + 4);
    expect(net.cost(flipped)).toBe(best.validationCost);
  });

  it("early stopping on the training cost restores the weights whose cost was recorded as the best", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1000 }),
        fc.constantFrom(0, 0.01, 1),
        fc.constantFrom(moons.m, 8),
        fc.double({ min: 2, max: 40, noNaN: true }),
        (seed, minDelta, batchSize, lr) => {
          const net = Network.create({ sizes: [2, 4, 1], l2: 0.1 }, { seed, epsilon: 1 });
          const r = train(net, moons, {
            epochs: 60,
            learningRate: lr,
            batchSize,
            optimizer: "momentum",
            seed,
            earlyStopping: { patience: 3, minDelta, monitor: "cost" },
          });
          // a minDelta of 1 is more than any decrease of these costs: the first epoch stays the best
          if (minDelta === 1) expect(r.stopReason).toBe("early-stopping");
          if (r.stopReason !== "early-stopping") return;
          let best = r.history[0]!;
          for (const h of r.history) if (h.cost < best.cost - minDelta) best = h;
          expect(r.finalEpoch).toBe(best.epoch);
          expect(r.history.length).toBe(best.epoch + 3);
          const J = costValue(net.graph(), net.parameters(), moons);
          expect(close(J, best.cost, 1e-12), `${J} vs ${best.cost}`).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a validation split holds out examples and reports validation metrics", () => {
    const net = Network.create({ sizes: [2, 4, 1] }, { seed: 1 });
    const r = train(net, moons, { epochs: 3, learningRate: 0.5, validationSplit: 0.25, batchSize: 8 });
    for (const h of r.history) {
      expect(h.validationCost).toBeGreaterThan(0);
      expect(h.validationAccuracy).toBeGreaterThanOrEqual(0);
      expect(h.accuracy).toBeGreaterThanOrEqual(0);
    }
  });

  it("resuming from a run's state continues it exactly", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.integer({ min: 1, max: 5 }), (seed, split) => {
        const opts = { learningRate: 0.05, batchSize: 7, optimizer: "adam" as const, seed, validationSplit: 0.2 };
        const whole = Network.create({ sizes: [2, 3, 1] }, { seed });
        const all = train(whole, moons, { ...opts, epochs: 6 });
        const part = Network.create({ sizes: [2, 3, 1] }, { seed });
        const first = train(part, moons, { ...opts, epochs: split });
        const second = train(part, moons, { ...opts, epochs: 6 - split, resume: first.resume });
        expect(part.parameters()).toEqual(whole.parameters());
        expect([...first.history, ...second.history]).toEqual(all.history);
        // the optimizer left out: the resumed run's own rule and settings (nn's one rule for resuming)
        const again = Network.create({ sizes: [2, 3, 1] }, { seed });
        const head = train(again, moons, { ...opts, optimizer: { name: "momentum", momentum: 0.5 }, epochs: split });
        const { optimizer: _asked, ...rest } = opts;
        const tail = train(again, moons, {
          ...rest,
          epochs: 6 - split,
          resume: resumeOf({ ...head.resume, epochs: split })!,
        });
        const straight = Network.create({ sizes: [2, 3, 1] }, { seed });
        train(straight, moons, { ...opts, optimizer: { name: "momentum", momentum: 0.5 }, epochs: 6 });
        expect(tail.resume.optimizer.settings).toEqual({ momentum: 0.5 });
        expect(again.parameters()).toEqual(straight.parameters());
      }),
      { numRuns: 15 },
    );
  });

  it("resumes only the saved rule with its own settings, and says what to leave out", () => {
    const net = Network.create({ sizes: [2, 3, 1] }, { seed: 2 });
    const first = train(net, moons, { epochs: 2, learningRate: 0.1, optimizer: { name: "momentum", momentum: 0.5 } });
    const before = net.parameters();
    expect(() => train(net, moons, { epochs: 2, learningRate: 0.1, optimizer: "adam", resume: first.resume })).toThrow(
      /trained with momentum, not adam: a resumed run keeps its update rule/,
    );
    expect(() =>
      train(net, moons, {
        epochs: 2,
        learningRate: 0.1,
        optimizer: { name: "momentum", momentum: 0.9 },
        resume: first.resume,
      }),
    ).toThrow(/has momentum 0.5; .* momentum 0.9 cannot apply/);
    expect(net.parameters()).toEqual(before);
    expect(resumedOptimizer(undefined, first.resume.optimizer)).toEqual({ name: "momentum" });
    expect(resumedOptimizer(undefined)).toEqual({ name: "sgd" });
    expect(resumeOf({ epochs: 3 })).toBeUndefined();
    expect(resumeOf(undefined)).toBeUndefined();
  });

  it("validates its options before any work", () => {
    const net = Network.create({ sizes: [2, 2, 1] });
    const before = net.parameters();
    expect(() => train(net, moons, { epochs: 0, learningRate: 1 })).toThrow(OptionError);
    expect(() => train(net, moons, { epochs: 2, learningRate: -1 })).toThrow(
      /learning rate must be a finite number > 0/,
    );
    expect(() => train(net, moons, { epochs: 2, learningRate: 1, batchSize: 0 })).toThrow(
      /batch size must be a whole number/,
    );
    expect(() => train(net, moons, { epochs: 2, learningRate: 1, optimizer: "rmsprop" as "sgd" })).toThrow(
      /Unknown optimizer/,
    );
    expect(() => train(net, moons, { epochs: 2, learningRate: 1, epochCost: "runing" as "running" })).toThrow(
      /Unknown epoch cost "runing".*running/,
    );
    expect(() => train(net, builtinDataset("iris"), { epochs: 2, learningRate: 1 })).toThrow(
      /iris: the data has 4 inputs per example, the model expects 2; the data has 3 targets per example, the model has 1 output/,
    );
    expect(net.parameters()).toEqual(before);
  });
});

describe("classification metrics", () => {
  it("the confusion matrix counts every example once; its trace is the number correct", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 150, maxLength: 150 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        (n, m, outs, labels) => {
          const out = Float64Array.from(outs.slice(0, m * n));
          const y = new Float64Array(m * n);
          for (let e = 0; e < m; e++) {
            if (n === 1) y[e] = labels[e]! % 2;
            else y[e * n + (labels[e]! % n)] = 1;
          }
          const table = confusionMatrix(out, y, m, n);
          const c = n === 1 ? 2 : n;
          expect(table).toHaveLength(c);
          expect(table.flat().reduce((s, v) => s + v, 0)).toBe(m);
          expect(table.reduce((s, row, i) => s + row[i]!, 0)).toBe(correctCount(out, y, m, n));
          for (let k = 0; k < c; k++) {
            const members = Array.from({ length: m }, (_, e) => e).filter((e) =>
              n === 1 ? y[e] === k : y[e * n + k] === 1,
            ).length;
            expect(table[k]!.reduce((s, v) => s + v, 0)).toBe(members);
          }
        },
      ),
    );
  });
});
