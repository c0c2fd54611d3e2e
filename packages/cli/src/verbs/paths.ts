/** `chainrule paths`: every path of one partial with its numeric contribution, largest first. */
import { ids, layered, layeredParamId, paramId, pathContributions } from "@chainrule/core";
import { NETWORK_OPTIONS, parseInteger, parseParam, parseSeed } from "../args.js";
import { UsageError } from "../errors.js";
import { graphLimit, guard, layersOf, MAX_WORK_OPTION, pathsEstimate } from "../guards.js";
import { MODEL_SPEC_OPTION, specOrModel } from "../nn-input.js";
import { graphShape, randomCase } from "../random-case.js";
import { verb } from "../verb.js";

export const pathsVerb = verb({
  name: "paths",
  summary: "paths of one ∂J/∂θ with each path's numeric contribution",
  examples: [
    "chainrule paths --layers 2,3,2 --param 1,1,1 --seed 7",
    "chainrule paths --layers 2,3,2 --param 1,1,1 --json",
  ],
  options: {
    ...NETWORK_OPTIONS,
    ...MODEL_SPEC_OPTION,
    param: { type: "string", value: "l,j,k", description: "which ∂J/∂θ⁽ˡ⁾_jk (k = 0 is the bias)" },
    seed: { type: "string", value: "n", description: "seed for the random weights and data", default: "1" },
    examples: { type: "string", value: "m", description: "number of random examples", default: "4" },
    json: { type: "boolean", description: "print JSON" },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const { spec, theta: given } = specOrModel(values);
    if (values.param === undefined) throw new UsageError("--param l,j,k is required, e.g. --param 1,1,1");
    const [l, j, k] = parseParam(values.param);
    const seed = parseSeed(values, 1);
    const m = parseInteger(values.examples, "--examples", 4, 1, 100_000);
    // the address, the paths and the work from the layer sizes, before the graph is built
    const layers = layersOf(spec);
    layeredParamId(layers, l, j, k);
    const { estimate, hard } = pathsEstimate(layers, l, m);
    guard(`paths of ${ids.theta(l, j, k)} in ${layers.name}`, estimate, values, [hard, graphLimit(layers)]);
    const graph = layered(spec);
    const id = paramId(graph, l, j, k);
    const drawn = randomCase(graphShape(graph), seed, m);
    // a model's own weights, on the seeded random examples
    const theta = given ?? drawn.theta;
    const data = drawn.data;
    const c = pathContributions(graph, id, theta, data);
    if (values.json) {
      io.out(
        JSON.stringify(
          { param: id, seed, examples: m, total: c.total, pathSum: c.pathSum, l2Term: c.l2Term, paths: c.paths },
          null,
          2,
        ),
      );
      return;
    }
    io.out(`∂J/∂${id} = ${c.total}  (${c.paths.length} paths, seed ${seed}, ${m} examples)`);
    const w = Math.max(...c.paths.map((p) => p.path.join(" → ").length));
    for (const p of c.paths)
      io.out(
        `  ${p.path.join(" → ").padEnd(w)}  ${p.value.toExponential(6).padStart(14)}  ${(p.share * 100).toFixed(1).padStart(6)}%`,
      );
    if (c.l2Term !== 0) io.out(`  ${"L2 term (λ/m)θ".padEnd(w)}  ${c.l2Term.toExponential(6).padStart(14)}`);
  },
});
