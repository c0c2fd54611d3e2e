/**
 * The explorer's state: its URL form reads back as the same state, malformed links fall back to
 * the defaults part by part, and which θ exist (core's layer rules) agrees with core's graphs.
 */

import { layered, parameterIds } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_STATE,
  fromHash,
  paramAddressOf,
  paramExists,
  paramNodeId,
  structureKey,
  toHash,
} from "../src/state.js";
import { networkProblem } from "../src/validate.js";
import { anyNetwork, validState } from "./arbitraries.js";

const graphOf = (n: { sizes: readonly number[]; activations: readonly string[]; cost: string; bias: boolean }) =>
  layered({ sizes: n.sizes, activation: [...n.activations], cost: n.cost, bias: n.bias });

describe("the URL form", () => {
  it("reads back every valid state as it was", () => {
    fc.assert(
      fc.property(validState, (s) => {
        expect(fromHash(`#${toHash(s)}`, networkProblem)).toEqual(s);
      }),
    );
  });

  it("keeps the default for each part that is missing or malformed", () => {
    expect(fromHash("", networkProblem)).toEqual(DEFAULT_STATE);
    const s = fromHash("#layers=3,x,2&notation=klingon&param=9,9,9&seed=-4&view=nowhere", networkProblem);
    expect(s).toEqual(DEFAULT_STATE);
    // a valid network with an impossible parameter keeps the network and falls back to θ(1)_11
    const t = fromHash(
      "#layers=3,4,2&act=tanh,softmax&cost=cross-entropy&bias=on&param=2,9,1&notation=ng",
      networkProblem,
    );
    expect(t.network).toEqual({
      sizes: [3, 4, 2],
      activations: ["tanh", "softmax"],
      cost: "cross-entropy",
      bias: true,
    });
    expect(t.param).toEqual([1, 1, 1]);
    expect(t.notation).toBe("ng");
    expect(fromHash("#layers=2,2,2&param=1,1.5,1", networkProblem).param).toEqual([1, 1, 1]);
  });

  it("refuses a network the controls would refuse (too wide, or one core rejects)", () => {
    expect(fromHash("#layers=2,10000,2", networkProblem).network).toEqual(DEFAULT_STATE.network);
    expect(fromHash("#layers=2,2&act=sigmoid&cost=cross-entropy", networkProblem).network).toEqual(
      DEFAULT_STATE.network,
    );
  });
});

describe("shapes", () => {
  it("knows which θ⁽ˡ⁾_jk exist: exactly the graph's parameters", () => {
    fc.assert(
      fc.property(
        anyNetwork,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        (n, l, j, k) => {
          const g = graphOf({ ...n, activations: n.activations.map(() => "sigmoid"), cost: "mse" });
          expect(paramExists(n, [l, j, k])).toBe(parameterIds(g).includes(paramNodeId([l, j, k])));
        },
      ),
    );
  });

  it("reads parameter ids back into addresses, and nothing else", () => {
    expect(paramAddressOf(paramNodeId([2, 3, 0]))).toEqual([2, 3, 0]);
    expect(paramAddressOf("z_2_1")).toBeNull();
    expect(paramAddressOf("theta_1_1")).toBeNull();
  });

  it("changes the structure key exactly when the graph changes", () => {
    fc.assert(
      fc.property(anyNetwork, anyNetwork, (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(structureKey(a) === structureKey(b)).toBe(same);
      }),
    );
  });
});
