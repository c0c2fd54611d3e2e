/**
 * Initial parameters of any graph, with the layered schemes read per weight: a weight θ in the
 * term θ · u of z has fan-in = the number of terms of z and fan-out = the number of z nodes that
 * read u. For a layered network these are the layer widths n⁽ˡ⁾ and n⁽ˡ⁺¹⁾, so a layered graph
 * gets the values `initialParameters` gives its Network, draw for draw.
 */
import { ACTIVATION_TABLE, type Graph, graphIndex, show } from "@chainrule/core";
import { allocate, optionsObject } from "./check.js";
import { OptionError } from "./errors.js";
import { checkInitMethod, DEFAULT_EPSILON, type InitOptions } from "./init.js";
import { Random, seedStream } from "./random.js";

/**
 * How to initialise a graph's parameters: a layered network's options without `activations`
 * (each weight's activation is read from the graph). Default "auto": per weight, the scheme its
 * z's activation needs (core's activation table: He for the ReLU family, Glorot otherwise);
 * "uniform" is the post's [−ε, ε] (and the default when only ε is given).
 */
export type GraphInitOptions = Omit<InitOptions, "activations">;

/** Where each parameter is first used as a weight: its z's fan-in and its input's fan-out. */
interface WeightUse {
  readonly fanIn: number;
  readonly fanOut: number;
  /** The scheme "auto" picks: the one the activation of the z it feeds needs. */
  readonly auto: "glorot" | "he";
}

/** Fan-in, fan-out and activation of each parameter's first use as a weight (null: bias only). */
function weightUses(graph: Graph): (WeightUse | null)[] {
  const idx = graphIndex(graph);
  const readers = new Map<string, number>();
  const activation = new Map<string, "glorot" | "he">();
  for (const id of idx.order) {
    const n = graph.nodes[id]!;
    if (n.kind === "z") for (const u of new Set(n.terms.map((t) => t.input))) readers.set(u, (readers.get(u) ?? 0) + 1);
    else if (n.kind === "a" && !activation.has(n.z)) activation.set(n.z, ACTIVATION_TABLE[n.activation].init);
  }
  const use = new Map<string, WeightUse>();
  for (const id of idx.zs) {
    const z = graph.nodes[id]!;
    if (z.kind !== "z") continue;
    const auto = activation.get(id) ?? "glorot";
    for (const t of z.terms) {
      // Glorot: U(±√(6/(fan-in + fan-out)));  He: N(0, 2/fan-in)
      if (!use.has(t.param)) use.set(t.param, { fanIn: z.terms.length, fanOut: readers.get(t.input) ?? 1, auto });
    }
  }
  return idx.params.map((p) => use.get(p) ?? null);
}

/**
 * Parameters for a graph, in core's `parameterIds(graph)` order, drawn in that order: uniform
 * draws every parameter from [−ε, ε]; Glorot and He draw the weights and start the parameters used
 * only as biases at 0.
 */
export function graphParameters(graph: Graph, options: GraphInitOptions = {}): Float64Array {
  optionsObject("The initialisation options", options);
  if ((options as InitOptions).activations !== undefined) {
    throw new OptionError(
      "A graph's activations are its own a nodes' (each weight's scheme is read from the graph); leave out `activations`.",
      (options as InitOptions).activations,
    );
  }
  // ε alone asks for the uniform scheme
  const method = checkInitMethod(options.method ?? (options.epsilon !== undefined ? "uniform" : "auto"));
  const eps = options.epsilon ?? DEFAULT_EPSILON;
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0)
    throw new OptionError(`ε must be a finite number ≥ 0, got ${show(eps)}.`, eps);
  if (options.epsilon !== undefined && method !== "uniform") {
    throw new OptionError(
      `ε is the range of the uniform initialisation; "${method}" sets its scale from the fan-in and fan-out (leave out epsilon, or use method "uniform").`,
      eps,
    );
  }
  if (options.random !== undefined && !(options.random instanceof Random))
    throw new OptionError(
      `options.random must be a Random generator, got ${show(options.random, 40)}.`,
      options.random,
    );
  const rng = options.random ?? seedStream(options.seed ?? 0, "init");
  const uses = weightUses(graph);
  const theta = allocate(uses.length);
  uses.forEach((u, i) => {
    if (method === "uniform") theta[i] = rng.uniform(-eps, eps);
    else if (u === null) theta[i] = 0;
    else if ((method === "auto" ? u.auto : method) === "he") theta[i] = Math.sqrt(2 / u.fanIn) * rng.normal();
    else {
      const limit = Math.sqrt(6 / (u.fanIn + u.fanOut));
      theta[i] = rng.uniform(-limit, limit);
    }
  });
  return theta;
}
