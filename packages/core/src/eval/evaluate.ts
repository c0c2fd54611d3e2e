/**
 * The interpreter: evaluates any expression of a graph's derivation — forward, chain, local, δ —
 * for one example or summed over a batch. Symbols z, a and Σy resolve to their forward definitions,
 * δ references to their δ-table definitions, partials to their local expressions; evaluation is
 * iterative (no recursion), so arbitrarily deep graphs evaluate.
 */

import { deltaForm } from "../derive/delta.js";
import { forwardForm } from "../derive/forward.js";
import { chainForm } from "../derive/paths.js";
import { flowOf } from "../derive/structure.js";
import { ArgumentError, assertNever, oneOf } from "../errors.js";
import { checkExpr, type Expr, type Sym } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { kindOf, quote, show } from "../messages.js";
import { type Batch, checkShapes, type ParamValues } from "./data.js";
import { fnOp, lseOp, powOp } from "./ops.js";

/** How expressions of a graph resolve: shared by all examples. */
class Resolver {
  readonly index = new Map<string, number>();
  readonly paramIdx = new Map<string, number>();
  readonly inputIdx = new Map<string, number>();
  readonly targetIdx = new Map<string, number>();
  readonly costId: string;
  constructor(readonly graph: Graph) {
    const idx = graphIndex(graph);
    idx.params.forEach((p, i) => {
      this.paramIdx.set(p, i);
    });
    idx.inputs.forEach((p, i) => {
      this.inputIdx.set(p, i);
    });
    idx.targets.forEach((p, i) => {
      this.targetIdx.set(p, i);
    });
    this.costId = idx.cost.id;
  }
  /** Sub-expressions a node's value depends on, definitions included. */
  deps(e: Expr): readonly Expr[] {
    switch (e.kind) {
      case "const":
        return [];
      case "sym":
        return this.symDeps(e);
      case "add":
        return e.terms;
      case "mul":
        return e.factors;
      case "pow":
        return [e.base];
      case "apply":
        return [e.arg];
      case "partial":
        return [this.localOf(e.num, e.den)];
      case "delta":
        return [this.deltaDef(e.node)];
      default:
        return assertNever(e);
    }
  }
  private symDeps(s: Sym): readonly Expr[] {
    switch (s.ref.kind) {
      case "z":
      case "a":
      case "ysum":
        return [forwardForm(this.graph).definitions.get(s) ?? foreign(s)];
      case "lse":
        return forwardForm(this.graph).lse.get(s) ?? foreign(s);
      default:
        return [];
    }
  }
  localOf(num: Sym, den: Sym): Expr {
    const id = (s: Sym) => ("node" in s.ref ? s.ref.node : this.costId);
    return flowOf(this.graph).local(id(den), id(num));
  }
  deltaDef(node: string): Expr {
    const d = deltaForm(this.graph).byNode.get(node);
    if (d === undefined)
      throw new ArgumentError("invalid-argument", `No δ for ${quote(node)}: δ terms exist for z nodes only.`, node);
    return d.definition;
  }
}

/** A symbol of another graph (or of no graph) met while evaluating. */
function foreign(s: Sym): never {
  const ref = s.ref;
  throw new ArgumentError(
    "invalid-argument",
    `The expression reads ${ref.kind}${"node" in ref ? ` of ${quote(ref.node)}` : ""}, which this graph does not have; evaluate expressions with the graph they were derived from.`,
    ref,
  );
}

/** The position of a node in one of the resolver's tables, or {@link foreign}'s error. */
function at(table: ReadonlyMap<string, number>, s: Sym, node: string): number {
  const i = table.get(node);
  return i === undefined ? foreign(s) : i;
}

const resolver = perGraph((graph) => new Resolver(graph));

/** Values of a graph's quantities for one example; evaluates any expression of the graph. */
export class ExampleEnv {
  private readonly memo = new Map<Expr, number>();
  private readonly r: Resolver;
  constructor(
    graph: Graph,
    private readonly theta: ParamValues,
    private readonly data: Batch,
    /** Which example of the batch (0-based). */
    private readonly e: number,
  ) {
    checkShapes(graph, theta, data);
    if (!Number.isInteger(e) || e < 0 || e >= data.m)
      throw new ArgumentError(
        "invalid-argument",
        `Example ${show(e, 40)} is not in a batch of ${data.m} (examples are 0…${data.m - 1}).`,
        e,
      );
    this.r = resolver(graph);
  }

  /** The value of an expression for this example. */
  value(root: Expr): number {
    checkExpr(root);
    const memo = this.memo;
    const hit = memo.get(root);
    if (hit !== undefined) return hit;
    const stack: { e: Expr; i: number; deps: readonly Expr[] }[] = [{ e: root, i: 0, deps: this.r.deps(root) }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const d = top.deps[top.i++]!;
        if (!memo.has(d)) stack.push({ e: d, i: 0, deps: this.r.deps(d) });
        continue;
      }
      stack.pop();
      memo.set(top.e, this.combine(top.e));
    }
    return memo.get(root)!;
  }

  /** One node's value from its (already evaluated) dependencies. */
  private combine(e: Expr): number {
    const v = (x: Expr) => this.memo.get(x)!;
    switch (e.kind) {
      case "const":
        return e.value;
      case "sym":
        return this.symbol(e);
      case "add": {
        let s = v(e.terms[0]!);
        for (let i = 1; i < e.terms.length; i++) s += v(e.terms[i]!);
        return s;
      }
      case "mul": {
        let p = v(e.factors[0]!);
        for (let i = 1; i < e.factors.length; i++) p *= v(e.factors[i]!);
        return p;
      }
      case "pow":
        return powOp(v(e.base), e.exp);
      case "apply":
        return fnOp(e.fn, e.order, v(e.arg));
      case "partial":
        return v(this.r.localOf(e.num, e.den));
      case "delta":
        return v(this.r.deltaDef(e.node));
      default:
        return assertNever(e);
    }
  }

  private symbol(s: Sym): number {
    const r = this.r;
    const ref = s.ref;
    switch (ref.kind) {
      case "theta":
        return this.theta[at(r.paramIdx, s, ref.node)]!;
      case "x":
        return this.data.x[this.e * r.inputIdx.size + at(r.inputIdx, s, ref.node)]!;
      case "y":
        return this.data.y[this.e * r.targetIdx.size + at(r.targetIdx, s, ref.node)]!;
      case "z":
      case "a":
      case "ysum":
        return this.memo.get(forwardForm(r.graph).definitions.get(s) ?? foreign(s))!;
      case "lse":
        return lseOp((forwardForm(r.graph).lse.get(s) ?? foreign(s)).map((z) => this.memo.get(z)!));
      case "m":
        return this.data.m;
      case "lambda":
        return graphIndex(r.graph).cost.l2;
      case "J":
        return this.value(forwardForm(r.graph).stableCost);
      default:
        return assertNever(ref);
    }
  }
}

function checkExprs(exprs: readonly Expr[]): void {
  if (!Array.isArray(exprs))
    throw new ArgumentError("invalid-argument", `Give the expressions as a list; got ${kindOf(exprs)}.`, exprs);
  for (const e of exprs) checkExpr(e);
}

/** Σ over the batch's examples of each expression's value (in example order). */
export function sumOverBatch(graph: Graph, exprs: readonly Expr[], theta: ParamValues, data: Batch): Float64Array {
  checkShapes(graph, theta, data);
  checkExprs(exprs);
  const out = new Float64Array(exprs.length);
  for (let e = 0; e < data.m; e++) {
    const env = new ExampleEnv(graph, theta, data, e);
    for (let i = 0; i < exprs.length; i++) out[i]! += env.value(exprs[i]!);
  }
  return out;
}

/** Each expression's value for every example: result[i][e]. */
export function perExample(graph: Graph, exprs: readonly Expr[], theta: ParamValues, data: Batch): Float64Array[] {
  checkShapes(graph, theta, data);
  checkExprs(exprs);
  const out = exprs.map(() => new Float64Array(data.m));
  for (let e = 0; e < data.m; e++) {
    const env = new ExampleEnv(graph, theta, data, e);
    exprs.forEach((x, i) => {
      out[i]![e] = env.value(x);
    });
  }
  return out;
}

/** Value of a once-per-batch expression (no example data: θ, m, λ only). */
export function batchValue(graph: Graph, expr: Expr, theta: ParamValues, data: Batch): number {
  checkShapes(graph, theta, data);
  return new ExampleEnv(graph, theta, { m: data.m, x: data.x, y: data.y }, 0).value(expr);
}

/** J over a batch: Σ over examples of the stable per-example cost, plus the L2 term. */
export function costValue(graph: Graph, theta: ParamValues, data: Batch): number {
  const f = forwardForm(graph);
  return sumOverBatch(graph, [f.stableCost], theta, data)[0]! + batchValue(graph, f.batchCost, theta, data);
}

/** Which derived form to evaluate gradients from. */
export type GradientForm = "delta" | "chain" | "local";

/**
 * Every ∂J/∂θ over a batch, in parameter order, from the chosen form: each form's per-example part
 * summed over the examples, plus that form's own once-per-batch part (the L2 term). The chain and
 * local forms list paths, so they are for small graphs; the δ form is linear in the graph.
 */
export function gradientValues(
  graph: Graph,
  theta: ParamValues,
  data: Batch,
  form: GradientForm = "delta",
): Float64Array {
  oneOf(["delta", "chain", "local"] as const, form, "gradient form");
  checkShapes(graph, theta, data);
  const parts = deltaForm(graph).gradients.map((g) => (form === "delta" ? g : chainParts(graph, g.param, form)));
  const sums = sumOverBatch(
    graph,
    parts.map((p) => p.perExample),
    theta,
    data,
  );
  parts.forEach((p, i) => {
    sums[i]! += batchValue(graph, p.batch, theta, data);
  });
  return sums;
}

/** The chain or local form of ∂J/∂θ split as the δ form's gradients are. */
function chainParts(graph: Graph, param: string, form: "chain" | "local"): { perExample: Expr; batch: Expr } {
  const c = chainForm(graph, param);
  return { perExample: form === "chain" ? c.expr : c.local, batch: c.batch };
}

/** Output activations for every example: row-major m × (number of outputs). */
export function predict(graph: Graph, theta: ParamValues, data: Batch): Float64Array {
  const idx = graphIndex(graph);
  const { syms } = flowOf(graph);
  const outs = idx.cost.outputs.map((o) => syms.get(o)!);
  const vals = perExample(graph, outs, theta, data);
  const res = new Float64Array(data.m * outs.length);
  for (let e = 0; e < data.m; e++) for (let j = 0; j < outs.length; j++) res[e * outs.length + j] = vals[j]![e]!;
  return res;
}

/**
 * Evaluates an expression with symbols given by a function (no graph needed): for element-wise
 * templates of the matrix form and for tools. Partials and δ references are not allowed.
 */
export function evaluateWith(root: Expr, symbol: (s: Sym) => number): number {
  checkExpr(root);
  if (typeof symbol !== "function")
    throw new ArgumentError(
      "invalid-argument",
      `evaluateWith needs a function giving each symbol's value; got ${kindOf(symbol)}.`,
      symbol,
    );
  const memo = new Map<Expr, number>();
  const stack: { e: Expr; i: number }[] = [{ e: root, i: 0 }];
  const kids = (e: Expr): readonly Expr[] =>
    e.kind === "add"
      ? e.terms
      : e.kind === "mul"
        ? e.factors
        : e.kind === "pow"
          ? [e.base]
          : e.kind === "apply"
            ? [e.arg]
            : [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const ks = kids(top.e);
    if (top.i < ks.length) {
      const k = ks[top.i++]!;
      if (!memo.has(k)) stack.push({ e: k, i: 0 });
      continue;
    }
    stack.pop();
    const e = top.e;
    const v = (x: Expr) => memo.get(x)!;
    let r: number;
    switch (e.kind) {
      case "const":
        r = e.value;
        break;
      case "sym":
        r = symbol(e);
        break;
      case "add":
        r = v(e.terms[0]!);
        for (let i = 1; i < e.terms.length; i++) r += v(e.terms[i]!);
        break;
      case "mul":
        r = v(e.factors[0]!);
        for (let i = 1; i < e.factors.length; i++) r *= v(e.factors[i]!);
        break;
      case "pow":
        r = powOp(v(e.base), e.exp);
        break;
      case "apply":
        r = fnOp(e.fn, e.order, v(e.arg));
        break;
      case "partial":
      case "delta":
        throw new ArgumentError(
          "invalid-argument",
          `evaluateWith cannot evaluate a ${e.kind}; evaluate it through its graph instead.`,
        );
      default:
        return assertNever(e);
    }
    memo.set(e, r);
  }
  return memo.get(root)!;
}
