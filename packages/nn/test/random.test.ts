/** The initialisation schemes, drawn from core's seeded generator. */

import * as core from "@chainrule/core";
import { ACTIVATION_TABLE, ACTIVATIONS, type ActivationName } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paramLayers } from "../src/engine/views.js";
import {
  DEFAULT_EPSILON,
  initialParameters,
  MAX_SEED,
  Network,
  OptionError,
  Random,
  seedStream,
} from "../src/index.js";

const seed = fc.integer({ min: 0, max: MAX_SEED });

describe("Random", () => {
  it("is core's generator, re-exported", () => {
    expect(Random).toBe(core.Random);
    expect(seedStream).toBe(core.seedStream);
  });
});

describe("initialisation", () => {
  const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 4 });

  it("the post's uniform [−ε, ε] covers every parameter, biases included", () => {
    fc.assert(
      fc.property(sizes, fc.boolean(), seed, fc.double({ min: 0, max: 3, noNaN: true }), (sz, bias, s, eps) => {
        const theta = initialParameters(sz, bias, { seed: s, epsilon: eps });
        for (const v of theta) expect(Math.abs(v)).toBeLessThanOrEqual(eps);
        expect(
          Math.max(...initialParameters(sz, bias, { seed: s, method: "uniform" }).map(Math.abs)),
        ).toBeLessThanOrEqual(DEFAULT_EPSILON);
      }),
    );
  });

  it("Glorot stays within ±√(6/(fan-in + fan-out)); He and Glorot start biases at 0", () => {
    fc.assert(
      fc.property(sizes, seed, (sz, s) => {
        const g = initialParameters(sz, true, { method: "glorot", seed: s });
        const h = initialParameters(sz, true, { method: "he", seed: s });
        for (const p of paramLayers(sz, true)) {
          const limit = Math.sqrt(6 / (p.from + p.to));
          for (let j = 0; j < p.to; j++) {
            expect(g[p.off + j * p.ld]).toBe(0);
            expect(h[p.off + j * p.ld]).toBe(0);
            for (let k = 1; k < p.ld; k++) expect(Math.abs(g[p.off + j * p.ld + k]!)).toBeLessThanOrEqual(limit);
          }
        }
      }),
    );
  });

  it("auto picks Glorot or He per layer as the layer's activation needs, and is the default of Network.create", () => {
    const glorotFamily = ACTIVATIONS.filter((a) => ACTIVATION_TABLE[a].init === "glorot" && a !== "softmax");
    const heFamily = ACTIVATIONS.filter((a) => ACTIVATION_TABLE[a].init === "he");
    // the ReLU family, GELU and SiLU included, starts with He
    expect(heFamily).toEqual(["relu", "leaky-relu", "softplus", "gelu", "silu"]);
    fc.assert(
      fc.property(sizes, seed, fc.boolean(), (sz, s, bias) => {
        const layers = sz.length - 1;
        const all = (a: ActivationName) => Array.from({ length: layers }, () => a);
        // one family throughout: exactly that scheme, draw for draw
        expect(
          initialParameters(sz, bias, { seed: s, activations: all(glorotFamily[s % glorotFamily.length]!) }),
        ).toEqual(initialParameters(sz, bias, { seed: s, method: "glorot" }));
        expect(initialParameters(sz, bias, { seed: s, activations: all(heFamily[s % heFamily.length]!) })).toEqual(
          initialParameters(sz, bias, { seed: s, method: "he" }),
        );
        // mixed: every Glorot layer within its bound, every bias 0, and Network.create's default is auto over its activations
        const acts = Array.from({ length: layers }, (_, l) => ((s >> l) & 1 ? "relu" : "tanh") as ActivationName);
        const theta = Network.create({ sizes: sz, activation: acts, bias }).parameters();
        expect(theta).toEqual(initialParameters(sz, bias, { seed: 0, activations: acts }));
        paramLayers(sz, bias).forEach((p, l) => {
          const limit = Math.sqrt(6 / (p.from + p.to));
          for (let j = 0; j < p.to; j++) {
            if (bias) expect(theta[p.off + j * p.ld]).toBe(0);
            if (acts[l] === "tanh")
              for (let k = bias ? 1 : 0; k < p.ld; k++)
                expect(Math.abs(theta[p.off + j * p.ld + k]!)).toBeLessThanOrEqual(limit);
          }
        });
      }),
    );
  });

  it("ε alone means the post's uniform scheme; ε with another scheme is refused", () => {
    expect(initialParameters([3, 4, 2], true, { seed: 5, epsilon: 0.3 })).toEqual(
      initialParameters([3, 4, 2], true, { seed: 5, method: "uniform", epsilon: 0.3 }),
    );
    expect(() => initialParameters([3, 4, 2], true, { method: "he", epsilon: 0.3 })).toThrow(
      /ε is the range of the uniform initialisation/,
    );
    expect(() => initialParameters([3, 4, 2], true, { activations: ["relu"] as ActivationName[] })).toThrow(
      OptionError,
    );
  });

  it("draws in parameter order, one draw per drawn parameter: the numbers of one uniform() or normal() call each", () => {
    fc.assert(
      fc.property(
        sizes,
        fc.boolean(),
        seed,
        fc.constantFrom("uniform", "glorot", "he", "auto"),
        (sz, bias, s, method) => {
          const activations = sz.slice(1).map((_, l) => (l % 2 === 0 ? "relu" : "tanh") as ActivationName);
          const rng = new Random(s);
          const got = initialParameters(sz, bias, { method, activations, random: rng });
          // the loop as written per parameter: every parameter of a uniform layer, the weights of the others
          const r = new Random(s);
          const want = new Float64Array(got.length);
          paramLayers(sz, bias).forEach((p, l) => {
            const scheme = method === "auto" ? ACTIVATION_TABLE[activations[l]!].init : method;
            for (let j = 0; j < p.to; j++)
              for (let c = 0; c < p.ld; c++) {
                const i = p.off + j * p.ld + c;
                if (scheme === "uniform") want[i] = r.uniform(-DEFAULT_EPSILON, DEFAULT_EPSILON);
                else if (bias && c === 0) want[i] = 0;
                else if (scheme === "glorot")
                  want[i] = r.uniform(-Math.sqrt(6 / (p.from + p.to)), Math.sqrt(6 / (p.from + p.to)));
                else want[i] = Math.sqrt(2 / p.from) * r.normal();
              }
          });
          expect([...got]).toEqual([...want]);
          // the generator is left where the draws end (it goes on to drive training)
          expect(rng.state()).toEqual(r.state());
        },
      ),
    );
  });

  it("He draws have variance 2/fan-in", () => {
    const theta = initialParameters([400, 300], false, { method: "he", seed: 7 });
    const v = theta.reduce((s, x) => s + x * x, 0) / theta.length;
    expect(Math.abs(v - 2 / 400) / (2 / 400)).toBeLessThan(0.02);
  });

  it("the same seed gives the same network, another seed another", () => {
    fc.assert(
      fc.property(
        sizes.filter((s) => s.length >= 2 && s[0]! * s[1]! > 2),
        seed,
        fc.constantFrom("uniform", "glorot", "he"),
        (sz, s, method) => {
          const a = Network.create({ sizes: sz }, { seed: s, method });
          const b = Network.create({ sizes: sz }, { seed: s, method });
          const c = Network.create({ sizes: sz }, { seed: (s + 1) % MAX_SEED, method });
          expect(a.parameters()).toEqual(b.parameters());
          expect(a.parameters()).not.toEqual(c.parameters());
        },
      ),
    );
  });
});
