/**
 * `chainrule compile`: the straight-line JavaScript chainrule runs for J and every ∂J/∂θ, as a
 * self-contained ES module (core's `emitModule`: the runtime helpers included, no imports) that
 * node or a browser imports and calls:
 *
 *   import { gradient } from "./grad.mjs";
 *   const { cost, gradient: g } = gradient(theta, x, y);
 *
 * or, with `--target numpy`, the matrix form as a Python module for NumPy (core's
 * `emitNumpyModule`): forward, cost and gradient vectorised over the batch, each δ a named array.
 */
import {
  emitModule,
  emitNumpyModule,
  layered,
  layeredSpec,
  matrixFormProblem,
  nameOf,
  parameterIds,
} from "@chainrule/core";
import { templateSpec } from "@chainrule/nn";
import { checkOutput, writeFileAtomic } from "@chainrule/nn/node";
import { layerSpec, NETWORK_OPTIONS, parseChoice } from "../args.js";
import { UsageError } from "../errors.js";
import { compileEstimate, graphLimit, guard, layersOf, MAX_WORK_OPTION } from "../guards.js";
import { verb } from "../verb.js";
import { VERSION } from "../version.js";

export const compileVerb = verb({
  name: "compile",
  summary: "the generated JavaScript for J and all gradients, as an ES module node can import",
  examples: [
    'chainrule compile --layers 2,2,2 --no-bias --out grad.mjs   # then: import { gradient } from "./grad.mjs"',
    "chainrule compile --layers 2,2,1 --cost-only                # J alone, printed",
    "chainrule compile --layers 4,8,3 --activation relu,softmax --target numpy --out net.py",
  ],
  options: {
    ...NETWORK_OPTIONS,
    target: {
      type: "string",
      value: "js|numpy",
      description: "js: straight-line JavaScript per parameter; numpy: a Python module of the matrix form",
      default: "js",
    },
    "cost-only": { type: "boolean", description: "emit J alone (the module exports cost, no gradient)" },
    out: {
      type: "string",
      value: "FILE",
      description: "write the module to FILE (e.g. grad.mjs) instead of printing it",
    },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const target = parseChoice(values.target, "--target", ["js", "numpy"] as const, "js");
    const spec = layerSpec(values);
    const out = values.out;
    if (out === "")
      throw new UsageError(`--out needs a file name, e.g. --out ${target === "js" ? "grad.mjs" : "net.py"}`);
    if (target === "numpy") {
      if (values["cost-only"])
        throw new UsageError("--cost-only is for --target js; the NumPy module has cost() and gradient()");
      const { info, cost } = layeredSpec(spec);
      const problem = matrixFormProblem(info.activations[info.activations.length - 1]!, cost);
      if (problem !== null) throw new UsageError(`--target numpy writes the matrix form: ${problem}`);
      if (out !== undefined) checkOutput(out, { option: "--out" });
      // the module is the same code at every width: the matrix form of a small template of the layers
      const template = layered(templateSpec(spec));
      const source = emitNumpyModule(template, {
        sizes: info.sizes,
        title: `written by chainrule ${VERSION} compile --target numpy`,
      });
      if (out === undefined) {
        io.out(source.replace(/\n$/, ""));
        return;
      }
      writeFileAtomic(out, source, { option: "--out" });
      io.out(
        `wrote ${nameOf(out)}: forward, cost and gradient(weights, biases, x, y) of the ${info.sizes.join("-")} network for NumPy; import it in Python`,
      );
      return;
    }
    // the code grows with the parameters: estimated from the sizes before the graph is built
    const layers = layersOf(spec);
    guard(`compile of ${layers.name}`, compileEstimate(layers, !values["cost-only"]), values, [graphLimit(layers)]);
    // the file's folder is proved writable before any work
    if (out !== undefined) checkOutput(out, { option: "--out" });
    const graph = layered(spec);
    const n = parameterIds(graph).length;
    const source = emitModule(graph, {
      gradients: !values["cost-only"],
      title: `written by chainrule ${VERSION} compile`,
    });
    if (out === undefined) {
      io.out(source.replace(/\n$/, ""));
      return;
    }
    writeFileAtomic(out, source, { option: "--out" });
    io.out(
      `wrote ${nameOf(out)}: ${values["cost-only"] ? "cost(theta, x, y)" : "gradient(theta, x, y) and cost(theta, x, y)"} for ${n} parameters; import it as an ES module`,
    );
  },
});
