/**
 * The small template of a layered network: the same layers, activations, cost, biases and λ and
 * the same output width, with at most 2 inputs and 1 neuron in each inner layer. Its matrix form's
 * steps name layers and its element-wise templates are written for neuron 1, so they hold at every
 * width: code generators (nn's engine, ONNX export, core's NumPy module) derive on it instead of
 * building the per-weight graph of a large network.
 */
import { type LayerSpec, layeredInfo } from "@chainrule/core";
import { templateSizes } from "./engine/engine.js";

/** The spec of the template of a layered network's spec (checked as core checks a spec). */
export function templateSpec(spec: LayerSpec): LayerSpec {
  const info = layeredInfo(spec);
  return { ...spec, sizes: templateSizes(info.sizes), activation: info.activations, bias: info.bias };
}
