/**
 * @chainrule/core — computation graphs of z and a nodes, every ∂J/∂θ derived symbolically by the
 * chain rule (paths, chain form, local partials, δ form, matrix form), and the numbers from it.
 *
 * @packageDocumentation
 * @module @chainrule/core
 */

export * from "./derive/delta.js";
export * from "./derive/forward.js";
export * from "./derive/layered-count.js";
export * from "./derive/lifted-cost.js";
export * from "./derive/matrix.js";
export * from "./derive/paths.js";
export * from "./derive/penalty.js";
export * from "./derive/second.js";
export * from "./derive/structure.js";
export * from "./errors.js";
export * from "./eval/compile.js";
export * from "./eval/contributions.js";
export * from "./eval/data.js";
export * from "./eval/emit.js";
export * from "./eval/evaluate.js";
export * from "./eval/gradcheck.js";
export * from "./eval/hessian.js";
export * from "./eval/matrix.js";
export * from "./eval/module.js";
export * from "./eval/names.js";
export * from "./eval/numpy.js";
export * from "./eval/ops.js";
export * from "./eval/param-sample.js";
export * from "./eval/program.js";
export * from "./expr/expr.js";
export * from "./expr/functions.js";
export * from "./expr/json.js";
export * from "./expr/lower.js";
export * from "./graph/builder.js";
export * from "./graph/layer-rules.js";
export * from "./graph/layered.js";
export * from "./graph/per-graph.js";
export * from "./graph/types.js";
export * from "./graph/validate.js";
export * from "./messages.js";
export * from "./random.js";
export * from "./registry/activations.js";
export * from "./registry/costs.js";
