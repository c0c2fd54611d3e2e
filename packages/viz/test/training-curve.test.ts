/**
 * Training curves: every drawn point lies inside the plot, failed (non-finite) epochs break the
 * line, the axes carry round ticks, and bad input is a typed error.
 */

import { ArgumentError } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EpochMetrics, niceTicks, trainingCurveSvg } from "../src/index.js";

const points = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]*)"/g)].flatMap((m) =>
    m[1]!.split(" ").map((p) => p.split(",").map(Number) as [number, number]),
  );

const metric = fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.constant(Number.NaN), fc.constant(Infinity));
const history = fc.array(
  fc.record({
    cost: metric,
    accuracy: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    validationCost: fc.option(metric, { nil: undefined }),
  }),
  { maxLength: 60 },
);

describe("training curves", () => {
  it("draw every point inside the plot box", () => {
    fc.assert(
      fc.property(history, fc.boolean(), (h, logCost) => {
        const records: EpochMetrics[] = h.map((r, i) => ({
          epoch: i + 1,
          cost: r.cost,
          ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
          ...(r.validationCost !== undefined ? { validationCost: r.validationCost } : {}),
        }));
        const svg = trainingCurveSvg(records, { width: 640, height: 360, logCost });
        for (const [x, y] of points(svg)) {
          expect(x).toBeGreaterThanOrEqual(64 - 1e-9);
          expect(x).toBeLessThanOrEqual(640);
          expect(y).toBeGreaterThanOrEqual(40 - 1e-9);
          expect(y).toBeLessThanOrEqual(298 + 1e-9);
        }
        expect(svg).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 200 },
    );
  });
  it("break the line at a failed epoch", () => {
    const svg = trainingCurveSvg([1, 0.8, NaN, 0.5, 0.4].map((cost, i) => ({ epoch: i, cost })));
    const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(" ").length);
    expect(lines).toEqual([2, 2]);
  });
  it("show accuracy on a second axis and validation dashed", () => {
    const svg = trainingCurveSvg([
      { epoch: 1, cost: 1, accuracy: 0.5, validationCost: 1.2, validationAccuracy: 0.4 },
      { epoch: 2, cost: 0.5, accuracy: 0.8, validationCost: 0.7, validationAccuracy: 0.7 },
    ]);
    expect(svg).toContain(">accuracy</text>");
    expect(svg).toContain(">100%</text>");
    expect(svg.match(/stroke-dasharray="6 4"/g)?.length).toBe(4);
  });
  it("pick round ticks", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 5)).toEqual([20, 40, 60, 80]);
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (lo, span) => {
          const t = niceTicks(lo, lo + span, 5);
          fc.pre(lo + span > lo);
          expect(t.length).toBeGreaterThanOrEqual(1);
          expect(t.length).toBeLessThanOrEqual(11);
          // within the range, up to the rounding of numbers of lo's magnitude
          const slack = span * 1e-6 + Math.abs(lo) * 1e-12;
          for (const v of t) {
            expect(v).toBeGreaterThanOrEqual(lo - slack);
            expect(v).toBeLessThanOrEqual(lo + span + slack);
          }
        },
      ),
    );
  });
  it("refuse malformed histories with a typed error", () => {
    expect(() => trainingCurveSvg([{ epoch: Number.NaN, cost: 1 }])).toThrow(ArgumentError);
    expect(() => trainingCurveSvg("x" as never)).toThrow(/array of \{ epoch, cost/);
    expect(() => trainingCurveSvg([], { width: 10 })).toThrow(/width/);
    expect(trainingCurveSvg([])).toContain("no epochs yet");
  });
});
