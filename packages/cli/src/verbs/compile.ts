/** `chainrule compile`: the straight-line JavaScript chainrule runs for J and every ∂J/∂θ. */
import { emitSource, layered, parameterIds } from "@chainrule/core";
import { NETWORK_OPTIONS, layerSpec } from "../args.js";
import { UsageError } from "../errors.js";
import type { Verb } from "../verb.js";

/** Above this many parameters the layer-level program (nn) is the right tool. */
const MAX_PARAMS = 20_000;

export const compileVerb: Verb = {
  name: "compile",
  summary: "print the generated JavaScript for J and all gradients",
  examples: ["chainrule compile --layers 2,2,2 --no-bias", "chainrule compile --layers 2,2,1 --cost-only"],
  options: {
    ...NETWORK_OPTIONS,
    "cost-only": { type: "boolean", description: "emit J alone (no gradients)" },
  },
  run(values, io) {
    const spec = layerSpec(values);
    const graph = layered(spec);
    const n = parameterIds(graph).length;
    if (n > MAX_PARAMS) throw new UsageError(`${n} parameters is too many for straight-line code (limit ${MAX_PARAMS}); nn trains such networks with layer kernels`);
    io.out(emitSource(graph, !values["cost-only"]));
  },
};
