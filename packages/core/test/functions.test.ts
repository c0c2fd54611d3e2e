/**
 * The scalar functions: each order is the derivative of the one before (central differences, for
 * every function of the table), erf to about the last bit, and GELU and SiLU at known points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erf, type FnName, FUNCTIONS, fnOp } from "../src/index.js";

const NAMES = Object.keys(FUNCTIONS) as FnName[];

describe("every function of the table", () => {
  it("has each order as the derivative of the order before, orders 0–3 (central differences)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NAMES),
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        (fn, n, x0) => {
          // log lives on x > 0; the kinked ones (zeroFrom 2) are checked away from their kink
          const x = fn === "log" ? 0.2 + Math.abs(x0) : x0;
          if (FUNCTIONS[fn].zeroFrom === 2 && Math.abs(x) < 1e-3) return;
          const h = 1e-5 * Math.max(1, Math.abs(x));
          const numeric = (fnOp(fn, n, x + h) - fnOp(fn, n, x - h)) / (2 * h);
          const scale = Math.max(1, Math.abs(numeric), Math.abs(fnOp(fn, n, x)));
          expect(Math.abs(fnOp(fn, n + 1, x) - numeric), `${fn}⁽${n + 1}⁾(${x})`).toBeLessThan(1e-6 * scale);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("erf, GELU and SiLU", () => {
  it("erf agrees with reference values to within four units in the last place", () => {
    const reference: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.9, 0.9999589021219005],
      [3.5, 0.9999992569016276],
      [5, 0.9999999999984626],
    ];
    for (const [x, want] of reference) {
      expect(Math.abs(erf(x) - want), `erf(${x})`).toBeLessThanOrEqual(4 * Number.EPSILON * want);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect([erf(0), erf(Infinity), erf(-Infinity), erf(1e-300)]).toEqual([0, 1, -1, (2 / Math.sqrt(Math.PI)) * 1e-300]);
    expect(erf(Number.NaN)).toBeNaN();
  });

  it("GELU is x·Φ(x), exact, and SiLU is x·σ(x), with their derivatives", () => {
    // Φ(1) = 0.8413447460685429, φ(1) = 0.24197072451914337
    expect(fnOp("gelu", 0, 1)).toBeCloseTo(0.8413447460685429, 15);
    expect(fnOp("gelu", 0, -1)).toBeCloseTo(-0.15865525393145707, 15);
    expect(fnOp("gelu", 1, 1)).toBeCloseTo(0.8413447460685429 + 0.24197072451914337, 15);
    // far in the left tail GELU keeps its digits: Φ(−10) = 7.619853024160527e-24
    expect(fnOp("gelu", 0, -10) / (-10 * 7.619853024160527e-24)).toBeCloseTo(1, 12);
    const s = 1 / (1 + Math.exp(-1));
    expect(fnOp("silu", 0, 1)).toBe(s);
    expect(fnOp("silu", 1, 1)).toBeCloseTo(s + s * (1 - s), 15);
    for (const fn of ["gelu", "silu"] as const) {
      expect([fnOp(fn, 0, -Infinity), fnOp(fn, 0, Infinity), fnOp(fn, 1, -Infinity), fnOp(fn, 1, Infinity)]).toEqual([
        0,
        Infinity,
        0,
        1,
      ]);
      expect(() => fnOp(fn, 4, 1)).toThrow(/orders 0-3/);
    }
  });
});
