/**
 * Stalls are named: a cost that stays flat for a stretch of epochs while the model is no better
 * than predicting the most common class (or, without classes, while the cost is still above half
 * its start) is reported once — on its epoch's record, through onStall, and in the result.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  builtinDataset,
  type EpochRecord,
  formatModel,
  Network,
  OptionError,
  parseModel,
  type Stall,
  train,
} from "../src/index.js";
import { majorityShare, StallWatch } from "../src/train/stall.js";

const xor = builtinDataset("xor");
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** XOR on a 2-4-1 sigmoid network, lr 1, 5,000 epochs: the run. */
function xorRun(
  init: Parameters<typeof Network.create>[1],
  seed: number,
  extra: Partial<Parameters<typeof train>[2]> = {},
) {
  const net = Network.create({ sizes: [2, 4, 1], activation: "sigmoid" }, { ...init, seed });
  const stalls: Stall[] = [];
  const flaggedInOnEpoch: number[] = [];
  const result = train(net, xor, {
    epochs: 5000,
    learningRate: 1,
    seed,
    onStall: (s) => void stalls.push(s),
    onEpoch: (r) => void (r.stalled === true && flaggedInOnEpoch.push(r.epoch)),
    ...extra,
  });
  return { net, result, stalls, flaggedInOnEpoch };
}

const flagged = (h: readonly EpochRecord[]) => h.filter((r) => r.stalled === true).map((r) => r.epoch);

describe("stall detection", () => {
  it("XOR 2-4-1 started uniform in [−0.12, 0.12] with lr 1 stalls, and is told so exactly once", () => {
    for (const seed of SEEDS) {
      const { result, stalls, flaggedInOnEpoch } = xorRun({ method: "uniform", epsilon: 0.12 }, seed);
      expect(result.history.at(-1)!.accuracy, `seed ${seed}`).toBe(0.5);
      expect(stalls).toHaveLength(1);
      const s = stalls[0]!;
      expect(flagged(result.history)).toEqual([s.epoch]);
      expect(flaggedInOnEpoch).toEqual([s.epoch]);
      expect(result.stall).toEqual(s);
      // the default window: a tenth of 5,000 epochs
      expect(s.epoch - s.since).toBe(500);
      expect(s.accuracy).toBe(0.5);
      expect(s.baseline).toBe(0.5);
      expect(s.initialScale).toBeLessThanOrEqual(0.12);
      expect(s.causes).toEqual(["small-initial-weights", "learning-rate"]);
      expect(s.message).toMatch(
        /^Training stalled at epoch \d+: the cost has stayed at 0\.12\d+ \(relative change ≤ 0\.0001\) for 500 epochs, since epoch \d+, with accuracy 50%: no better than always predicting the most common class \(50%\)\. Likely causes: initial weights too small .*learning rate too small or too large \(it is 1\)\.$/,
      );
      expect(result.stopReason).toBe("epochs");
    }
  });

  it("the same run from Glorot or the default initialisation learns and is never flagged", () => {
    for (const init of [{ method: "glorot" as const }, {}]) {
      for (const seed of SEEDS) {
        const { result, stalls } = xorRun(init, seed);
        expect(result.history.at(-1)!.accuracy, `seed ${seed}`).toBe(1);
        expect(stalls).toEqual([]);
        expect(flagged(result.history)).toEqual([]);
        expect(result.stall).toBeNull();
      }
    }
  });

  it("onStall can stop the run at the stalled epoch; stall: false turns detection off", () => {
    const stopped = xorRun({ method: "uniform", epsilon: 0.12 }, 0, { onStall: () => "stop" });
    expect(stopped.result.stopReason).toBe("stalled");
    expect(stopped.result.finalEpoch).toBe(stopped.result.stall!.epoch);
    expect(stopped.result.history).toHaveLength(stopped.result.stall!.epoch);
    expect(stopped.flaggedInOnEpoch).toEqual([stopped.result.stall!.epoch]);
    const off = xorRun({ method: "uniform", epsilon: 0.12 }, 0, { stall: false });
    expect(off.stalls).toEqual([]);
    expect(flagged(off.result.history)).toEqual([]);
    const short = xorRun({ method: "uniform", epsilon: 0.12 }, 0, { epochs: 300, stall: { window: 100 } });
    expect(short.result.stall!.epoch - short.result.stall!.since).toBe(100);
  });

  it("without classes, a flat cost above half its start is a stall; one that has fallen below is not", () => {
    // regression on a sine with a tanh network: a tiny learning rate leaves the cost where it started
    const x = Array.from({ length: 20 }, (_, i) => [i / 10 - 1]);
    const data = { x, y: x.map(([v]) => [Math.sin(3 * v!)]) };
    const spec = { sizes: [1, 6, 1], activation: ["tanh", "identity"] as ["tanh", "identity"] };
    const slow = train(Network.create(spec, { seed: 1 }), data, { epochs: 600, learningRate: 1e-7 });
    expect(slow.stall).not.toBeNull();
    expect(slow.stall!.accuracy).toBeNull();
    expect(slow.stall!.message).toMatch(/still 100% of the first epoch's/);
    const fit = train(Network.create(spec, { seed: 1 }), data, { epochs: 3000, learningRate: 0.1 });
    expect(fit.history.at(-1)!.cost).toBeLessThan(fit.history[0]!.cost / 2);
    expect(fit.stall).toBeNull();
  });

  it("a saved history with its stalled record loads back", () => {
    const { net, result } = xorRun({ method: "uniform", epsilon: 0.12 }, 1);
    const back = parseModel(formatModel({ network: net, training: { epochs: 5000, history: result.history } }));
    expect(back.training!.history).toEqual(result.history);
  });

  it("bad stall options are refused", () => {
    const net = Network.create({ sizes: [2, 1] });
    for (const stall of [{ window: 0 }, { tolerance: -1 }, { accuracy: 2 }, { costRatio: Number.NaN }, "yes", true]) {
      expect(() => train(net, xor, { epochs: 1, learningRate: 1, stall: stall as never })).toThrow(OptionError);
    }
  });
});

describe("StallWatch", () => {
  const poorAcc = 0.5;
  it("a cost that stays within the band flags once, exactly `window` epochs after the stretch began", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
        (window, lead, level, wiggle) => {
          const tol = 1e-3;
          const w = new StallWatch(window, tol, poorAcc, 0.5, true, 0.1, 1);
          const hits: number[] = [];
          // a falling lead-in (each step leaves the band), then a level that wiggles inside it
          for (let ep = 1; ep <= lead; ep++) if (w.epoch(ep, level * 2 ** (lead - ep + 1), 0.5) !== null) hits.push(ep);
          const start = lead + 1;
          for (let i = 0; i < wiggle.length; i++)
            if (w.epoch(start + i, level * (1 + 0.49 * tol * wiggle[i]!), 0.5) !== null) hits.push(start + i);
          expect(hits).toEqual(window < wiggle.length ? [start + window] : []);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never flags a cost that keeps moving, or a model that is better than the baseline", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 2e-4, max: 0.05, noNaN: true }), (window, step) => {
        const moving = new StallWatch(window, 1e-4, poorAcc, 0.5, true, 0.1, 1);
        const good = new StallWatch(window, 1e-4, poorAcc, 0.5, true, 0.1, 1);
        for (let ep = 1; ep <= 300; ep++) {
          expect(moving.epoch(ep, (1 - step) ** ep, 0.5)).toBeNull();
          expect(good.epoch(ep, 0.3, 0.75)).toBeNull();
        }
      }),
      { numRuns: 100 },
    );
  });

  it("the baseline is the most common class's share", () => {
    expect(majorityShare(xor.y, 4, 1)).toBe(0.5);
    expect(majorityShare(Float64Array.of(1, 1, 1, 0), 4, 1)).toBe(0.75);
    const iris = builtinDataset("iris");
    expect(majorityShare(iris.y, iris.m, 3)).toBeCloseTo(1 / 3, 12);
  });
});
