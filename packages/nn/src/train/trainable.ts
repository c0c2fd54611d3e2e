/**
 * What the trainer needs of a model: its parameters (in core's order), which of them are frozen,
 * its data shape, and an engine that runs its derivation. A layered {@link Network} (matrix form
 * or compiled code) and a {@link GraphModel} (compiled code of any graph) both provide it, so one
 * training loop — optimizers, metrics, early stopping, stall detection — serves both.
 */
import type { Batch } from "@chainrule/core";
import { INPUT_BUFFER, LAST_LOSS, UNCHECKED, UNCHECKED_LOSS } from "../check.js";
import type { ExampleData, Matrix } from "../data/examples.js";
import type { EngineOptions } from "../engine/engine.js";

/** J and accuracy of a model on some examples. */
export interface Evaluation {
  readonly cost: number;
  /** Fraction of examples classified correctly, or null when the targets are not classes. */
  readonly accuracy: number | null;
}

/** An executor of a model's derivation, as the training loop calls it. */
export interface TrainingEngine {
  /** J over a batch, writing ∂J/∂θ into grad; no argument checks. */
  [UNCHECKED](theta: Float64Array, batch: Batch, grad: Float64Array): number;
  /** A slice's share of J over `total` examples (no L2 term); no argument checks. Leaves the slice's outputs. */
  [UNCHECKED_LOSS](theta: Float64Array, batch: Batch, total: number): number;
  /**
   * The per-example part of the J the last gradient run returned: J without its once-per-batch
   * term (the mean loss of its m examples), given that run's θ and m.
   */
  [LAST_LOSS](theta: Float64Array, m: number): number;
  /**
   * A buffer (at least m × inputs) that a run of m examples whose inputs are in it reads in place,
   * sparing the copy into the engine's own memory; null when runs read the batch's array anyway.
   * Good until the engine's next run of more examples than it was sized for.
   */
  [INPUT_BUFFER](m: number): Float64Array | null;
  /** J's once-per-batch term (L2) for m examples. */
  batchTerm(theta: Float64Array, m: number): number;
  /** J over a batch; leaves the batch's outputs in {@link outputs}. */
  cost(theta: Float64Array, batch: Batch): number;
  /** The outputs of m examples (the engine's buffer). */
  forward(theta: Float64Array, x: Float64Array, m: number): Float64Array;
  /** The outputs of the last run. */
  readonly outputs: Float64Array;
  /** Whether a gradient run leaves the batch's outputs in {@link outputs}. */
  readonly gradientKeepsOutputs: boolean;
}

/** A model the trainer trains: a {@link Network} or a {@link GraphModel}. */
export interface Trainable {
  /** "a 2-4-1 network", "a graph of 3 inputs and 2 outputs": how messages name it. */
  readonly description: string;
  readonly parameterCount: number;
  /** Inputs per example (a row of x). */
  readonly inputCount: number;
  /** Outputs (and targets) per example (a row of y). */
  readonly outputCount: number;
  /** A copy of the parameters in core's `parameterIds(graph)` order (into `target` when given). */
  parameters(target?: Float64Array): Float64Array;
  /** Replaces every parameter; each must be a finite number. */
  setParameters(values: ArrayLike<number>): void;
  /** 1 for each frozen parameter (core's order), or null when every parameter trains. */
  frozenMask(): Uint8Array | null;
  /** Examples in any accepted form as a batch of this model's shape (or a typed error). */
  checked(data: ExampleData, what?: string): Batch;
  /** Outputs for m examples, m × outputs, one example per row. */
  predict(x: Matrix, m?: number): Float64Array;
  /** J and, when the targets are classes, the accuracy. */
  evaluate(data: ExampleData): Evaluation;
  /** The executor training runs on. */
  engine(options?: EngineOptions): TrainingEngine;
}
