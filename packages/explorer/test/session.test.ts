/**
 * Training in slices: every built-in 2-D dataset's run lowers the cost, a slice stops near its
 * time budget, sliced training continues exactly where the last slice stopped (the same numbers
 * as one long run), and long histories are thinned evenly for the curve.
 */

import { builtinDataset, defaultNetworkSpec, Network, train } from "@chainrule/nn";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classOf, frameOf, gridPoints } from "../src/train/boundary.js";
import { DEFAULT_TRAIN, TRAIN_DATASETS, TrainingSession, thin } from "../src/train/session.js";

afterEach(() => vi.restoreAllMocks());

describe("TrainingSession", () => {
  it.each(TRAIN_DATASETS)("lowers the cost on %s", (dataset) => {
    const s = new TrainingSession({ ...DEFAULT_TRAIN, dataset });
    while (s.epochs < 300) s.step(20);
    expect(s.history[s.history.length - 1]!.cost).toBeLessThan(0.6 * s.history[0]!.cost);
    // one output per class: 1 for the two-class sets, one per arm for the spirals
    expect(s.network.spec.sizes).toEqual([2, 8, 8, dataset === "spirals" ? 3 : 1]);
    // nn's default network for the task, which the command line's train --dataset builds too
    const want = defaultNetworkSpec(builtinDataset(dataset), [8, 8], "tanh");
    expect(s.network.layerSpec()).toMatchObject({ activation: want.activation, cost: want.cost });
  });

  it("trains in slices of about the budget, and sliced training equals one run", () => {
    const s = new TrainingSession({ ...DEFAULT_TRAIN, dataset: "xor", hidden: [4] });
    // a simulated clock that moves only as epochs are trained, msPerEpoch each: a slice's length is known exactly
    let msPerEpoch = 0.1;
    let clock = 0;
    let counted = 0;
    vi.spyOn(performance, "now").mockImplementation(() => {
      clock += (s.epochs - counted) * msPerEpoch;
      counted = s.epochs;
      return clock;
    });
    const done = s.step(15);
    expect(done).toBeGreaterThan(0);
    // the slice trains until its budget is spent, and stops within one call of the trainer after it
    expect(done * msPerEpoch).toBeGreaterThanOrEqual(15);
    expect(done * msPerEpoch).toBeLessThan(2 * 15);
    // at most the epochs asked for, however much time is left
    const before = clock;
    expect(s.step(1000, 3)).toBe(3);
    expect(clock - before).toBeCloseTo(3 * msPerEpoch);
    // epochs slower than the budget: every slice still trains, and the slices shrink to one epoch
    msPerEpoch = 40;
    const slices = Array.from({ length: 10 }, () => s.step(15));
    expect(slices.every((n) => n >= 1)).toBe(true);
    expect(slices.at(-1)).toBe(1);
    msPerEpoch = 0.1;
    while (s.epochs < 200) s.step(5);
    // the same network trained in one call, to the same epoch
    const d = builtinDataset("xor");
    const net = Network.create(
      { sizes: [2, 4, 1], activation: ["tanh", "sigmoid"], cost: "binary-cross-entropy" },
      { method: "glorot", seed: DEFAULT_TRAIN.seed },
    );
    const r = train(net, d, {
      epochs: s.epochs,
      learningRate: DEFAULT_TRAIN.learningRate,
      optimizer: DEFAULT_TRAIN.optimizer,
    });
    expect(Array.from(s.network.parameters())).toEqual(Array.from(net.parameters()));
    expect(s.history.map((h) => h.cost)).toEqual(r.history.map((h) => h.cost));
  });

  it("thins a history evenly, keeping the first and the last", () => {
    const h = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(h, 100);
    expect(t.length).toBe(100);
    expect([t[0], t[99]]).toEqual([0, 999]);
    expect(t.every((v, i) => i === 0 || v > t[i - 1]!)).toBe(true);
    expect(thin([1, 2, 3], 100)).toEqual([1, 2, 3]);
  });
});

describe("the decision boundary's arithmetic", () => {
  it("frames the data in a square with a margin, and lays the grid inside it", () => {
    const x = Float64Array.from([0, 0, 2, 1, 1, -1]);
    const f = frameOf(x, 3);
    expect(f.x1 - f.x0).toBeCloseTo(f.y1 - f.y0);
    expect(f.x0).toBeLessThan(0);
    expect(f.x1).toBeGreaterThan(2);
    const g = gridPoints(f, 4);
    expect(g.length).toBe(32);
    // row by row from the top: the first point is top left, the last bottom right
    expect(g[0]).toBeLessThan(g[6]!);
    expect(g[1]).toBeGreaterThan(g[31]!);
  });

  it("reads classes from one output or several", () => {
    expect(classOf([0.8], 0, 1)).toEqual({ cls: 1, p: 0.8 });
    expect(classOf([0.2], 0, 1).cls).toBe(0);
    expect(classOf([0.1, 0.7, 0.2], 0, 3)).toEqual({ cls: 1, p: 0.7 });
  });
});
