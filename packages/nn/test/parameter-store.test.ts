/**
 * The parameter store Network and GraphModel share: a frozen set is kept as a mask (its list read
 * back in parameter order, each once), a refused set or parameter list changes nothing, what it
 * hands out is a copy, and the model's engine is asked for only by a computation.
 */

import { describe, expect, it } from "vitest";
import { Engine, OptionError, ShapeError } from "../src/index.js";
import { type FrozenRules, ParameterStore, type StoreModel } from "../src/parameter-store.js";

/** A store of a 2-2-1 network's 9 parameters whose model counts how often its engine is asked for. */
function storeOf() {
  const engine = Engine.forLayers({ sizes: [2, 2, 1], activation: "sigmoid", cost: "mse" });
  let asked = 0;
  const model: StoreModel = {
    description: "a 2-2-1 network",
    inputCount: 2,
    outputCount: 1,
    engine: () => {
      asked++;
      return engine;
    },
  };
  const store = new ParameterStore(
    Float64Array.from({ length: 9 }, (_, i) => (i - 4) / 10),
    model,
  );
  return { store, asked: () => asked };
}

/** Parameters named "p0" … "p8"; the biases are p0, p3 and p6. */
const name = (i: number) => `p${i}`;
const rules: FrozenRules = {
  biases: (mask) => {
    for (const i of [0, 3, 6]) mask[i] = 1;
  },
  notAList: (got) => new OptionError(`not a list: ${String(got)}`, got),
  indexOf: (entry) => {
    const i = typeof entry === "string" ? Number(entry.slice(1)) : Number.NaN;
    if (!(i >= 0 && i < 9)) throw new OptionError(`no parameter ${String(entry)}`, entry);
    return i;
  },
};

describe("the parameter store", () => {
  it("keeps a frozen list as its parameters in parameter order, each once; 'biases' as 'biases'; null and [] unfreeze", () => {
    const { store } = storeOf();
    expect(store.frozen(name)).toBeNull();
    store.setFrozen(["p5", "p1", "p5"], rules);
    expect(store.frozen(name)).toEqual(["p1", "p5"]);
    expect(Array.from(store.frozenMask()!)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 0]);
    store.setFrozen(["p6", "p0", "p3"], rules);
    expect(store.frozen(name)).toEqual(["p0", "p3", "p6"]);
    store.setFrozen("biases", rules);
    expect(store.frozen(name)).toBe("biases");
    expect(Array.from(store.frozenMask()!)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0]);
    store.setFrozen([], rules);
    expect(store.frozen(name)).toBeNull();
    expect(store.frozenMask()).toBeNull();
    store.setFrozen("biases", rules);
    store.setFrozen(null, rules);
    expect(store.frozen(name)).toBeNull();
  });

  it("changes nothing when a frozen set is refused", () => {
    const { store } = storeOf();
    store.setFrozen(["p2"], rules);
    expect(() => store.setFrozen(["p1", "p99"], rules)).toThrow("no parameter p99");
    expect(() => store.setFrozen(7, rules)).toThrow("not a list: 7");
    const noBiases: FrozenRules = {
      ...rules,
      biases: () => {
        throw new OptionError("no biases", "biases");
      },
    };
    expect(() => store.setFrozen("biases", noBiases)).toThrow("no biases");
    expect(store.frozen(name)).toEqual(["p2"]);
    expect(Array.from(store.frozenMask()!)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("hands out copies: of the parameters, of the mask; a clone's frozen set stays its own", () => {
    const { store } = storeOf();
    store.setFrozen("biases", rules);
    store.frozenMask()![1] = 1;
    store.copy()[0] = 99;
    expect(store.frozenMask()![1]).toBe(0);
    expect(store.theta[0]).toBe(-0.4);
    const target = new Float64Array(9);
    expect(store.copy(target)).toBe(target);
    expect(Array.from(target)).toEqual(Array.from(store.theta));

    const other = storeOf().store;
    other.freezeAs(store);
    store.setFrozen(["p8"], rules);
    expect(other.frozen(name)).toBe("biases");
    expect(store.frozen(name)).toEqual(["p8"]);
  });

  it("refuses a parameter list of another length or with a value that is not finite, naming it, and changes nothing", () => {
    const { store } = storeOf();
    const before = store.copy();
    const named: number[] = [];
    const naming = (i: number) => {
      named.push(i);
      return name(i);
    };
    const set = (values: unknown) => () => store.setAll(values as ArrayLike<number>, "a list of numbers", naming);
    expect(set([1, 2])).toThrow("A 2-2-1 network has 9 parameters; got 2 values.");
    expect(set([0, 0, 0, 0, Number.NaN, 0, 0, 0, 0])).toThrow("Parameter 4 (p4) must be a finite number, got NaN.");
    expect(set(5)).toThrow(/^Parameters are a list of numbers; got a number 5\.$/);
    expect(Array.from(store.theta)).toEqual(Array.from(before));
    expect(named).toEqual([4]);

    store.setAll(new Float64Array(9).fill(0.5), "a list of numbers", naming);
    expect(Array.from(store.theta)).toEqual(new Array(9).fill(0.5));
    expect(named).toEqual([4]); // a name is made only for a refused value
  });

  it("asks for the model's engine only to compute, and checks the examples it predicts for first", () => {
    const { store, asked } = storeOf();
    store.setAll([0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9], "a list of numbers", name);
    store.setFrozen("biases", rules);
    store.checked({ x: [[0, 1]], y: [[1]] }, "The data");
    expect(asked()).toBe(0);
    expect(() => store.predict([[1, 2, 3]], undefined)).toThrow(ShapeError);
    expect(asked()).toBe(0);

    const data = {
      x: [
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [[1], [0], [1]],
    };
    const out = store.predict(data.x, undefined);
    expect(out.length).toBe(3);
    const { cost, accuracy } = store.evaluate(data);
    expect(cost).toBe(store.cost(data));
    const right = data.y.filter((row, e) => (out[e]! >= 0.5 ? 1 : 0) === row[0]).length;
    expect(accuracy).toBe(right / 3);
    expect(asked()).toBe(3);
  });
});
