/**
 * The numbers of a worked example, all from core's evaluator of the derivation (one source of
 * truth): the forward values and δs of some examples, every factor of the listed chains, the cost,
 * the gradient, the weights after one gradient-descent step and the cost after it.
 */
import {
  ArgumentError,
  type Batch,
  costValue,
  deltaForm,
  ExampleEnv,
  flowOf,
  type Graph,
  gradientValues,
  graphIndex,
  nodeSym,
  type ParamValues,
  type Path,
  parameterIds,
} from "@chainrule/core";
import { chainListing } from "../latex/chains.js";

/** Forward values and δs of one example. */
export interface ExampleTrace {
  /** 0-based index of the example in the batch. */
  readonly example: number;
  /** Value of every input, target, z and a node, by node id. */
  readonly values: ReadonlyMap<string, number>;
  /** δ of every z node, by node id. */
  readonly deltas: ReadonlyMap<string, number>;
  /** The per-example cost term. */
  readonly cost: number;
}

/** One path's factors, evaluated. */
export interface PathValues {
  readonly path: Path;
  /** factors[e][i]: factor i (from J backwards) for traced example e. */
  readonly factors: readonly (readonly number[])[];
  /** The product of the factors, per traced example. */
  readonly products: readonly number[];
}

/** The listed paths of one partial, evaluated. */
export interface ChainValues {
  readonly param: string;
  readonly paths: readonly PathValues[];
  /** Paths not listed (their values are in the gradient, not here). */
  readonly elided: bigint;
  /** The δ form of the partial (δ · input) per traced example: equal to the sum over all paths. */
  readonly perExample: readonly number[];
}

/** Everything a worked example prints. */
export interface WorkedExample {
  readonly graph: Graph;
  readonly theta: ParamValues;
  readonly data: Batch;
  readonly learningRate: number;
  /** J over the batch. */
  readonly cost: number;
  /** ∂J/∂θ over the batch, in parameterIds order (δ form, plus the L2 term). */
  readonly gradient: Float64Array;
  /** θ − η ∂J/∂θ. */
  readonly updated: Float64Array;
  /** J over the batch after the update. */
  readonly costAfter: number;
  /** The first examples, traced. */
  readonly traces: readonly ExampleTrace[];
  /** Chains with numbers, for the parameters asked for. */
  readonly chains: ReadonlyMap<string, ChainValues>;
  /** Index of each parameter in θ. */
  readonly index: ReadonlyMap<string, number>;
}

/** What to trace. */
export interface WorkedExampleOptions {
  /** η. Default 0.5. */
  readonly learningRate?: number;
  /** Parameters whose chains get numbers. Default: none. */
  readonly params?: readonly string[];
  /** Paths listed per chain. Default 4. */
  readonly maxPaths?: number;
  /** Examples traced. Default 2. */
  readonly examples?: number;
}

/** Evaluates a worked example with core's interpreter. */
export function workedExample(
  graph: Graph,
  theta: ParamValues,
  data: Batch,
  options: WorkedExampleOptions = {},
): WorkedExample {
  const rate = options.learningRate ?? 0.5;
  if (!Number.isFinite(rate) || rate <= 0)
    throw new ArgumentError("invalid-value", `The learning rate must be a finite number > 0, got ${rate}.`, rate);
  const idx = graphIndex(graph);
  const ids = parameterIds(graph);
  const index = new Map(ids.map((p, i) => [p, i]));
  const gradient = gradientValues(graph, theta, data);
  const updated = Float64Array.from(theta, (t, i) => t - rate * gradient[i]!);
  const cost = costValue(graph, theta, data);
  const costAfter = costValue(graph, updated, data);
  const dform = deltaForm(graph);
  const flow = flowOf(graph);
  const n = Math.min(data.m, Math.max(1, options.examples ?? 2));
  const envs = Array.from({ length: n }, (_, e) => new ExampleEnv(graph, theta, data, e));
  const traces: ExampleTrace[] = envs.map((env, e) => {
    const values = new Map<string, number>();
    for (const id of [...idx.inputs, ...idx.targets, ...idx.zs, ...idx.as])
      values.set(id, env.value(nodeSym(graph.nodes[id]!)));
    const deltas = new Map<string, number>();
    for (const d of dform.deltas) deltas.set(d.node, env.value(d.ref));
    return { example: e, values, deltas, cost: env.value(flow.syms.get(idx.cost.id)!) };
  });
  const chains = new Map<string, ChainValues>();
  for (const p of options.params ?? []) {
    if (!index.has(p)) throw new ArgumentError("unknown-parameter", `There is no parameter "${p}" in this graph.`, p);
    const listing = chainListing(graph, p, options.maxPaths ?? 4);
    const paths = listing.terms.map((t) => {
      const factors = envs.map((env) => t.locals.map((l) => env.value(l)));
      return { path: t.path, factors, products: factors.map((f) => f.reduce((a, b) => a * b, 1)) };
    });
    const g = dform.byParam.get(p)!.perExample;
    chains.set(p, { param: p, paths, elided: listing.elided, perExample: envs.map((env) => env.value(g)) });
  }
  return { graph, theta, data, learningRate: rate, cost, gradient, updated, costAfter, traces, chains, index };
}
