/** `chainrule check`: the derived gradient against central differences, on seeded random numbers. */
import { gradCheck, layered, unknownName } from "@chainrule/core";
import { NETWORK_OPTIONS, layerSpec, parseInteger, parseNumber } from "../args.js";
import { randomCase } from "../random-case.js";
import type { Verb } from "../verb.js";

export const checkVerb: Verb = {
  name: "check",
  summary: "gradient check: derived ∂J/∂θ against central finite differences",
  examples: ["chainrule check --layers 3,4,2 --activation tanh --cost mse --seed 7", "chainrule check --layers 4,8,3 --activation relu,softmax --examples 16"],
  options: {
    ...NETWORK_OPTIONS,
    seed: { type: "string", value: "n", description: "seed for the random weights and data", default: "1" },
    examples: { type: "string", value: "m", description: "number of random examples", default: "4" },
    form: { type: "string", value: "delta|chain|local", description: "which derived form to check", default: "delta" },
    tolerance: { type: "string", value: "ε", description: "exit with status 1 when the worst relative error is above this", default: "1e-6" },
  },
  run(values, io) {
    const spec = layerSpec(values);
    const seed = parseInteger(values["seed"] as string | undefined, "--seed", 1, 0, 2 ** 32 - 1);
    const m = parseInteger(values["examples"] as string | undefined, "--examples", 4, 1, 100_000);
    const tolerance = parseNumber(values["tolerance"] as string | undefined, "--tolerance", 1e-6, 0);
    const form = (values["form"] as string | undefined) ?? "delta";
    if (form !== "delta" && form !== "chain" && form !== "local") throw unknownName("form", form, ["delta", "chain", "local"]);
    const graph = layered(spec);
    const { theta, data } = randomCase(graph, seed, m);
    const r = gradCheck(graph, theta, data, { form });
    io.out(
      JSON.stringify(
        {
          layers: spec.sizes,
          seed,
          examples: m,
          form,
          passed: r.maxRelError <= tolerance,
          tolerance,
          maxRelError: r.maxRelError,
          normRelError: r.normRelError,
          worst: r.worst,
          parameters: r.parameters.map((p) => ({ param: p.param, derived: p.derived, numeric: p.numeric, relError: p.relError })),
        },
        null,
        2,
      ),
    );
    return r.maxRelError <= tolerance ? 0 : 1;
  },
};
