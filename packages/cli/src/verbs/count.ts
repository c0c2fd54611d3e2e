/** `chainrule count`: parameters, paths and chain factors of a network, without listing paths. */
import { count, layered } from "@chainrule/core";
import { NETWORK_OPTIONS, layerSpec } from "../args.js";
import type { Verb } from "../verb.js";

export const countVerb: Verb = {
  name: "count",
  summary: "count parameters, chain-rule paths and partial-derivative factors",
  examples: ["chainrule count --layers 2,2,2 --no-bias   # 8 parameters, 12 paths, 52 factors", "chainrule count --layers 784,128,10"],
  options: NETWORK_OPTIONS,
  run(values, io) {
    const spec = layerSpec(values);
    const c = count(layered(spec));
    // bigint counts print as exact integers
    io.out(JSON.stringify({ layers: spec.sizes, bias: spec.bias ?? true, ...c }, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2).replace(/"(\d{16,})"/g, "$1"));
  },
};
