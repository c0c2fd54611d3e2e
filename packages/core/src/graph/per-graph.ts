/**
 * One value per graph object, computed on first use and forgotten with the graph: the cache
 * behind every derived form (index, flow, δ table, matrix form, compiled programs, …). Graphs are
 * immutable, so a value computed once stays true for that object.
 */
import { ArgumentError } from "../errors.js";
import { kindOf } from "../messages.js";
import type { Graph } from "./types.js";

/**
 * `compute` cached per graph object (in a WeakMap, so a graph no longer used is collected with its
 * values). A call that throws caches nothing.
 *
 * @example
 * const sizes = perGraph((g) => Object.keys(g.nodes).length);
 */
export function perGraph<T>(compute: (graph: Graph) => T): (graph: Graph) => T {
  if (typeof compute !== "function")
    throw new ArgumentError(
      "invalid-argument",
      `perGraph takes the function that computes a graph's value; got ${kindOf(compute)}.`,
      compute,
    );
  const values = new WeakMap<Graph, T>();
  return (graph) => {
    if (typeof graph === "object" && graph !== null && values.has(graph)) return values.get(graph)!;
    const value = compute(graph);
    if (typeof graph === "object" && graph !== null) values.set(graph, value);
    return value;
  };
}
