/**
 * The numbers of a layered network: predictions, J and ∂J/∂θ, from one of two executors of the
 * same derivation — core's matrix form run on typed-array kernels ({@link MatrixProgram}), or
 * core's compiled straight-line code (`compile`), which is fastest for small networks and is the
 * only choice for a softmax output with mse (whose matrix form core does not give).
 */
import { GraphError, compile, layered, matrixForm, parameterIds, requireLayers, type Batch, type Compiled, type Graph } from "@chainrule/core";
import { oneOf, show } from "@chainrule/core";
import { UNCHECKED, UNCHECKED_LOSS, batchArgument, float64, optionsObject } from "../check.js";
import { OptionError } from "../errors.js";
import { MatrixProgram } from "./matrix-program.js";

/** Which executor computes gradients. */
export type EngineKind = "matrix" | "compiled";

/** Options of {@link Engine.create}. */
export interface EngineOptions {
  /** "auto" (default): compiled code up to {@link COMPILED_MAX_PARAMETERS} parameters, else the matrix form. */
  readonly kind?: EngineKind | "auto";
  /** Examples per run the matrix program is sized for (grown on demand; default 64). */
  readonly capacity?: number;
}

/**
 * Networks with at most this many parameters train on compiled straight-line code under "auto"
 * (measured: compiled code is about twice as fast up to ~150 parameters, the matrix form beyond).
 */
export const COMPILED_MAX_PARAMETERS = 128;
/** Compiled code grows with the parameter count; beyond this the compiler is not used at all. */
export const COMPILED_LIMIT = 20_000;

const compiledCache = new WeakMap<Graph, Compiled>();

/** core's compiled program of a graph, compiled once per graph object. */
function compiledOf(graph: Graph): Compiled {
  let c = compiledCache.get(graph);
  if (c === undefined) {
    c = compile(graph);
    compiledCache.set(graph, c);
  }
  return c;
}

/** True when core gives the matrix form of this graph. */
export function hasMatrixForm(graph: Graph): boolean {
  try {
    matrixForm(graph);
    return true;
  } catch (e) {
    if (e instanceof GraphError) return false;
    throw e;
  }
}

/** Runs a network's derivation on batches. Not safe to share between concurrent runs. */
export class Engine {
  private program: MatrixProgram;
  private readonly compiled: Compiled | null;
  private readonly forwardOnly: boolean;

  private constructor(readonly graph: Graph, readonly kind: EngineKind, capacity: number) {
    this.forwardOnly = !hasMatrixForm(graph);
    this.compiled = kind === "compiled" ? compiledOf(graph) : null;
    this.program = this.makeProgram(capacity);
  }

  /** An engine for a layered graph. */
  static create(graph: Graph, options: EngineOptions = {}): Engine {
    const { sizes, activations } = requireLayers(graph);
    optionsObject("The engine options", options);
    const np = parameterIds(graph).length;
    const capacity = options.capacity ?? 64;
    if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1) throw new OptionError(`The engine's capacity is a whole number of examples ≥ 1, got ${show(capacity)}.`, capacity);
    const matrix = hasMatrixForm(graph);
    let kind: EngineKind;
    const want = oneOf(["auto", "matrix", "compiled"] as const, options.kind ?? "auto", "engine");
    if (want === "auto") kind = matrix && np > COMPILED_MAX_PARAMETERS ? "matrix" : "compiled";
    else kind = want;
    if (kind === "matrix" && !matrix) {
      throw new GraphError(
        "not-layered",
        `The matrix form of a ${sizes.join("-")} network with a ${activations[activations.length - 1]} output needs a cost whose output δ is element-wise (softmax: cross-entropy). Use cost "cross-entropy", or the compiled engine.`,
      );
    }
    if (kind === "compiled" && np > COMPILED_LIMIT) {
      throw new OptionError(
        `A ${sizes.join("-")} network has ${np} parameters; compiled straight-line code is limited to ${COMPILED_LIMIT}.` +
          (matrix ? ` Use the matrix engine.` : ` With a softmax output use the cross-entropy cost, whose matrix form scales.`),
        np,
      );
    }
    return new Engine(graph, kind, capacity);
  }

  /** Examples one matrix run takes before the buffers grow. */
  get capacity(): number {
    return this.program.capacity;
  }

  /** J over a batch, writing every ∂J/∂θ into grad (core's parameter order). */
  gradient(theta: Float64Array, batch: Batch, grad: Float64Array): number {
    if (this.compiled !== null) {
      // the compiled code reads the arrays unchecked: check their sizes here
      const { sizes } = this.program;
      batchArgument("The batch", batch, sizes[0], sizes[sizes.length - 1]);
      float64("The parameters", theta, this.program.parameterCount);
      float64("The gradient array", grad, this.program.parameterCount);
      return this.compiled.run(theta, batch, grad, false);
    }
    return this.fit(mOf(batch)).gradient(theta, batch, grad);
  }

  /** {@link Engine.gradient} without its argument checks, for nn's training loop. */
  [UNCHECKED](theta: Float64Array, batch: Batch, grad: Float64Array): number {
    if (this.compiled !== null) return this.compiled.run(theta, batch, grad, false);
    return this.fit(batch.m).gradient(theta, batch, grad);
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
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1) throw new OptionError(`A run takes m ≥ 1 examples, got ${show(m)}.`, m);
    if (m > this.program.capacity) this.program = this.makeProgram(Math.max(m, 2 * this.program.capacity));
    return this.program;
  }

  private makeProgram(capacity: number): MatrixProgram {
    if (!this.forwardOnly) return new MatrixProgram(this.graph, capacity, { backward: this.kind === "matrix" });
    return new MatrixProgram(this.graph, capacity, { backward: false, forwardGraph: forwardGraphOf(this.graph) });
  }
}

const forwardGraphs = new WeakMap<Graph, Graph>();

/**
 * For softmax with mse, whose matrix form core does not give (its output δ is not element-wise):
 * the same layers with the cross-entropy cost, whose matrix form has the same forward steps (the
 * forward pass does not depend on the cost). core's matrixForm derives forward and backward
 * together, so a network without a backward form needs this stand-in for its forward steps —
 * built once per graph, and only for softmax + mse, which runs on compiled code (at most
 * COMPILED_LIMIT parameters).
 */
function forwardGraphOf(graph: Graph): Graph {
  let f = forwardGraphs.get(graph);
  if (f === undefined) {
    const info = requireLayers(graph);
    f = layered({ ...info, activation: info.activations, cost: "cross-entropy" });
    forwardGraphs.set(graph, f);
  }
  return f;
}

/** The example count of a batch, or an OptionError when it is not one. */
function mOf(batch: Batch): number {
  if (typeof batch !== "object" || batch === null) throw new OptionError(`A batch is { m, x, y }, got ${show(batch, 40)}.`, batch);
  return batch.m;
}
