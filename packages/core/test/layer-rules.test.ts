/**
 * The layer rules from the sizes alone agree with the graphs core builds: the parameter count,
 * which θ⁽ˡ⁾_jk exist and where each stands in parameterIds order, the address of each position,
 * the output rule of each cost, and the batch-shape check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACTIVATIONS,
  ArgumentError,
  batchProblem,
  ChainruleError,
  COSTS,
  ids,
  layered,
  layeredParamAddress,
  layeredParamExists,
  layeredParameterCount,
  layeredParamId,
  layeredParamIndex,
  layeredParamRanges,
  layeredSpec,
  paramAddressOf,
  parameterIds,
} from "../src/index.js";

const shape = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
  bias: fc.boolean(),
});
const address = fc.integer({ min: -1, max: 5 });

describe("parameters from the sizes alone", () => {
  it("count, exist and stand where the graph's parameterIds put them", () => {
    fc.assert(
      fc.property(shape, address, address, address, (layers, l, j, k) => {
        const order = parameterIds(layered(layers));
        expect(layeredParameterCount(layers.sizes, layers.bias)).toBe(order.length);
        const id = ids.theta(l, j, k);
        expect(layeredParamExists(layers, l, j, k)).toBe(order.includes(id));
        if (order.includes(id)) {
          expect(layeredParamId(layers, l, j, k)).toBe(id);
          expect(layeredParamIndex(layers, l, j, k)).toBe(order.indexOf(id));
        } else {
          expect(() => layeredParamIndex(layers, l, j, k)).toThrow(ArgumentError);
          expect(() => layeredParamIndex(layers, l, j, k)).toThrow(
            `in a ${layers.sizes.join("-")} network: ${layeredParamRanges(layers, l)}.`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("give every position its address and every id its address back", () => {
    fc.assert(
      fc.property(shape, (layers) => {
        parameterIds(layered(layers)).forEach((id, i) => {
          const a = layeredParamAddress(layers, i);
          expect(ids.theta(...a)).toBe(id);
          expect(paramAddressOf(id)).toEqual(a);
        });
        expect(() => layeredParamAddress(layers, layeredParameterCount(layers.sizes, layers.bias))).toThrow(
          ArgumentError,
        );
      }),
      { numRuns: 100 },
    );
    expect(paramAddressOf("z_2_1")).toBeNull();
    expect(paramAddressOf("theta_1_1")).toBeNull();
  });

  it("name the ranges that exist", () => {
    const layers = { sizes: [2, 3, 1], bias: true };
    expect(layeredParamRanges(layers, 1)).toBe("for l = 1, j must be 1…3 and k 0…2 (k = 0 is the bias)");
    expect(layeredParamRanges({ ...layers, bias: false }, 2)).toBe(
      "for l = 2, j must be 1…1 and k 1…3 (no biases in this network)",
    );
    expect(layeredParamRanges(layers, 3)).toBe("layer l must be 1…2");
    expect(() => layeredParamIndex(layers, 1, 1.5, 0)).toThrow(
      "The address of θ⁽ˡ⁾_jk is three whole numbers l, j, k; j is 1.5.",
    );
  });

  it("work at sizes whose graph is far too large to build", () => {
    const layers = { sizes: [100_000, 100_000, 10], bias: true };
    expect(layeredParamIndex(layers, 2, 10, 100_000)).toBe(layeredParameterCount(layers.sizes, true) - 1);
    expect(layeredParamAddress(layers, 100_001)).toEqual([1, 2, 0]);
  });
});

describe("the output rule", () => {
  it("refuses from the layers alone exactly what building the graph refuses", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ACTIVATIONS), { minLength: 2, maxLength: 2 }),
        fc.constantFrom(...COSTS),
        (activation, cost) => {
          const spec = { sizes: [2, 2, 2], activation, cost };
          const errors = [() => layeredSpec(spec), () => layered(spec)].map((f) => {
            try {
              return void f();
            } catch (e) {
              return e instanceof ChainruleError ? [e.name, e.code] : e;
            }
          });
          expect(errors[0]).toEqual(errors[1]);
        },
      ),
    );
    expect(() => layeredSpec({ sizes: [2, 3, 2], cost: "cross-entropy" })).toThrow(
      "cross-entropy needs softmax outputs, but the output layer (layer 3) is sigmoid; use softmax on the output layer or another cost.",
    );
  });
});

describe("the batch shape", () => {
  it("fits exactly when x and y hold m rows of the widths", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        (m, inputs, outputs, nx, ny, float64) => {
          const data = {
            m,
            x: float64 ? new Float64Array(nx) : Array.from({ length: nx }, () => 0),
            y: new Float64Array(ny),
          };
          const fits = nx === m * inputs && ny === m * outputs;
          expect(batchProblem(data, { inputs, outputs }) === null).toBe(fits);
          expect(batchProblem(data, { inputs, outputs, float64: true }) === null).toBe(fits && float64);
          expect(batchProblem(data, {}) === null).toBe(nx % m === 0 && ny % m === 0);
        },
      ),
    );
    expect(
      batchProblem({ m: 2, x: new Float64Array(4), y: new Float64Array(3) }, { inputs: 2, outputs: 1 }, "The batch"),
    ).toBe("The batch has m = 2 examples (2 inputs and 1 targets each: 4 and 2 numbers); got 4 inputs and 3 targets.");
    expect(batchProblem(null, {})).toMatch(/^A batch is \{ m, x, y \}; got null/);
    expect(batchProblem({ m: 0, x: [], y: [] }, {})).toBe("A batch needs m ≥ 1 examples, got m = 0.");
  });
});
