/**
 * `chainrule grad`: J and ∂J/∂θ of a model on data — as JSON in the model file's own shape, or as
 * text, one ∂J/∂θ⁽ˡ⁾_jk per line in the post's notation.
 */
import { ids, layeredParamAddress } from "@chainrule/core";
import { type Network, NonFiniteError, writeJson } from "@chainrule/nn";
import { parseChoice, parseEngine } from "../args.js";
import { guard, layersOf, MAX_WORK_OPTION, networkEstimate } from "../guards.js";
import { DATA_SEED_OPTION, dataSeed, dataSource, loadData, loadModel, MODEL_OPTIONS } from "../nn-input.js";
import { verb } from "../verb.js";

/** One line per parameter: dJ/dtheta_l_j_k = value (k = 0 is the bias). */
function textLines(net: Network, cost: number, gradient: Float64Array): string[] {
  const { sizes, bias } = net.spec;
  const w = net.weights(gradient);
  const b = net.biases(gradient);
  const lines = [`J = ${cost}`];
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 1; j <= sizes[l]!; j++) {
      if (bias && b !== null) lines.push(`dJ/d${ids.theta(l, j, 0)} = ${b[l - 1]![j - 1]!}`);
      for (let k = 1; k <= sizes[l - 1]!; k++) lines.push(`dJ/d${ids.theta(l, j, k)} = ${w[l - 1]![j - 1]![k - 1]!}`);
    }
  }
  return lines;
}

/**
 * A NonFiniteError when J or some ∂J/∂θ is NaN or ±Infinity (it overflowed): such a result is no
 * gradient to report, in either format.
 */
function checkFinite(net: Network, cost: number, gradient: Float64Array, model: string, data: string): void {
  const check =
    "Check the model's weights for very large values, and the data's scale (inputs far from 0 overflow the activations; scale them to about −1…1).";
  if (!Number.isFinite(cost))
    throw new NonFiniteError("cost", cost, `The cost J of ${model} on ${data} is ${cost}: it overflowed. ${check}`);
  const i = gradient.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) {
    // its id from the layer sizes, as parameterIds(net.graph()) lists them (without building the graph)
    const id = ids.theta(...layeredParamAddress(net.spec, i));
    throw new NonFiniteError(
      id,
      gradient[i]!,
      `dJ/d${id} of ${model} on ${data} is ${gradient[i]} (J = ${cost}): it overflowed. ${check}`,
    );
  }
}

/** The `grad` verb. */
export const gradVerb = verb({
  name: "grad",
  summary: "J and every ∂J/∂θ of a model on data, shaped like the model's weights and biases",
  examples: [
    "chainrule grad --model model.json --data data.csv",
    "chainrule grad --model xor.json --dataset xor --format text",
    "chainrule grad --model moons.json --dataset moons --seed 5",
  ],
  options: {
    ...MODEL_OPTIONS,
    ...DATA_SEED_OPTION,
    format: {
      type: "string",
      value: "json|text",
      description: "json: {cost, weights, biases} in the model's shape; text: one ∂J/∂θ per line",
      default: "json",
    },
    engine: {
      type: "string",
      value: "auto|matrix|compiled",
      description: "matrix form on typed arrays, or compiled straight-line code",
      default: "auto",
    },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const engine = parseEngine(values);
    const format = parseChoice(values.format, "--format", ["json", "text"] as const, "json");
    const source = dataSource(values);
    const seed = dataSeed(values, source);
    const { model, path: modelPath } = loadModel(values);
    const net = model.network;
    const data = loadData(source, net, model.classes, seed, false, modelPath);
    // the engine and the work from the model's sizes and the examples, before the engine is built
    const layers = layersOf(net.layerSpec());
    const { estimate, hard } = networkEstimate(
      layers,
      data.m,
      3,
      "J and ∂J/∂θ",
      true,
      layers.parameters * (format === "text" ? 45 : 25),
    );
    guard(`grad of ${layers.name}`, estimate, values, hard);
    const { cost, gradient } = net.gradient(data, { kind: engine });
    checkFinite(net, cost, gradient, modelPath, source.kind === "file" ? source.path : `the ${source.name} dataset`);
    if (format === "text") {
      io.out(textLines(net, cost, gradient).join("\n"));
      return;
    }
    const biases = net.biases(gradient);
    io.out(writeJson({ cost, weights: net.weights(gradient), ...(biases !== null ? { biases } : {}) }));
  },
});
