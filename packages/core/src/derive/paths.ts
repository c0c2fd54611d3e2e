/**
 * Paths from a parameter to the cost, and the chain form built from them: ∂J/∂θ is the sum over
 * paths θ → z → a → … → J of the product of the partials along the path, plus J's direct
 * dependence on θ through the L2 penalty (kept apart, as in the δ form: see penalty.ts).
 */
import { ArgumentError, TooLargeError } from "../errors.js";
import { add, type Expr, mul } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex, nodeArgument, paramArgument } from "../graph/validate.js";
import { show } from "../messages.js";
import { penaltyPartial } from "./penalty.js";
import { flowOf, successors } from "./structure.js";

/** A path θ → … → J, as node ids from the parameter to the cost. */
export type Path = readonly string[];

/** Lists the paths from a node to the cost lazily, depth first, in graph order. */
export function* paths(graph: Graph, from: string): Generator<Path> {
  nodeArgument(graph, from, ["input", "target", "param", "z", "a", "cost"], "node");
  const succ = successors(graph);
  const cost = graphIndex(graph).cost.id;
  // Iterative DFS: an explicit stack of (node, next successor index).
  const stack: { id: string; i: number }[] = [{ id: from, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.id === cost) {
      yield stack.map((s) => s.id);
      stack.pop();
      continue;
    }
    const next = succ.get(top.id)![top.i++];
    if (next === undefined) stack.pop();
    else stack.push({ id: next, i: 0 });
  }
}

/**
 * Path count and total chain factors (edges summed over paths) from each node to J. Paths run
 * through the graph's nodes; the L2 penalty's direct term (λ/m)θ is not a path and adds neither a
 * path nor a factor, so the counts are the same with and without L2.
 */
export interface PathCounts {
  readonly paths: ReadonlyMap<string, bigint>;
  readonly factors: ReadonlyMap<string, bigint>;
}

/**
 * Counts paths to J without listing them, by dynamic programming in reverse topological order:
 * P(J) = 1, P(v) = Σ P(succ); F(v) = Σ (F(succ) + P(succ)) — each path from a successor gains
 * one factor, the edge from v. Linear in the number of edges; exact (bigint).
 */
export function pathCounts(graph: Graph): PathCounts {
  return pathCountsOf(graph);
}
const pathCountsOf = perGraph((graph: Graph): PathCounts => {
  const succ = successors(graph);
  const idx = graphIndex(graph);
  const P = new Map<string, bigint>();
  const F = new Map<string, bigint>();
  for (let i = idx.order.length - 1; i >= 0; i--) {
    const id = idx.order[i]!;
    if (id === idx.cost.id) {
      P.set(id, 1n);
      F.set(id, 0n);
      continue;
    }
    let p = 0n;
    let f = 0n;
    for (const s of succ.get(id)!) {
      const ps = P.get(s)!;
      p += ps;
      f += F.get(s)! + ps;
    }
    P.set(id, p);
    F.set(id, f);
  }
  const counts = { paths: P, factors: F };
  return counts;
});

/** A bigint as a number when it is exactly representable, else the bigint. */
export function exact(n: bigint): number | bigint {
  if (typeof n !== "bigint") throw new ArgumentError("invalid-argument", `exact() takes a bigint; got ${show(n)}.`, n);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Totals over all parameters: the post's "8 parameters need 52 factors". */
export interface Count {
  readonly parameters: number;
  readonly paths: number | bigint;
  readonly chainFactors: number | bigint;
}

/** Counts parameters, paths and chain factors of a graph. */
export function count(graph: Graph): Count {
  const { paths: P, factors: F } = pathCounts(graph);
  const params = graphIndex(graph).params;
  let p = 0n;
  let f = 0n;
  for (const id of params) {
    p += P.get(id)!;
    f += F.get(id)!;
  }
  return { parameters: params.length, paths: exact(p), chainFactors: exact(f) };
}

/** One term of the chain form: a path and its factors, from J backwards (as the post writes them). */
export interface ChainTerm {
  readonly path: Path;
  /** Unevaluated partials ∂J/∂a · ∂a/∂z · … · ∂z/∂θ. */
  readonly partials: readonly Expr[];
  /** The same factors evaluated to local expressions. */
  readonly locals: readonly Expr[];
}

/**
 * The chain form of one partial: ∂J/∂θ = Σ over examples of `expr` (or `local`), plus `batch` once
 * per batch — the same split as the δ form's {@link Gradient}, whose `batch` is the same object.
 */
export interface ChainForm {
  readonly param: string;
  readonly terms: readonly ChainTerm[];
  /** Σ over paths of Π unevaluated partials (per example). */
  readonly expr: Expr;
  /** Σ over paths of Π local partials (the "local partials evaluated" form; per example). */
  readonly local: Expr;
  /** Once-per-batch part: the L2 penalty's direct term (λ/m)θ for a weight, or 0. */
  readonly batch: Expr;
}

/** Default limit on the number of paths a chain form may list. */
export const MAX_CHAIN_PATHS = 20_000;

/** The chain form of ∂J/∂θ; throws TooLargeError beyond `limit` paths (count them instead). */
export function chainForm(graph: Graph, param: string, limit = MAX_CHAIN_PATHS): ChainForm {
  paramArgument(graph, param);
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0) {
    throw new ArgumentError("invalid-argument", `The path limit is a whole number ≥ 0; got ${show(limit)}.`, limit);
  }
  const n = pathCounts(graph).paths.get(param) ?? 0n;
  if (n > BigInt(limit)) {
    throw new TooLargeError(
      "too-large",
      `∂J/∂${param} has ${n} paths, more than the limit of ${limit} for listing chains; use the δ form, count the paths, or raise the limit.`,
      n,
    );
  }
  const flow = flowOf(graph);
  const terms: ChainTerm[] = [];
  for (const path of paths(graph, param)) {
    const partials: Expr[] = [];
    const locals: Expr[] = [];
    for (let i = path.length - 1; i > 0; i--) {
      partials.push(flow.partialOf(path[i - 1]!, path[i]!));
      locals.push(flow.local(path[i - 1]!, path[i]!));
    }
    terms.push({ path, partials, locals });
  }
  return {
    param,
    terms,
    expr: add(...terms.map((t) => mul(...t.partials))),
    local: add(...terms.map((t) => mul(...t.locals))),
    batch: penaltyPartial(graph, param),
  };
}
