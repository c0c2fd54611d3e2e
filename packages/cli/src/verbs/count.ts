/**
 * `chainrule count`: parameters, paths and chain factors of a network, from the layer sizes alone
 * (core's `layeredCount`): no graph is built and no path listed, so any size answers at once.
 */
import { layeredCount } from "@chainrule/core";
import { layerSpec, NETWORK_OPTIONS } from "../args.js";
import { grouped } from "../guards.js";
import { verb } from "../verb.js";

export const countVerb = verb({
  name: "count",
  summary: "count parameters, chain-rule paths and partial-derivative factors",
  examples: [
    "chainrule count --layers 2,2,2 --no-bias   # 8 parameters, 12 paths, 52 factors",
    "chainrule count --layers 784,128,10",
    "chainrule count --layers 100000,100000,10   # any size: counted from the sizes",
  ],
  options: {
    ...NETWORK_OPTIONS,
    json: { type: "boolean", description: "print the counts as JSON (exact integers at any size)" },
  },
  run(values, io) {
    const spec = layerSpec(values);
    const c = layeredCount(spec);
    if (values.json === true) {
      // bigint counts print as exact integers
      io.out(
        JSON.stringify(
          { layers: spec.sizes, bias: spec.bias ?? true, ...c },
          (_k, v) => (typeof v === "bigint" ? v.toString() : v),
          2,
        ).replace(/"(\d{16,})"/g, "$1"),
      );
      return;
    }
    const name = `${spec.sizes.join("-")} network${spec.bias === false ? " without biases" : ""}`;
    io.out(
      `a ${name}: ${grouped(c.parameters)} parameters, ${grouped(c.paths)} chain-rule paths, ${grouped(c.chainFactors)} partial-derivative factors`,
    );
  },
});
