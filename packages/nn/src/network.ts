/**
 * A Network: a layer spec plus its parameters in one Float64Array, in core's parameter order
 * (`parameterIds(graph)`: per layer l, per neuron j, the bias θ⁽ˡ⁾_j0 then θ⁽ˡ⁾_j1 … θ⁽ˡ⁾_jn). It
 * hands out its core graph for derivation and printing, and computes with the same derivation.
 * It also holds which parameters are frozen (left as they are by training), so a saved model keeps
 * them.
 */
import {
  type ActivationName,
  type Batch,
  type CostName,
  type Graph,
  ids,
  type LayerSpec,
  layered,
  layeredParamAddress,
  layeredParameterCount,
  layeredParamIndex,
  layeredSpec,
  type ParamAddress,
  show,
  TooLargeError,
} from "@chainrule/core";
import { allocate, finiteNumber, float64, optionsObject } from "./check.js";
import type { ExampleData, Matrix } from "./data/examples.js";
import { Engine, type EngineOptions } from "./engine/engine.js";
import { type ParamLayer, paramLayers } from "./engine/views.js";
import { OptionError } from "./errors.js";
import { type InitOptions, initialParameters } from "./init.js";
import { ParameterStore } from "./parameter-store.js";
import type { Evaluation, Trainable } from "./train/trainable.js";

/** A network's layer structure, normalised: one activation per non-input layer. */
export interface NetworkSpec {
  readonly sizes: readonly number[];
  readonly activations: readonly ActivationName[];
  readonly bias: boolean;
  readonly cost: CostName;
  readonly l2: number;
}

/** θ⁽ˡ⁾_jk as [l, j, k]: into neuron j of layer l+1 from neuron k of layer l (k = 0: the bias); core's {@link ParamAddress}. */
export type ParameterAddress = ParamAddress;

/**
 * Parameters that training leaves as they are: every bias (`"biases"`), or a list of addresses.
 * Their gradients are still computed and reported; no update rule moves them.
 */
export type FrozenSpec = "biases" | readonly ParameterAddress[];

/**
 * The most parameters a network may have: each takes 8 bytes in every parameter-sized array
 * (parameters, gradient, optimizer state), so this is about 400 MB per array.
 */
export const MAX_PARAMETERS = 50_000_000;

/** A layered, fully connected network with its parameters. */
export class Network implements Trainable {
  /** The normalised layer structure. */
  readonly spec: NetworkSpec;
  /** The parameters and the frozen set. */
  private readonly store: ParameterStore;
  private readonly layers: readonly ParamLayer[];
  private cachedGraph: Graph | null = null;
  private engines = new Map<string, Engine>();

  private constructor(spec: NetworkSpec, theta: Float64Array) {
    this.spec = spec;
    this.layers = paramLayers(spec.sizes, spec.bias);
    this.store = new ParameterStore(theta, this);
  }

  /**
   * A network with parameters drawn by an initialisation scheme (default "auto": Glorot or He per
   * layer, as its activation needs; seed 0). `{ method: "uniform", epsilon }` is the post's [−ε, ε].
   */
  static create(spec: LayerSpec, init: InitOptions = {}): Network {
    const s = normalise(spec);
    return new Network(
      s,
      initialParameters(s.sizes, s.bias, {
        ...optionsObject("The initialisation options", init),
        activations: s.activations,
      }),
    );
  }

  /** A network with the given parameters (core's parameter order). */
  static fromParameters(spec: LayerSpec, theta: ArrayLike<number>): Network {
    const s = normalise(spec);
    const n = new Network(s, allocate(layeredParameterCount(s.sizes, s.bias)));
    n.setParameters(theta);
    return n;
  }

  /** The layer spec as core's {@link LayerSpec}. */
  layerSpec(): LayerSpec {
    const { sizes, activations, bias, cost, l2 } = this.spec;
    return { sizes, activation: activations, bias, cost, l2 };
  }

  /** The core graph of this network (built once), for derivation, evaluation and printing. */
  graph(): Graph {
    if (this.cachedGraph === null) this.cachedGraph = layered(this.layerSpec());
    return this.cachedGraph;
  }

  /** Number of parameters (weights and biases). */
  get parameterCount(): number {
    return this.store.theta.length;
  }

  /** Inputs per example: the first layer's width. */
  get inputCount(): number {
    return this.spec.sizes[0]!;
  }

  /** Outputs (and targets) per example: the last layer's width. */
  get outputCount(): number {
    return this.spec.sizes[this.spec.sizes.length - 1]!;
  }

  /** How messages name this network: "a 2-4-1 network". */
  get description(): string {
    return `a ${this.spec.sizes.join("-")} network${this.spec.bias ? "" : " without biases"}`;
  }

  /** A copy of the parameters, in core's `parameterIds(graph)` order (into `target` when given). */
  parameters(target?: Float64Array): Float64Array {
    return this.store.copy(target);
  }

  /** Replaces every parameter (core's order); each must be a finite number. */
  setParameters(values: ArrayLike<number>): void {
    this.store.setAll(values, "a Float64Array or a list of numbers", (i) => this.parameterName(i));
  }

  /** θ⁽ˡ⁾_jk (k = 0: the bias). */
  weight(l: number, j: number, k: number): number {
    return this.store.theta[this.index(l, j, k)]!;
  }

  /** Sets θ⁽ˡ⁾_jk (k = 0: the bias). */
  setWeight(l: number, j: number, k: number, value: number): void {
    const i = this.index(l, j, k);
    this.store.theta[i] = finiteNumber(`θ⁽${l}⁾_${j}${k}`, value);
  }

  /**
   * Freezes parameters: training (every update rule, their state and the L2 pull included) leaves
   * them as they are, while their gradients are still computed and reported. `"biases"` freezes
   * every θ⁽ˡ⁾_j0; a list freezes those addresses (repeats are ignored); null or an empty list
   * unfreezes everything. Replaces the previous set. An address that does not exist is core's
   * ArgumentError, as for {@link Network.weight}; nothing changes when one is refused.
   */
  setFrozen(frozen: FrozenSpec | null): void {
    this.store.setFrozen(frozen, {
      biases: (mask) => {
        if (!this.spec.bias) {
          throw new OptionError(
            `A ${this.spec.sizes.join("-")} network without biases has no biases to freeze; freeze weights by address instead, e.g. [[1, 1, 1]].`,
            "biases",
          );
        }
        // θ⁽ˡ⁾_j0 is the first entry of each neuron's row
        for (const p of this.layers) for (let j = 0; j < p.to; j++) mask[p.off + j * p.ld] = 1;
      },
      notAList: (got) =>
        new OptionError(
          `Frozen parameters are "biases" or a list of addresses [l, j, k] (k = 0 is the bias), e.g. [[1, 1, 0], [2, 1, 0]]; got ${show(got)}.`,
          got,
        ),
      indexOf: (a) => {
        if (!Array.isArray(a) || a.length !== 3) {
          throw new OptionError(
            `A frozen parameter is an address [l, j, k] (layer, to-neuron, from-neuron; k = 0 is the bias), e.g. [1, 1, 0]; got ${show(a)}.`,
            a,
          );
        }
        return this.index(a[0] as number, a[1] as number, a[2] as number);
      },
    });
  }

  /**
   * The frozen parameters: `"biases"`, the addresses in core's parameter order (each once), or
   * null when every parameter trains.
   */
  frozen(): FrozenSpec | null {
    return this.store.frozen((i) => this.address(i));
  }

  /** A copy of the frozen set as a mask in core's parameter order (1: frozen), or null when none is. */
  frozenMask(): Uint8Array | null {
    return this.store.frozenMask();
  }

  /** The weights in the model file's shape: weights[l−1][j−1][k−1] = θ⁽ˡ⁾_jk. */
  weights(theta: Float64Array = this.store.theta): number[][][] {
    float64("The parameter array", theta, this.store.theta.length);
    return this.layers.map((p) =>
      Array.from({ length: p.to }, (_, j) =>
        Array.from({ length: p.from }, (_, k) => theta[p.off + j * p.ld + (p.bias ? 1 : 0) + k]!),
      ),
    );
  }

  /** The biases in the model file's shape (biases[l−1][j−1] = θ⁽ˡ⁾_j0), or null without biases. */
  biases(theta: Float64Array = this.store.theta): number[][] | null {
    float64("The parameter array", theta, this.store.theta.length);
    if (!this.spec.bias) return null;
    return this.layers.map((p) => Array.from({ length: p.to }, (_, j) => theta[p.off + j * p.ld]!));
  }

  /**
   * Output activations for m examples, m × outputs (one example per row): x as rows, one per
   * example (`[[0, 0], [1, 1]]`), or flat row by row (a Float64Array; m = length ÷ inputs when
   * left out). A shape that does not fit is a {@link ShapeError}.
   */
  predict(x: Matrix, m?: number): Float64Array {
    return this.store.predict(x, m);
  }

  /** J over some examples: a batch, or `{ x, y }` as rows. */
  cost(data: ExampleData): number {
    return this.store.cost(data);
  }

  /** J and ∂J/∂θ over some examples (gradient in core's parameter order). */
  gradient(data: ExampleData, options: EngineOptions = {}): { cost: number; gradient: Float64Array } {
    const b = this.checked(data);
    const grad = new Float64Array(this.store.theta.length);
    const cost = this.engine(options).gradient(this.store.theta, b, grad);
    return { cost, gradient: grad };
  }

  /** J and, when the targets are classes (one-hot rows, or 0/1 for one output), the accuracy. */
  evaluate(data: ExampleData): Evaluation {
    return this.store.evaluate(data);
  }

  /** An engine for this network's graph (cached per kind, kernels and dtype). */
  engine(options: EngineOptions = {}): Engine {
    optionsObject("The engine options", options);
    const key = `${options.kind ?? "auto"}:${options.kernels ?? "auto"}:${options.dtype ?? "float64"}`;
    let e = this.engines.get(key);
    if (e === undefined) {
      // from the layer sizes: the matrix program needs no per-weight graph (the same numbers, bit for bit)
      e = Engine.forLayers(this.layerSpec(), options);
      this.engines.set(key, e);
    }
    return e;
  }

  /** An independent copy (same spec, copied parameters). */
  clone(): Network {
    const n = new Network(this.spec, this.store.theta.slice());
    n.cachedGraph = this.cachedGraph;
    n.store.freezeAs(this.store);
    return n;
  }

  /**
   * Examples in any accepted form (a batch, or `{ x, y }` as rows) as a batch of this network's
   * shape. A dataset of another shape is a DataError naming both shapes; other shapes are
   * {@link ShapeError}s. A batch of Float64Arrays is returned as it is.
   */
  checked(data: ExampleData, what = "The data"): Batch {
    return this.store.checked(data, what);
  }

  /**
   * Where θ⁽ˡ⁾_jk is in the parameter vector, from the layer sizes alone (the graph of a large
   * network takes seconds to build): core's {@link layeredParamIndex}, whose error names the
   * addresses that exist.
   */
  private index(l: number, j: number, k: number): number {
    return layeredParamIndex(this.spec, l, j, k);
  }

  /** The address [l, j, k] of parameter i (core's order), from the layer sizes alone. */
  private address(i: number): ParameterAddress {
    return layeredParamAddress(this.spec, i);
  }

  /** The id of parameter i (core's order), from the layer sizes alone. */
  private parameterName(i: number): string {
    return ids.theta(...this.address(i));
  }
}

/**
 * Checks a spec without building its graph (built only when asked for: seconds for large
 * layers): core's layeredSpec checks sizes, names, λ and the cost's output rule — what building
 * the graph checks — and the size is held to {@link MAX_PARAMETERS}.
 */
function normalise(spec: LayerSpec): NetworkSpec {
  const { info, cost, l2 } = layeredSpec(spec);
  const count = layeredParameterCount(info.sizes, info.bias);
  if (count > MAX_PARAMETERS) {
    throw new TooLargeError(
      "too-large",
      `A ${info.sizes.join("-")} network has ${count} parameters; a network is limited to ${MAX_PARAMETERS} (each parameter-sized array takes 8 bytes per parameter). Use fewer or narrower layers.`,
      count,
    );
  }
  return { sizes: info.sizes, activations: info.activations, bias: info.bias, cost, l2 };
}
