/**
 * The compiled program as a self-contained ES module: the straight-line code {@link compile} runs,
 * the runtime helpers it calls written out as source, and functions to call it with. The file
 * imports nothing, so `node` (or a browser, or a bundler) can load it anywhere.
 */
import { ArgumentError } from "../errors.js";
import { FUNCTION_HELPERS_SOURCE, FUNCTIONS } from "../expr/functions.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { emitSource } from "./compile.js";

/**
 * The runtime helpers of generated code, as JavaScript source: `sigmoid`, `softplus` and
 * `fnOp(name, order, x)` with the same operations, in the same order, as core's {@link sigmoid},
 * {@link softplus} and {@link fnOp} — the helpers and each function's source from core's function
 * table ({@link FUNCTIONS}) — so a module computes what {@link compile} computes, bit for bit (a
 * test holds them equal).
 */
export const MODULE_RUNTIME = `${FUNCTION_HELPERS_SOURCE}
// f⁽ⁿ⁾(x) by name
const FUNCTIONS = {
${Object.values(FUNCTIONS)
  .map((f) => `  ${JSON.stringify(f.name)}: ${f.source},`)
  .join("\n")}
};
function fnOp(fn, order, x) {
  if (!Object.hasOwn(FUNCTIONS, fn)) throw new RangeError("Unknown function " + JSON.stringify(fn) + ".");
  return FUNCTIONS[fn](order, x);
}`;

/** Options of {@link emitModule}. */
export interface ModuleOptions {
  /** Emit the gradients too (default true); false gives J alone (`cost`, no `gradient`). */
  readonly gradients?: boolean;
  /** A first comment line saying what the module is (e.g. the command that wrote it). */
  readonly title?: string;
}

/** A list of ids as a frozen array literal. */
const idList = (ids: readonly string[]) => `Object.freeze(${JSON.stringify(ids)})`;

/**
 * A self-contained ES module (no imports) for J and, unless `gradients` is false, every ∂J/∂θ of
 * a graph. It exports `parameters`, `inputs` and `targets` (ids, in the order the arrays use),
 * `cost(theta, x, y)` → J and `gradient(theta, x, y, grad?)` → `{ cost, gradient }`, where theta
 * holds one number per parameter, x the inputs of m examples one row after another and y their
 * targets; arrays or typed arrays. The results are those of {@link compile}, bit for bit.
 */
export function emitModule(graph: Graph, options: ModuleOptions = {}): string {
  if (typeof options !== "object" || options === null)
    throw new ArgumentError(
      "invalid-argument",
      `emitModule's options are { gradients?: boolean, title?: string }; got ${kindOf(options)}.`,
      options,
    );
  const withGrad = options.gradients ?? true;
  if (typeof withGrad !== "boolean")
    throw new ArgumentError(
      "invalid-argument",
      `emitModule's gradients option is true or false; got ${kindOf(withGrad)}.`,
      withGrad,
    );
  if (options.title !== undefined && typeof options.title !== "string")
    throw new ArgumentError(
      "invalid-argument",
      `emitModule's title is a string; got ${kindOf(options.title)}.`,
      options.title,
    );
  const idx = graphIndex(graph);
  const body = emitSource(graph, withGrad);
  const layers = graph.layers;
  const what =
    layers === null
      ? "a graph"
      : `a ${layers.sizes.join("-")} network (${[...new Set(layers.activations)].join(", ")}; ${idx.cost.cost}${idx.cost.l2 > 0 ? `, L2 λ = ${idx.cost.l2}` : ""})`;
  const title = (options.title ?? "").replace(/[\r\n\u2028\u2029]+/g, " ");
  return [
    ...(title === "" ? [] : [`// ${title}`]),
    `// chainrule: J${withGrad ? ` and ∂J/∂θ for the ${idx.params.length} parameters` : ""} of ${what}, straight-line code from the ${withGrad ? "δ form" : "forward form"}.`,
    `// A self-contained ES module (it imports nothing). theta: one number per parameter, in the order`,
    `// of \`parameters\`; x: the inputs of m examples, one row after another (m × ${idx.inputs.length}); y: their`,
    `// targets (m × ${idx.targets.length}). Arrays or typed arrays.`,
    `//   cost(theta, x, y)            → J`,
    ...(withGrad
      ? [
          `//   gradient(theta, x, y, grad?) → { cost: J, gradient: ∂J/∂θ (a Float64Array, in the order of \`parameters\`) }`,
        ]
      : []),
    ``,
    `/** Parameter ids, in the order of theta${withGrad ? " and of the gradient" : ""}. */`,
    `export const parameters = ${idList(idx.params)};`,
    `/** Input ids: the columns of each row of x. */`,
    `export const inputs = ${idList(idx.inputs)};`,
    `/** Target ids: the columns of each row of y. */`,
    `export const targets = ${idList(idx.targets)};`,
    ``,
    `// The runtime helpers the program calls.`,
    MODULE_RUNTIME,
    ``,
    `// The program: J${withGrad ? " and ∂J/∂θ into grad" : ""}, for m examples.`,
    `const program = (function (rt) {`,
    body,
    `})({ sigmoid, softplus, fnOp });`,
    ``,
    `/** The number of examples m in x and y, after checking theta, x and y fit the program. */`,
    `function examples(theta, x, y) {`,
    `  const list = (v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));`,
    `  if (!list(theta) || theta.length !== parameters.length) throw new TypeError("theta must be an array of " + parameters.length + " numbers (one per parameter, in the order of \`parameters\`).");`,
    `  if (!list(x) || !list(y)) throw new TypeError("x and y must be arrays of numbers (the examples' rows, one after another).");`,
    `  const m = x.length / inputs.length;`,
    `  if (!Number.isInteger(m) || m < 1 || y.length !== m * targets.length) throw new RangeError("x must hold m ≥ 1 rows of " + inputs.length + " inputs and y the same m rows of " + targets.length + " targets; got " + x.length + " and " + y.length + " numbers.");`,
    `  return m;`,
    `}`,
    ``,
    ...(withGrad
      ? [
          `/** J and ∂J/∂θ on the examples (x, y): the gradient goes into grad (a new Float64Array by default). */`,
          `export function gradient(theta, x, y, grad = new Float64Array(parameters.length)) {`,
          `  const m = examples(theta, x, y);`,
          `  if (!(grad instanceof Float64Array) || grad.length !== parameters.length) throw new TypeError("grad must be a Float64Array of " + parameters.length + " entries.");`,
          `  const cost = program(theta, x, y, m, grad);`,
          `  return { cost, gradient: grad };`,
          `}`,
          ``,
          `/** J on the examples (x, y). */`,
          `export function cost(theta, x, y) {`,
          `  return gradient(theta, x, y).cost;`,
          `}`,
        ]
      : [
          `/** J on the examples (x, y). */`,
          `export function cost(theta, x, y) {`,
          `  return program(theta, x, y, examples(theta, x, y), undefined);`,
          `}`,
        ]),
    ``,
  ].join("\n");
}
