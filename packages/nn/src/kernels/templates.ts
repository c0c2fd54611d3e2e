/**
 * Compiles the scalar templates of the matrix form into JavaScript loops, through core's
 * {@link Emitter} (the same code generator and runtime helpers as core's compiler, so an element
 * computes exactly what the δ table says). A `map` step's template is written for neuron 1 of its
 * layer (symbols z_l_1, a_l_1, y_1, m); the compiled loop applies it to every entry.
 */
import {
  type ANode,
  ArgumentError,
  checkExpr,
  children,
  costForm,
  Emitter,
  type Expr,
  type Graph,
  GraphError,
  graphIndex,
  ids,
  JS_SYNTAX,
  oneOf,
  parameterIds,
  perGraph,
  postorder,
  RUNTIME,
  type Sym,
  show,
} from "@chainrule/core";

/**
 * A compiled element-wise lift over n = rows · m entries (one column of rows per example): for
 * i < n, D[i] = f(Z[i], A[i], Y[i], Σ of Y over i's column), or D[i] ·= f(…).
 */
export type MapKernel = (
  Z: Float64Array,
  A: Float64Array,
  Y: Float64Array,
  D: Float64Array,
  n: number,
  m: number,
  lambda: number,
) => void;

/** How a map kernel writes its result. */
export type MapMode = "set" | "multiply";

/** A compiled template with its source (kept for reading and debugging). */
export interface CompiledMap {
  readonly kernel: MapKernel;
  readonly source: string;
  /** Which inputs the template reads. */
  readonly reads: { readonly z: boolean; readonly a: boolean; readonly y: boolean; readonly ysum: boolean };
}

const makeFn = (params: readonly string[], body: string): ((...a: unknown[]) => unknown) =>
  new Function(
    "rt",
    `"use strict";\nconst { sigmoid, softplus, fnOp, lseOp, powOp } = rt;\nreturn function (${params.join(", ")}) {\n${body}\n};`,
  )(RUNTIME) as (...a: unknown[]) => unknown;

/**
 * Compiles a `map` template of layer `layer` into a loop over n entries. Throws a GraphError if
 * the template reads anything but z_l_1, a_l_1, y_1, the column's Σy, m and λ (it would not be
 * element-wise).
 */
export function compileMap(template: Expr, layer: number, mode: MapMode): CompiledMap {
  checkExpr(template, "template");
  if (typeof layer !== "number" || !Number.isInteger(layer) || layer < 1)
    throw new ArgumentError("invalid-argument", `The layer is a whole number ≥ 1, got ${show(layer)}.`, layer);
  oneOf(["set", "multiply"] as const, mode, "map mode");
  const reads = { z: false, a: false, y: false, ysum: false };
  const name = (s: Sym): string => {
    const r = s.ref;
    switch (r.kind) {
      case "z":
        if (r.node === ids.z(layer, 1)) {
          reads.z = true;
          return "z";
        }
        break;
      case "a":
        if (r.node === ids.a(layer, 1)) {
          reads.a = true;
          return "a";
        }
        break;
      case "y":
        if (r.node === ids.y(1)) {
          reads.y = true;
          return "y";
        }
        break;
      case "ysum":
        // Σᵢ yᵢ over the example's column of targets, summed once per column
        if (r.node === ids.z(layer, 1)) {
          reads.ysum = true;
          return "ysum";
        }
        break;
      case "m":
        return "m";
      case "lambda":
        return "lambda";
      default:
        break;
    }
    throw new GraphError(
      "invalid-graph",
      `The element-wise template of layer ${layer} reads ${"node" in r ? r.node : r.kind}, which is not a quantity of neuron 1 of that layer; it cannot be lifted entry by entry.`,
      r,
    );
  };
  postorder([template], (e) => {
    if (e.kind === "sym") name(e);
    else if (e.kind === "delta" || e.kind === "partial") {
      throw new GraphError(
        "invalid-graph",
        `The element-wise template of layer ${layer} contains a ${e.kind}; only local quantities can be lifted entry by entry.`,
      );
    }
  });
  const em = new Emitter(JS_SYNTAX, name, () => "undefined", [template], "t", "    ");
  const code = em.code(template);
  const loads = [
    reads.z ? "const z = Z[i];" : "",
    reads.a ? "const a = A[i];" : "",
    reads.y ? "const y = Y[i];" : "",
  ].filter((s) => s !== "");
  const store = mode === "set" ? `D[i] = ${code};` : `D[i] = D[i] * ${code};`;
  const inner = [...loads.map((l) => `    ${l}`), ...em.lines, `    ${store}`];
  // n = rows · m entries, one column of `rows` per example; Σy needs the column's targets first
  const body = reads.ysum
    ? [
        "  const rows = n / m;",
        "  for (let o = 0; o < n; o += rows) {",
        "    let ysum = 0;",
        "    for (let i = o; i < o + rows; i++) ysum += Y[i];",
        "    for (let i = o; i < o + rows; i++) {",
        ...inner.map((l) => `  ${l}`),
        "    }",
        "  }",
      ].join("\n")
    : ["  for (let i = 0; i < n; i++) {", ...inner, "  }"].join("\n");
  const params = ["Z", "A", "Y", "D", "n", "m", "lambda"];
  return { kernel: makeFn(params, body) as unknown as MapKernel, source: body, reads };
}

/** Compiles a scalar expression in m and λ (e.g. the L2 factor λ/m) into a function of them. */
export function compileScalar(e: Expr): (m: number, lambda: number) => number {
  checkExpr(e);
  const name = (s: Sym): string => {
    if (s.ref.kind === "m") return "m";
    if (s.ref.kind === "lambda") return "lambda";
    throw new GraphError(
      "invalid-graph",
      `A scale factor of the matrix form reads ${"node" in s.ref ? show(s.ref.node) : s.ref.kind}; only m and λ are allowed.`,
      s.ref,
    );
  };
  const em = new Emitter(JS_SYNTAX, name, () => "undefined", [e], "t", "  ");
  const code = em.code(e);
  return makeFn(["m", "lambda"], [...em.lines, `  return ${code};`].join("\n")) as (
    m: number,
    lambda: number,
  ) => number;
}

/**
 * The per-example cost summed over `count` examples: Σ_e cost(Z[:,e], A[:,e], Y[:,e], lse_e), with
 * the batch size m in each example's cost (its 1/m). count = m for a whole batch; count < m for a
 * slice of a batch of m examples, whose slices' sums add up to the batch's.
 */
export type CostKernel = (
  Z: Float64Array,
  A: Float64Array,
  Y: Float64Array,
  LSE: Float64Array,
  count: number,
  m: number,
) => number;

/**
 * Compiles the graph's stable per-example cost (the cost form's `stableCost`) over the output
 * layer's buffers: one example per contiguous column of n outputs. The L2 term is separate.
 */
export function compileCost(graph: Graph): { readonly kernel: CostKernel; readonly source: string } {
  const idx = graphIndex(graph);
  const n = idx.cost.outputs.length;
  const pos = new Map<string, number>();
  idx.cost.outputs.forEach((o, j) => {
    pos.set(o, j);
    pos.set((graph.nodes[o] as ANode).z, j);
  });
  const tpos = new Map(idx.cost.targets.map((t, j) => [t, j] as const));
  const name = (s: Sym): string => {
    const r = s.ref;
    switch (r.kind) {
      case "z":
        if (pos.has(r.node)) return `Z[o + ${pos.get(r.node)!}]`;
        break;
      case "a":
        if (pos.has(r.node)) return `A[o + ${pos.get(r.node)!}]`;
        break;
      case "y":
        if (tpos.has(r.node)) return `Y[o + ${tpos.get(r.node)!}]`;
        break;
      case "lse":
        return "LSE[e]";
      case "m":
        return "m";
      default:
        break;
    }
    throw new GraphError(
      "invalid-graph",
      `The cost reads ${"node" in r ? r.node : r.kind}, which is not an output, a target or m.`,
      r,
    );
  };
  const cost = costForm(graph).stableCost;
  const em = new Emitter(JS_SYNTAX, name, () => "undefined", [cost], "t", "    ");
  const code = em.code(cost);
  const body = [
    "  let J = 0;",
    `  for (let e = 0, o = 0; e < count; e++, o += ${n}) {`,
    ...em.lines,
    `    J += ${code};`,
    "  }",
    "  return J;",
  ].join("\n");
  return { kernel: makeFn(["Z", "A", "Y", "LSE", "count", "m"], body) as unknown as CostKernel, source: body };
}

/** J's once-per-batch term for parameters θ, a batch of m examples and L2 strength λ. */
export type BatchCostKernel = (theta: Float64Array, m: number, lambda: number) => number;

/**
 * Compiles the cost form's once-per-batch term (`costForm(graph).batchCost`: the L2 term
 * λ/(2m) Σθ² over the weights, or 0) through core's Emitter, like the other templates. A sum of
 * squared parameters has one term per weight (101,632 for 784-128-10): written out term by term it
 * takes seconds to emit and compile and runs unoptimised, so each such sum is bound to a loop over
 * its parameters' indices instead, adding the same squares θ·θ in the same order — the value is
 * core's evaluation of the expression, bit for bit. Compiled once per graph (for 784-128-10 the
 * emitter's pass over the sum takes about 0.2 s).
 */
export function compileBatchCost(graph: Graph): { readonly kernel: BatchCostKernel; readonly source: string } {
  graphIndex(graph);
  return batchCosts(graph);
}

const batchCosts = perGraph((graph) => emitBatchCost(graph, null));

/**
 * {@link compileBatchCost} of a small layered `template` run for a wider network of the same
 * layers: the template's sum of squares over all its weights is bound to a loop over `weights`,
 * the positions of the wider network's weights in its parameter vector (in parameter order, as
 * the wider graph's own sum would list them), so the value is what the wider graph's term gives,
 * bit for bit, without building that graph.
 */
export function compileBatchCostFor(
  template: Graph,
  weights: Int32Array,
): { readonly kernel: BatchCostKernel; readonly source: string } {
  graphIndex(template);
  if (!(weights instanceof Int32Array))
    throw new ArgumentError(
      "invalid-argument",
      `The weights' positions are an Int32Array; got ${show(weights, 40)}.`,
      weights,
    );
  return emitBatchCost(template, weights);
}

function emitBatchCost(
  graph: Graph,
  wider: Int32Array | null,
): { readonly kernel: BatchCostKernel; readonly source: string } {
  const expr = costForm(graph).batchCost;
  const order = parameterIds(graph);
  const index = new Map(order.map((p, i) => [p, i] as const));
  const paramIndex = (e: Expr): number | undefined =>
    e.kind === "sym" && e.ref.kind === "theta" ? index.get(e.ref.node) : undefined;
  // for a wider network, a parameter read outside the bound sum has no position there
  let single = true;
  const name = (s: Sym): string => {
    const i = paramIndex(s);
    if (i !== undefined && !single)
      throw new GraphError(
        "invalid-graph",
        "The template's once-per-batch term reads a parameter outside its sum of squares; it cannot stand for a wider network's.",
        s.ref,
      );
    if (i !== undefined) return `T[${i}]`;
    if (s.ref.kind === "m") return "m";
    if (s.ref.kind === "lambda") return "lambda";
    throw new GraphError(
      "invalid-graph",
      `The cost's once-per-batch term reads ${"node" in s.ref ? s.ref.node : s.ref.kind}; only parameters, m and λ are allowed.`,
      s.ref,
    );
  };
  const em = new Emitter(JS_SYNTAX, name, () => "undefined", [expr], "t", "  ");
  // sums of squared parameters, outermost first
  const sums: Int32Array[] = [];
  const seen = new Set<Expr>();
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    const squares =
      e.kind === "add" ? e.terms.map((t) => (t.kind === "pow" && t.exp === 2 ? paramIndex(t.base) : undefined)) : null;
    if (squares?.every((i) => i !== undefined)) {
      em.name(e, `S${sums.length}`);
      sums.push(Int32Array.from(squares as number[]));
    } else stack.push(...children(e));
  }
  if (wider !== null && sums.length > 0) {
    // the template's weights, in parameter order: its one sum must be exactly these
    const own = order.flatMap((p, i) => ((graph.nodes[p] as { role?: string }).role === "weight" ? [i] : []));
    const only = sums.length === 1 ? sums[0]! : null;
    if (only === null || only.length !== own.length || only.some((v, i) => v !== own[i])) {
      throw new GraphError(
        "invalid-graph",
        "The template's once-per-batch term is not one sum of squares over all its weights; it cannot stand for a wider network's.",
      );
    }
    sums[0] = wider;
    single = false;
  }
  const code = em.code(expr);
  const loops = sums.map(
    (_, k) =>
      `  let S${k} = 0;\n  for (let i = 0; i < I${k}.length; i++) {\n    const v = T[I${k}[i]];\n    S${k} += v * v;\n  }`,
  );
  const body = [...loops, ...em.lines, `  return ${code};`].join("\n");
  const make = new Function(
    "rt",
    "I",
    `"use strict";\nconst { sigmoid, softplus, fnOp, lseOp, powOp } = rt;\n${sums.map((_, k) => `const I${k} = I[${k}];`).join("\n")}\nreturn function (T, m, lambda) {\n${body}\n};`,
  );
  return { kernel: make(RUNTIME, sums) as BatchCostKernel, source: body };
}
