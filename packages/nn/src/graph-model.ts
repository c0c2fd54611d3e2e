/**
 * A GraphModel: any core graph — skip connections, tied (shared) parameters, several outputs, a
 * softmax group — plus its parameters in one Float64Array, in core's `parameterIds(graph)` order.
 * It trains with the same trainer, optimizers, metrics and model files as a layered
 * {@link Network}, on core's compiled code of the graph's own derivation.
 *
 * @example
 * const b = new GraphBuilder();
 * const x = b.input("x"), y = b.target("y"), w = b.param("w"), v = b.param("v"), s = b.param("s");
 * const h = b.activate("h", "tanh", b.z("u", [[w, x]]));
 * const out = b.activate("out", "identity", b.z("o", [[v, h], [s, x]])); // s skips h
 * b.cost("mse", [out], [y]);
 * const model = GraphModel.create(b.build(), { seed: 1 });
 * train(model, { x: [[0.3], [-0.7]], y: [[0.2], [-0.4]] }, { epochs: 500, learningRate: 0.1 });
 */
import { type Batch, type Graph, graphIndex, kindOf, paramArgument, show } from "@chainrule/core";
import { allocate, finiteNumber, optionsObject } from "./check.js";
import type { ExampleData, Matrix } from "./data/examples.js";
import type { EngineOptions } from "./engine/engine.js";
import { GraphEngine } from "./engine/graph-engine.js";
import { OptionError } from "./errors.js";
import { type GraphInitOptions, graphParameters } from "./graph-init.js";
import { capitalised, ParameterStore } from "./parameter-store.js";
import type { Evaluation, Trainable } from "./train/trainable.js";

/**
 * Parameters of a graph that training leaves as they are: every parameter whose role is "bias"
 * (`"biases"`), or a list of parameter ids.
 */
export type GraphFrozenSpec = "biases" | readonly string[];

/** A graph of any shape with its parameters; trains with {@link train}. */
export class GraphModel implements Trainable {
  private readonly g: Graph;
  /** The parameters and the frozen set. */
  private readonly store: ParameterStore;
  private readonly ids: readonly string[];
  /** Position of each parameter id in {@link ids}. */
  private readonly position: ReadonlyMap<string, number>;
  private cachedEngine: GraphEngine | null = null;
  /** How messages name this model. */
  readonly description: string;
  readonly inputCount: number;
  readonly outputCount: number;

  private constructor(graph: Graph, theta: Float64Array) {
    const idx = graphIndex(graph);
    this.g = graph;
    this.store = new ParameterStore(theta, this);
    this.ids = idx.params;
    this.position = new Map(idx.params.map((id, i) => [id, i]));
    this.inputCount = idx.inputs.length;
    this.outputCount = idx.cost.outputs.length;
    const io = `${this.inputCount} ${this.inputCount === 1 ? "input" : "inputs"} and ${this.outputCount} ${this.outputCount === 1 ? "output" : "outputs"}`;
    this.description = graph.layers !== null ? `a ${graph.layers.sizes.join("-")} network` : `the graph (${io})`;
  }

  /**
   * A model of `graph` with parameters drawn by an initialisation scheme (default "auto": per
   * weight, Glorot or He as the activation it feeds needs; seed 0). `{ method: "uniform",
   * epsilon }` is the post's [−ε, ε].
   */
  static create(graph: Graph, init: GraphInitOptions = {}): GraphModel {
    graphArgument(graph, "GraphModel.create");
    return new GraphModel(graph, graphParameters(graph, optionsObject("The initialisation options", init)));
  }

  /**
   * A model of `graph` with given parameters: in core's `parameterIds(graph)` order, or by id
   * (`{ w: 0.5, b: 0 }`, every parameter once).
   */
  static fromParameters(graph: Graph, values: ArrayLike<number> | Readonly<Record<string, number>>): GraphModel {
    graphArgument(graph, "GraphModel.fromParameters");
    const m = new GraphModel(graph, allocate(graphIndex(graph).params.length));
    if (typeof values === "object" && values !== null && !Array.isArray(values) && !ArrayBuffer.isView(values))
      m.setParameterValues(values as Readonly<Record<string, number>>);
    else m.setParameters(values as ArrayLike<number>);
    return m;
  }

  /** The core graph (for derivation, printing and core's evaluator). */
  graph(): Graph {
    return this.g;
  }

  /** Parameter ids in the order of {@link parameters} (core's `parameterIds(graph)`). */
  get parameterIds(): readonly string[] {
    return this.ids;
  }

  /** Number of parameters; a tied parameter counts once. */
  get parameterCount(): number {
    return this.store.theta.length;
  }

  /** A copy of the parameters in core's order (into `target` when given). */
  parameters(target?: Float64Array): Float64Array {
    return this.store.copy(target);
  }

  /** Replaces every parameter (core's order); each must be a finite number. */
  setParameters(values: ArrayLike<number>): void {
    this.store.setAll(values, "a Float64Array or a list of numbers in parameterIds order", (i) =>
      show(this.ids[i], 40),
    );
  }

  /** The parameters by id. */
  parameterValues(): Record<string, number> {
    // own data properties for every id (even "__proto__")
    return Object.fromEntries(this.ids.map((id, i) => [id, this.store.theta[i]!]));
  }

  /** Replaces every parameter from a record by id; every parameter must be given, and nothing else. */
  setParameterValues(values: Readonly<Record<string, number>>): void {
    if (typeof values !== "object" || values === null || Array.isArray(values))
      throw new OptionError(`Parameter values are an object { id: number }; got ${kindOf(values)}.`, values);
    const extra = Object.keys(values).find((k) => !this.position.has(k));
    if (extra !== undefined) paramArgument(this.g, extra);
    const next = new Float64Array(this.ids.length);
    this.ids.forEach((id, i) => {
      const v = Object.hasOwn(values, id) ? values[id] : undefined;
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new OptionError(
          `Parameter ${show(id, 40)} needs a finite number; got ${v === undefined ? "none" : show(v)}.`,
          id,
        );
      next[i] = v;
    });
    this.store.theta.set(next);
  }

  /** The value of parameter `id`. */
  parameter(id: string): number {
    return this.store.theta[this.indexOf(id)]!;
  }

  /** Sets parameter `id` (every use of a tied parameter changes together). */
  setParameter(id: string, value: number): void {
    const i = this.indexOf(id);
    this.store.theta[i] = finiteNumber(`Parameter ${show(id, 40)}`, value);
  }

  /**
   * Freezes parameters: every update rule leaves them as they are (their gradients are still
   * computed). `"biases"` freezes every parameter of role "bias"; a list freezes those ids;
   * null or [] unfreezes everything. An unknown id is core's ArgumentError (with the closest id).
   */
  setFrozen(frozen: GraphFrozenSpec | null): void {
    this.store.setFrozen(frozen, {
      biases: (mask) => {
        this.ids.forEach((id, i) => {
          const n = this.g.nodes[id]!;
          if (n.kind === "param" && n.role === "bias") mask[i] = 1;
        });
        if (!mask.includes(1))
          throw new OptionError(
            `${capitalised(this.description)} has no parameter of role "bias" to freeze; freeze parameters by id instead, e.g. [${show(this.ids[0] ?? "w", 20)}].`,
            "biases",
          );
      },
      notAList: (got) =>
        new OptionError(`Frozen parameters are "biases" or a list of parameter ids; got ${show(got)}.`, got),
      indexOf: (id) => this.indexOf(id),
    });
  }

  /** The frozen parameters: `"biases"`, their ids in parameter order, or null when every parameter trains. */
  frozen(): GraphFrozenSpec | null {
    return this.store.frozen((i) => this.ids[i]!);
  }

  /** A copy of the frozen set as a mask in parameter order (1: frozen), or null when none is. */
  frozenMask(): Uint8Array | null {
    return this.store.frozenMask();
  }

  /**
   * Outputs for m examples (m × outputs, in the cost's output order): x as rows, one per example
   * (`[[0, 1], [1, 0]]`), or flat row by row (a Float64Array; m = length ÷ inputs when left out).
   */
  predict(x: Matrix, m?: number): Float64Array {
    return this.store.predict(x, m);
  }

  /** J over some examples (rows or a batch). */
  cost(data: ExampleData): number {
    return this.store.cost(data);
  }

  /** J and ∂J/∂θ over some examples (gradient in parameter order), from core's compiled δ form. */
  gradient(data: ExampleData): { cost: number; gradient: Float64Array } {
    const grad = new Float64Array(this.store.theta.length);
    const cost = this.engine().gradient(this.store.theta, this.checked(data), grad);
    return { cost, gradient: grad };
  }

  /** J and, when the targets are classes (one-hot rows, or 0/1 for one output), the accuracy. */
  evaluate(data: ExampleData): Evaluation {
    return this.store.evaluate(data);
  }

  /** The engine: core's compiled code (the only kind for a graph; "matrix" is for layered Networks). */
  engine(options: EngineOptions = {}): GraphEngine {
    optionsObject("The engine options", options);
    if (options.kind !== undefined && options.kind !== "auto" && options.kind !== "compiled") {
      throw new OptionError(
        `A graph model runs on core's compiled code (engine "auto" or "compiled"); got ${show(options.kind)}. The matrix engine is for layered Networks.`,
        options.kind,
      );
    }
    if (this.cachedEngine === null) this.cachedEngine = new GraphEngine(this.g);
    return this.cachedEngine;
  }

  /** An independent copy (same graph, copied parameters and frozen set). */
  clone(): GraphModel {
    const m = new GraphModel(this.g, this.store.theta.slice());
    m.store.freezeAs(this.store);
    return m;
  }

  /** Examples in any accepted form as a batch of this graph's shape, or a typed error. */
  checked(data: ExampleData, what = "The data"): Batch {
    return this.store.checked(data, what);
  }

  private indexOf(id: unknown): number {
    const i = typeof id === "string" ? this.position.get(id) : undefined;
    return i ?? this.position.get(paramArgument(this.g, id))!;
  }
}

/** A core graph, or an OptionError saying how to make one. */
function graphArgument(graph: unknown, where: string): asserts graph is Graph {
  if (typeof graph !== "object" || graph === null || typeof (graph as { nodes?: unknown }).nodes !== "object") {
    throw new OptionError(
      `${where} needs a core graph (new GraphBuilder() … .build(), or layered(spec)); got ${kindOf(graph)} ${show(graph, 40)}.`,
      graph,
    );
  }
  // validates a structural copy (a graph read back from JSON, say) as core does
  graphIndex(graph as Graph);
}
