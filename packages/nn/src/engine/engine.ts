/**
 * The numbers of a layered network: predictions, J and ∂J/∂θ, from one of two executors of the
 * same derivation — core's matrix form run on typed-array kernels ({@link MatrixProgram}), or
 * core's compiled straight-line code (`compile`), which is fastest for small networks and is the
 * only choice for a softmax output with mse (whose matrix form core does not give).
 */
import {
  type Batch,
  type Compiled,
  compile,
  type Graph,
  GraphError,
  hasMatrixForm,
  type LayerSpec,
  layered,
  layeredInfo,
  layeredParameterCount,
  oneOf,
  parameterIds,
  perGraph,
  requireLayers,
  show,
} from "@chainrule/core";
import { batchArgument, float64, INPUT_BUFFER, LAST_LOSS, optionsObject, UNCHECKED, UNCHECKED_LOSS } from "../check.js";
import { OptionError } from "../errors.js";
import { checkDtype, checkKernelChoice, type Dtype, type KernelChoice } from "../kernels/wasm/backend.js";
import { MatrixProgram } from "./matrix-program.js";

/** Which executor computes gradients. */
export type EngineKind = "matrix" | "compiled";

/** The engine choices of {@link EngineOptions.kind} and of training ("auto" picks by size). */
export const ENGINE_KINDS = ["auto", "matrix", "compiled"] as const;

/** Checks an engine choice: one of {@link ENGINE_KINDS}, or an UnknownNameError naming them. */
export function checkEngineKind(name: string): EngineKind | "auto" {
  return oneOf(ENGINE_KINDS, name, "engine");
}

/** Options of {@link Engine.create}. */
export interface EngineOptions {
  /** "auto" (default): compiled code up to {@link COMPILED_MAX_PARAMETERS} parameters, else the matrix form. */
  readonly kind?: EngineKind | "auto";
  /** Examples per run the matrix program is sized for (grown on demand; default 64). */
  readonly capacity?: number;
  /**
   * The kernels of the matrix form's products: "auto" (default) WebAssembly SIMD where the host
   * runs it (for networks of at least `WASM_MIN_PARAMETERS`, 100, parameters), else plain
   * JavaScript; "js" forces the plain-JavaScript kernels; "wasm" asks for
   * WebAssembly (an OptionError where it is not available). Both give the same numbers, bit for
   * bit, so the choice changes speed only. Compiled code (the "compiled" kind) has no products.
   */
  readonly kernels?: KernelChoice;
  /**
   * The arithmetic of the matrix products: "float64" (default) or "float32" (WebAssembly only:
   * operands rounded to float32, products and sums in float32 — faster, within the error bound of
   * a float32 dot product; see `MatrixProgramOptions.dtype`). With "float32", kind "auto" picks
   * the matrix engine at any size; compiled code (always float64) refuses it.
   */
  readonly dtype?: Dtype;
}

/**
 * Networks with at most this many parameters train on compiled straight-line code under "auto"
 * (measured: compiled code is about twice as fast up to ~150 parameters, the matrix form beyond).
 */
export const COMPILED_MAX_PARAMETERS = 128;
/** Compiled code grows with the parameter count; beyond this the compiler is not used at all. */
export const COMPILED_LIMIT = 20_000;

/** core's compiled program of a graph, compiled once per graph object (the graph engine's too). */
export const compiledOf = perGraph((graph): Compiled => compile(graph));

/** True when core gives the matrix form of this graph (core's predicate). */
export { hasMatrixForm } from "@chainrule/core";

/** Runs a network's derivation on batches. Not safe to share between concurrent runs. */
export class Engine {
  private program: MatrixProgram;
  private readonly compiled: Compiled | null;
  private readonly forwardOnly: boolean;
  /** J of the last compiled gradient run (compiled code does not keep its parts). */
  private lastJ = Number.NaN;

  /**
   * `template` is the network's graph, or (with `wide`) a small graph of the same layers that
   * stands for the network of sizes `wide` (see {@link Engine.forLayers}).
   */
  private constructor(
    private readonly template: Graph,
    readonly kind: EngineKind,
    capacity: number,
    private readonly wide: { readonly sizes: readonly number[]; readonly spec: LayerSpec } | null = null,
    private readonly kernelChoice: { readonly kernels: KernelChoice; readonly dtype: Dtype } = {
      kernels: "auto",
      dtype: "float64",
    },
  ) {
    this.forwardOnly = !hasMatrixForm(template);
    this.compiled = kind === "compiled" ? compiledOf(template) : null;
    this.program = this.makeProgram(capacity);
  }

  private wideGraph: Graph | null = null;

  /** The network's graph (for an engine made by {@link Engine.forLayers}, built on first use). */
  get graph(): Graph {
    if (this.wide === null) return this.template;
    this.wideGraph ??= layered(this.wide.spec);
    return this.wideGraph;
  }

  /**
   * An engine for a layered network given by its spec, the same engine {@link Engine.create}
   * makes from `layered(spec)` — the same kinds, the same numbers bit for bit — without building
   * the per-weight graph when the matrix form runs it: the matrix form is derived on a small
   * template (the same layers, activations, cost, biases and λ and the same output width, with
   * at most 2 inputs and 1 neuron in each inner layer), whose steps name layers and whose
   * element-wise templates are written for neuron 1, so they hold at every width. Compiled code
   * is written per parameter and builds the graph (it is for small networks only).
   */
  static forLayers(spec: LayerSpec, options: EngineOptions = {}): Engine {
    const info = layeredInfo(spec);
    const small = templateSizes(info.sizes);
    const template = layered({ ...spec, sizes: small });
    const np = layeredParameterCount(info.sizes, info.bias);
    const { kind, capacity, kernels } = Engine.choose(template, info.sizes, np, options);
    // the template is the network itself, or compiled code (written per parameter) runs it
    if (small.every((n, i) => n === info.sizes[i])) return new Engine(template, kind, capacity, null, kernels);
    if (kind === "compiled") return new Engine(layered(spec), kind, capacity, null, kernels);
    return new Engine(template, kind, capacity, { sizes: info.sizes, spec }, kernels);
  }

  /** An engine for a layered graph. */
  static create(graph: Graph, options: EngineOptions = {}): Engine {
    const { sizes } = requireLayers(graph);
    const { kind, capacity, kernels } = Engine.choose(graph, sizes, parameterIds(graph).length, options);
    return new Engine(graph, kind, capacity, null, kernels);
  }

  /**
   * The engine kind and capacity the options ask for a network of these sizes and `np`
   * parameters, whose matrix form is `graph`'s (the network's graph or its template); refuses a
   * kind that cannot run it.
   */
  private static choose(
    graph: Graph,
    sizes: readonly number[],
    np: number,
    options: EngineOptions,
  ): { kind: EngineKind; capacity: number; kernels: { readonly kernels: KernelChoice; readonly dtype: Dtype } } {
    const { activations } = requireLayers(graph);
    optionsObject("The engine options", options);
    const capacity = options.capacity ?? 64;
    if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1)
      throw new OptionError(
        `The engine's capacity is a whole number of examples ≥ 1, got ${show(capacity)}.`,
        capacity,
      );
    const kernels = {
      kernels: checkKernelChoice(options.kernels ?? "auto"),
      dtype: checkDtype(options.dtype ?? "float64"),
    };
    const matrix = hasMatrixForm(graph);
    let kind: EngineKind;
    const want = checkEngineKind(options.kind ?? "auto");
    const single = kernels.dtype === "float32";
    if (single && want === "compiled")
      throw new OptionError(
        'dtype "float32" is for the matrix engine; compiled code computes in float64. Use engine "matrix" or "auto".',
        options.kind,
      );
    // float32 products are the matrix form's: "auto" picks it at any size
    if (want === "auto") kind = matrix && (single || np > COMPILED_MAX_PARAMETERS) ? "matrix" : "compiled";
    else kind = want;
    if (single && kind === "compiled")
      throw new OptionError(
        `dtype "float32" is for the matrix engine, and a ${sizes.join("-")} network with a ${activations[activations.length - 1]} output has no matrix form (softmax needs the cross-entropy cost). Use dtype "float64".`,
        options.dtype,
      );
    if (kind === "matrix" && !matrix) {
      throw new GraphError(
        "not-layered",
        `The matrix form of a ${sizes.join("-")} network with a ${activations[activations.length - 1]} output needs a cost whose output δ is element-wise (softmax: cross-entropy). Use cost "cross-entropy", or the compiled engine.`,
      );
    }
    if (kind === "compiled" && np > COMPILED_LIMIT) {
      throw new OptionError(
        `A ${sizes.join("-")} network has ${np} parameters; compiled straight-line code is limited to ${COMPILED_LIMIT}.` +
          (matrix
            ? ` Use the matrix engine.`
            : ` With a softmax output use the cross-entropy cost, whose matrix form scales.`),
        np,
      );
    }
    return { kind, capacity, kernels };
  }

  /** Examples one matrix run takes before the buffers grow. */
  get capacity(): number {
    return this.program.capacity;
  }

  /** The kernels the matrix program's products run on: "wasm" (WebAssembly SIMD) or "js". */
  get kernels(): "js" | "wasm" {
    return this.program.kernels;
  }

  /** The arithmetic of the matrix program's products. */
  get dtype(): Dtype {
    return this.program.dtype;
  }

  /** J over a batch, writing every ∂J/∂θ into grad (core's parameter order). */
  gradient(theta: Float64Array, batch: Batch, grad: Float64Array): number {
    if (this.compiled !== null) {
      // the compiled code reads the arrays unchecked: check their sizes here
      const { sizes } = this.program;
      batchArgument("The batch", batch, sizes[0], sizes[sizes.length - 1]);
      float64("The parameters", theta, this.program.parameterCount);
      float64("The gradient array", grad, this.program.parameterCount);
      this.lastJ = this.compiled.run(theta, batch, grad, false);
      return this.lastJ;
    }
    return this.fit(mOf(batch)).gradient(theta, batch, grad);
  }

  /** {@link Engine.gradient} without its argument checks, for nn's training loop. */
  [UNCHECKED](theta: Float64Array, batch: Batch, grad: Float64Array): number {
    if (this.compiled !== null) {
      this.lastJ = this.compiled.run(theta, batch, grad, false);
      return this.lastJ;
    }
    return this.fit(batch.m).gradient(theta, batch, grad);
  }

  /**
   * The per-example part of the last gradient run's J (without the L2 term): the matrix program
   * keeps it; compiled code's J less the L2 term at that run's θ and m.
   */
  [LAST_LOSS](theta: Float64Array, m: number): number {
    if (this.compiled !== null) return this.lastJ - this.program.batchTerm(theta, m);
    return this.program.lastLoss;
  }

  /** The matrix program's input buffer for runs of m examples (sized for them first); null for compiled code. */
  [INPUT_BUFFER](m: number): Float64Array | null {
    return this.compiled !== null ? null : this.fit(m).inputBuffer;
  }

  /** {@link Engine.loss} without its argument checks, for nn's training loop. */
  [UNCHECKED_LOSS](theta: Float64Array, batch: Batch, total: number): number {
    return this.fit(batch.m)[UNCHECKED_LOSS](theta, batch, total);
  }

  /** J over a batch (forward pass and cost). */
  cost(theta: Float64Array, batch: Batch): number {
    return this.fit(mOf(batch)).evaluate(theta, batch);
  }

  /**
   * The per-example costs of a batch summed with 1/`total` inside: a slice's share of J over a
   * larger batch of `total` examples (without its L2 term, {@link batchTerm}). Evaluating a large
   * batch slice by slice keeps the buffers at the slice size. Leaves the slice's outputs in
   * {@link outputs}.
   */
  loss(theta: Float64Array, batch: Batch, total: number): number {
    return this.fit(mOf(batch)).loss(theta, batch, total);
  }

  /** J's once-per-batch term (L2) for a batch of m examples. */
  batchTerm(theta: Float64Array, m: number): number {
    return this.program.batchTerm(theta, m);
  }

  /**
   * Runs the forward pass and returns the output activations (m × outputs, one example per row).
   * The returned array is the engine's buffer: read it before the next run.
   */
  forward(theta: Float64Array, x: Float64Array, m: number): Float64Array {
    const p = this.fit(m);
    p.forward(theta, x, m);
    return p.outputs;
  }

  /** The outputs of the last forward pass or matrix gradient run (m × outputs). */
  get outputs(): Float64Array {
    return this.program.outputs;
  }

  /** Whether `gradient` leaves the batch's outputs in {@link Engine.outputs}. */
  get gradientKeepsOutputs(): boolean {
    return this.compiled === null;
  }

  private fit(m: number): MatrixProgram {
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1)
      throw new OptionError(`A run takes m ≥ 1 examples, got ${show(m)}.`, m);
    if (m > this.program.capacity) this.program = this.makeProgram(Math.max(m, 2 * this.program.capacity));
    return this.program;
  }

  private makeProgram(capacity: number): MatrixProgram {
    const sizes = { ...(this.wide !== null ? { sizes: this.wide.sizes } : {}), ...this.kernelChoice };
    if (!this.forwardOnly)
      return new MatrixProgram(this.template, capacity, { backward: this.kind === "matrix", ...sizes });
    return new MatrixProgram(this.template, capacity, {
      backward: false,
      forwardGraph: forwardGraphOf(this.template),
      ...sizes,
    });
  }
}

/**
 * For softmax with mse, whose matrix form core does not give (its output δ is not element-wise):
 * the same layers with the cross-entropy cost, whose matrix form has the same forward steps (the
 * forward pass does not depend on the cost). core's matrixForm derives forward and backward
 * together, so a network without a backward form needs this stand-in for its forward steps —
 * built once per graph, and only for softmax + mse, which runs on compiled code (at most
 * COMPILED_LIMIT parameters).
 */
const forwardGraphOf = perGraph((graph): Graph => {
  const info = requireLayers(graph);
  return layered({ ...info, activation: info.activations, cost: "cross-entropy" });
});

/**
 * The layer sizes of the smallest template of a network of these sizes: at most 2 inputs, 1
 * neuron in each inner layer, the same output width. Its one sum of squared weights (the L2 term)
 * has two or more terms unless the template is the network itself.
 */
export function templateSizes(sizes: readonly number[]): number[] {
  return sizes.map((n, i) => (i === 0 ? Math.min(n, 2) : i === sizes.length - 1 ? n : 1));
}

/** The example count of a batch, or an OptionError when it is not one. */
function mOf(batch: Batch): number {
  if (typeof batch !== "object" || batch === null)
    throw new OptionError(`A batch is { m, x, y }, got ${show(batch, 40)}.`, batch);
  return batch.m;
}
