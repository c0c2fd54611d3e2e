/** `chainrule grad`: J and ∂J/∂θ of a model on data, in the model file's own shape. */
import { writeJson } from "@chainrule/nn";
import { UsageError } from "../errors.js";
import { MODEL_OPTIONS, dataSource, loadData, loadModel } from "../nn-input.js";
import type { Verb } from "../verb.js";

export const gradVerb: Verb = {
  name: "grad",
  summary: "J and every ∂J/∂θ of a model on data, shaped like the model's weights and biases",
  examples: ["chainrule grad --model model.json --data data.csv", "chainrule grad --model xor.json --dataset xor"],
  options: {
    ...MODEL_OPTIONS,
    engine: { type: "string", value: "auto|matrix|compiled", description: "matrix form on typed arrays, or compiled straight-line code", default: "auto" },
  },
  run(values, io) {
    const engine = (values["engine"] as string | undefined) ?? "auto";
    if (engine !== "auto" && engine !== "matrix" && engine !== "compiled") throw new UsageError(`--engine "${engine}": use auto, matrix or compiled`);
    const source = dataSource(values);
    const model = loadModel(values);
    const net = model.network;
    const data = loadData(source, net, model.classes, 0);
    const { cost, gradient } = net.gradient(data, { kind: engine });
    const biases = net.biases(gradient);
    io.out(writeJson({ cost, weights: net.weights(gradient), ...(biases !== null ? { biases } : {}) }));
  },
};
