/** The update rules, step by step against their formulas, and their saved state. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOptimizer, type OptimizerSpec, type OptimizerState, OptionError } from "../src/index.js";

const vec = (n: number) =>
  fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n })
    .map((a) => Float64Array.from(a));
const cases = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    theta: vec(n),
    grads: fc.array(vec(n), { minLength: 1, maxLength: 5 }),
    lr: fc.double({ min: 1e-4, max: 2, noNaN: true }),
  }),
);

describe("optimizers", () => {
  it("sgd: θ := θ − η g", () => {
    fc.assert(
      fc.property(cases, ({ theta, grads, lr }) => {
        const opt = createOptimizer("sgd", theta.length);
        const next = new Float64Array(theta.length);
        opt.step(theta, grads[0]!, next, lr);
        theta.forEach((t, i) => {
          expect(next[i]).toBe(t - lr * grads[0]![i]!);
        });
      }),
    );
  });

  it("momentum: v := μv − ηg, θ := θ + v", () => {
    fc.assert(
      fc.property(cases, fc.double({ min: 0, max: 0.99, noNaN: true }), ({ theta, grads, lr }, mu) => {
        const opt = createOptimizer({ name: "momentum", momentum: mu }, theta.length);
        let cur = theta.slice();
        const v = new Float64Array(theta.length);
        for (const g of grads) {
          const next = new Float64Array(theta.length);
          opt.step(cur, g, next, lr);
          for (let i = 0; i < theta.length; i++) {
            v[i] = mu * v[i]! - lr * g[i]!;
            expect(next[i]).toBe(cur[i]! + v[i]!);
          }
          cur = next;
        }
      }),
    );
  });

  it("adam: bias-corrected moments", () => {
    fc.assert(
      fc.property(cases, ({ theta, grads, lr }) => {
        const [b1, b2, eps] = [0.9, 0.999, 1e-8];
        const opt = createOptimizer("adam", theta.length);
        let cur = theta.slice();
        const m = new Float64Array(theta.length);
        const v = new Float64Array(theta.length);
        grads.forEach((g, s) => {
          const t = s + 1;
          const next = new Float64Array(theta.length);
          opt.step(cur, g, next, lr);
          for (let i = 0; i < theta.length; i++) {
            m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
            v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
            const mh = m[i]! / (1 - b1 ** t);
            const vh = v[i]! / (1 - b2 ** t);
            const want = cur[i]! - (lr * mh) / (Math.sqrt(vh) + eps);
            expect(Math.abs(next[i]! - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
          }
          cur = next;
        });
      }),
    );
  });

  it("a saved state resumes exactly where it left off", () => {
    fc.assert(
      fc.property(cases, fc.constantFrom("momentum", "adam"), ({ theta, grads, lr }, name) => {
        const n = theta.length;
        const a = createOptimizer(name as "adam", n);
        const next = new Float64Array(n);
        a.step(theta, grads[0]!, next, lr);
        const b = createOptimizer(name as "adam", n, JSON.parse(JSON.stringify(a.state())));
        const na = new Float64Array(n);
        const nb = new Float64Array(n);
        const g = grads[grads.length - 1]!;
        a.step(next, g, na, lr);
        b.step(next, g, nb, lr);
        expect(nb).toEqual(na);
      }),
    );
  });

  it("a resumed optimizer keeps its saved hyper-parameters; a different one given explicitly is refused", () => {
    fc.assert(
      fc.property(
        cases,
        fc.constantFrom<OptimizerSpec>(
          { name: "momentum", momentum: 0.5 },
          { name: "momentum", momentum: 0 },
          { name: "adam", beta1: 0.8, beta2: 0.95, epsilon: 1e-6 },
        ),
        ({ theta, grads, lr }, spec) => {
          const n = theta.length;
          const a = createOptimizer(spec, n);
          const next = new Float64Array(n);
          a.step(theta, grads[0]!, next, lr);
          const saved = JSON.parse(JSON.stringify(a.state())) as OptimizerState;
          // resumed by name alone: the saved μ or β₁, β₂, ε, not the defaults
          const b = createOptimizer(spec.name, n, saved);
          expect(b.state().settings).toEqual(a.state().settings);
          const g = grads[grads.length - 1]!;
          const [na, nb] = [new Float64Array(n), new Float64Array(n)];
          a.step(next, g, na, lr);
          b.step(next, g, nb, lr);
          expect(nb).toEqual(na);
          // the same value given again is fine; a different one is an error that names both
          expect(() => createOptimizer(spec, n, saved)).not.toThrow();
          const key = spec.name === "momentum" ? "momentum" : "beta1";
          const other = { ...spec, [key]: 0.25 } as OptimizerSpec;
          expect(() => createOptimizer(other, n, saved)).toThrow(
            new RegExp(`saved ${spec.name} run has ${key} ${saved.settings[key]}; .* ${key} 0.25 cannot apply`),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a saved state resumes only the same update rule", () => {
    const state = createOptimizer({ name: "momentum", momentum: 0.5 }, 3).state();
    expect(() => createOptimizer("sgd", 3, state)).toThrow(/saved run was trained with momentum, not sgd/);
    expect(() => createOptimizer("adam", 3, state)).toThrow(OptionError);
  });

  it("returns a non-finite sum exactly when an update is not finite", () => {
    const opt = createOptimizer("sgd", 3);
    const next = new Float64Array(3);
    expect(Number.isFinite(opt.step(Float64Array.of(1, 2, 3), Float64Array.of(0, 1, 0), next, 0.1))).toBe(true);
    expect(Number.isFinite(opt.step(Float64Array.of(1, 2, 3), Float64Array.of(0, Infinity, 0), next, 0.1))).toBe(false);
    expect(Number.isFinite(opt.step(Float64Array.of(1, 2, 3), Float64Array.of(0, Number.NaN, 0), next, 0.1))).toBe(
      false,
    );
  });

  it("rejects unknown names and out-of-range settings", () => {
    expect(() => createOptimizer("adagrad" as "sgd", 2)).toThrow(
      /Unknown optimizer "adagrad". Known: sgd, momentum, adam/,
    );
    expect(() => createOptimizer({ name: "momentum", momentum: 1.5 }, 2)).toThrow(OptionError);
    expect(() => createOptimizer({ name: "adam", beta1: 1 }, 2)).toThrow(OptionError);
    expect(() => createOptimizer("adam", 2, { name: "momentum", settings: {}, t: 0, vectors: {} })).toThrow(
      /was trained with momentum, not adam/,
    );
  });
});
