/**
 * Checks of typed input: every refusal is one line that names the problem, and the network check
 * refuses exactly what core refuses (plus the explorer's size limit).
 */

import { layered, layeredInfo } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  checkHidden,
  checkNumber,
  checkSizes,
  checkWhole,
  grouped,
  LIMITS,
  networkProblem,
  paramRange,
} from "../src/validate.js";
import { anyNetwork } from "./arbitraries.js";

// core's own check of a network, watched: a network over the limit must be refused before it
vi.mock("@chainrule/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@chainrule/core")>();
  return { ...core, layeredInfo: vi.fn(core.layeredInfo) };
});

const message = (r: { ok: boolean; message?: string }) => (r.ok ? null : r.message!);

describe("layer sizes", () => {
  it("reads lists of whole numbers, with commas or spaces", () => {
    expect(checkSizes("2, 3,2")).toEqual({ ok: true, value: [2, 3, 2] });
    expect(checkSizes(" 784 128 10 ")).toEqual({ ok: true, value: [784, 128, 10] });
  });

  it("refuses 0 neurons, 10,000 neurons, a non-number, one layer and too many layers, each in one line", () => {
    const cases: [string, RegExp][] = [
      ["2,0,2", /Layer 2 has 0 neurons; every layer needs at least 1/],
      ["2,10000,2", /Layer 2 has 10000 neurons; the explorer draws layers of up to 1000/],
      ["2,abc,2", /"abc" is not a number/],
      ["2,1.5,2", /not a whole number/],
      ["5", /at least two layers/],
      ["", /Give the neurons per layer/],
      [
        Array(LIMITS.layers + 1)
          .fill(2)
          .join(","),
        /layers; the explorer takes up to 8/,
      ],
    ];
    for (const [text, pattern] of cases) {
      const m = message(checkSizes(text));
      expect(m, text).toMatch(pattern);
      expect(m).not.toContain("\n");
    }
  });
});

describe("networks", () => {
  it("refuses exactly the networks core refuses", () => {
    fc.assert(
      fc.property(anyNetwork, (n) => {
        let coreRefuses = false;
        try {
          layered({ sizes: n.sizes, activation: [...n.activations], cost: n.cost, bias: n.bias });
        } catch {
          coreRefuses = true;
        }
        expect(networkProblem(n) !== null).toBe(coreRefuses);
      }),
    );
  });

  it("refuses networks over the parameter limit without building them", () => {
    const n = {
      sizes: [1000, 1000, 10],
      activations: ["sigmoid", "sigmoid"] as const,
      cost: "mse" as const,
      bias: true,
    };
    const checked = vi.mocked(layeredInfo);
    checked.mockClear();
    expect(networkProblem({ ...n, activations: [...n.activations] })).toMatch(
      /1,011,010 parameters; the explorer derives networks of up to 200,000/,
    );
    // refused from the count alone: core was not asked to look at the network
    expect(checked).not.toHaveBeenCalled();
    // while a network within the limit is checked by core
    expect(networkProblem({ ...n, sizes: [100, 100, 10], activations: [...n.activations] })).toBeNull();
    expect(checked).toHaveBeenCalledTimes(1);
  });

  it("names a layer, not a node id, when core refuses an output", () => {
    expect(
      networkProblem({ sizes: [2, 2, 2], activations: ["sigmoid", "sigmoid"], cost: "cross-entropy", bias: true }),
    ).toMatch(/layer 3/);
  });
});

describe("numbers", () => {
  it("checks whole numbers and numbers within bounds", () => {
    expect(checkWhole("3", "l", 1, 4)).toEqual({ ok: true, value: 3 });
    expect(message(checkWhole("7", "l", 1, 4))).toBe("l must be 1 to 4; got 7.");
    expect(message(checkWhole("x", "l", 1, 4))).toBe('l: "x" is not a whole number.');
    expect(checkNumber(" -0.25 ", "θ")).toEqual({ ok: true, value: -0.25 });
    expect(message(checkNumber("1e999", "θ"))).toBe('θ: "1e999" is not a number.');
    expect(message(checkNumber("", "θ"))).toBe('θ: "" is not a number.');
    expect(message(checkNumber("0", "The learning rate", 1e-6, 10))).toMatch(
      /between 0.000001 and 10|between 1e-6 and 10/,
    );
  });

  it("checks hidden layers of the train tab", () => {
    expect(checkHidden("")).toEqual({ ok: true, value: [] });
    expect(checkHidden("8, 8")).toEqual({ ok: true, value: [8, 8] });
    expect(message(checkHidden("8,0"))).toMatch(/A hidden layer must be 1 to 64; got 0/);
    expect(message(checkHidden("1,1,1,1,1"))).toMatch(/up to 4/);
  });

  it("groups digits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), (n) => {
        const g = grouped(String(n));
        expect(g.replaceAll(",", "")).toBe(String(n));
        expect(g).toMatch(/^\d{1,3}(,\d{3})*$/);
      }),
    );
    expect(grouped(101770)).toBe("101,770");
    expect(grouped("52")).toBe("52");
  });

  it("says where θ⁽ˡ⁾ can point", () => {
    const n = {
      sizes: [2, 3, 1],
      activations: ["sigmoid", "sigmoid"] as "sigmoid"[],
      cost: "mse" as const,
      bias: true,
    };
    expect(paramRange(n, 1)).toBe("for l = 1, j must be 1…3 and k 0…2 (k = 0 is the bias).");
    expect(paramRange(n, 3)).toBe("layer l must be 1…2.");
  });
});
