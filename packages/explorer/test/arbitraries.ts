/**
 * fast-check arbitraries of the explorer's state: layered networks (any activation anywhere and
 * any cost, so some are invalid on purpose), parameter addresses inside a network, and whole
 * states with seeded or typed numbers.
 */

import {
  ACTIVATIONS,
  type ActivationName,
  COSTS,
  type CostName,
  ELEMENTWISE_ACTIVATIONS,
  OUTPUT_PAIRS,
} from "@chainrule/core";
import fc from "fast-check";
import { type ExplorerState, type NetworkState, NOTATION_NAMES, type ParamAddress, VIEW_IDS } from "../src/state.js";

/** A network of 2–4 layers of 1–4 neurons; activations and cost drawn freely (not always valid). */
export const anyNetwork: fc.Arbitrary<NetworkState> = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 })
  .chain((sizes) =>
    fc.record({
      sizes: fc.constant(sizes),
      activations: fc.array(fc.constantFrom<ActivationName>(...ACTIVATIONS), {
        minLength: sizes.length - 1,
        maxLength: sizes.length - 1,
      }),
      cost: fc.constantFrom<CostName>(...COSTS),
      bias: fc.boolean(),
    }),
  );

/** A network core accepts: element-wise hidden layers, and an output that suits its cost (core's OUTPUT_PAIRS; a softmax over two or more units). */
export const validNetwork: fc.Arbitrary<NetworkState> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.constantFrom<ActivationName>(...ELEMENTWISE_ACTIVATIONS),
    output: fc.constantFrom(...OUTPUT_PAIRS),
    bias: fc.boolean(),
  })
  // a softmax spreads over two or more units (core refuses one), so its output layer is widened
  .map(({ sizes, hidden, output, bias }) =>
    output.act === "softmax"
      ? { sizes: [...sizes.slice(0, -1), Math.max(2, sizes.at(-1)!)], hidden, output, bias }
      : { sizes, hidden, output, bias },
  )
  .map(({ sizes, hidden, output, bias }) => ({
    sizes,
    activations: [...sizes.slice(2).map(() => hidden), output.act],
    cost: output.cost,
    bias,
  }));

/** A parameter of a network: θ⁽ˡ⁾_jk with l, j, k in range (k = 0 only with biases). */
export function paramOf(n: NetworkState): fc.Arbitrary<ParamAddress> {
  return fc
    .integer({ min: 1, max: n.sizes.length - 1 })
    .chain((l) =>
      fc.tuple(
        fc.constant(l),
        fc.integer({ min: 1, max: n.sizes[l]! }),
        fc.integer({ min: n.bias ? 0 : 1, max: n.sizes[l - 1]! }),
      ),
    );
}

/** A finite number; zero without its sign (a URL writes −0 as 0, and nothing here tells them apart). */
const number = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((v) => (v === 0 ? 0 : v));

/** A whole explorer state over a valid network. */
export const validState: fc.Arbitrary<ExplorerState> = validNetwork.chain((network) =>
  fc.record({
    network: fc.constant(network),
    notation: fc.constantFrom(...NOTATION_NAMES),
    param: paramOf(network),
    weights: fc.oneof(
      fc.record({ mode: fc.constant("random" as const), seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      fc.record({
        mode: fc.constant("typed" as const),
        theta: fc.array(number(-3, 3), { minLength: 1, maxLength: 6 }),
        x: fc.array(number(-3, 3), { minLength: 1, maxLength: 3 }),
        y: fc.array(number(0, 1), { minLength: 1, maxLength: 3 }),
      }),
    ),
    view: fc.constantFrom(...VIEW_IDS),
  }),
);
