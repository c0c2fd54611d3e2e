/**
 * The compiler: straight-line JavaScript for J and every ∂J/∂θ of a graph, emitted from the
 * forward form and the δ table (each δ computed once per example). The generated source is kept
 * on the result so a researcher can read it; calls allocate nothing.
 */
import type { Expr } from "../expr/expr.js";
import { deltaForm } from "../derive/delta.js";
import { forwardForm } from "../derive/forward.js";
import { nodeSym } from "../derive/structure.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { checkShapes, type Batch, type ParamValues } from "./data.js";
import { Emitter, JS_SYNTAX } from "./emit.js";
import { namesOf } from "./names.js";
import { RUNTIME } from "./ops.js";

/** A compiled program. */
export interface Compiled {
  /** The generated JavaScript (the body of a function of the runtime helpers). */
  readonly source: string;
  /** Whether the program computes gradients (else J only). */
  readonly gradients: boolean;
  /**
   * Runs on a batch: returns J and, when compiled with gradients, writes ∂J/∂θ (in parameter
   * order) into `grad`. `check` validates shapes first (on by default; off on hot paths).
   */
  run(theta: ParamValues, data: Batch, grad?: Float64Array, check?: boolean): number;
}

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Emit the gradients too (default true); false gives J alone. */
  readonly gradients?: boolean;
}

/** Compiles J (and all gradients) of a graph to straight-line JavaScript. */
export function compile(graph: Graph, options: CompileOptions = {}): Compiled {
  const withGrad = options.gradients ?? true;
  const source = emitSource(graph, withGrad);
  const make = new Function("rt", source) as (rt: typeof RUNTIME) => (theta: ParamValues, x: Float64Array, y: Float64Array, m: number, grad: Float64Array | undefined) => number;
  const fn = make(RUNTIME);
  const np = graphIndex(graph).params.length;
  return {
    source,
    gradients: withGrad,
    run(theta, data, grad, check = true) {
      if (check) {
        checkShapes(graph, theta, data);
        if (withGrad && (grad === undefined || grad.length !== np)) throw new RangeError(`grad must be a Float64Array of length ${np}`);
      }
      return fn(theta, data.x, data.y, data.m, grad);
    },
  };
}

/** The JavaScript source {@link compile} runs. */
export function emitSource(graph: Graph, withGrad: boolean): string {
  const idx = graphIndex(graph);
  const names = namesOf(graph);
  const fwd = forwardForm(graph);
  const dform = deltaForm(graph);
  const I = "    ";
  const perExampleRoots: Expr[] = [fwd.stableCost, ...fwd.definitions.values()];
  if (withGrad) {
    for (const d of dform.deltas) perExampleRoots.push(d.definition);
    for (const g of dform.gradients) perExampleRoots.push(g.perExample);
  }
  const em = new Emitter(JS_SYNTAX, (s) => names.sym(s), (n) => names.delta(n), perExampleRoots, "t", I);
  const head: string[] = [
    `"use strict";`,
    `// chainrule: J${withGrad ? ` and ∂J/∂θ for ${idx.params.length} parameters` : ""}, straight-line code from the ${withGrad ? "δ form" : "forward form"}.`,
    `const { sigmoid, softplus, fnOp, lseOp } = rt;`,
    `return function program(theta, x, y, m, grad) {`,
    `  const lambda = ${idx.cost.l2};`,
  ];
  idx.params.forEach((p, i) => head.push(`  const ${names.sym(sym(graph, p))} = theta[${i}];`));
  if (withGrad) head.push(`  grad.fill(0);`);
  head.push(`  let J = 0;`, `  for (let e = 0; e < m; e++) {`);
  const nIn = idx.inputs.length;
  const nOut = idx.targets.length;
  idx.inputs.forEach((id, i) => em.lines.push(`${I}const ${names.sym(sym(graph, id))} = x[e * ${nIn} + ${i}];`));
  idx.targets.forEach((id, i) => em.lines.push(`${I}const ${names.sym(sym(graph, id))} = y[e * ${nOut} + ${i}];`));
  em.lines.push(`${I}// forward`);
  for (const s of fwd.order) {
    if (s.ref.kind === "lse") {
      const zs = fwd.lse.get(s)!.map((z) => names.sym(z));
      em.lines.push(`${I}const ${names.sym(s)} = lseOp([${zs.join(", ")}]);`);
      continue;
    }
    const code = em.code(fwd.definitions.get(s)!);

    em.lines.push(`${I}const ${names.sym(s)} = ${code};`);
    const def = fwd.definitions.get(s)!;
    if (def.kind !== "sym") em.name(def, names.sym(s));
  }
  em.lines.push(`${I}J += ${em.code(fwd.stableCost)};`);
  if (withGrad) {
    em.lines.push(`${I}// δ terms, each computed once`);
    for (const d of dform.deltas) {
      em.lines.push(`${I}const ${names.delta(d.node)} = ${em.code(d.definition)};`);
    }
    em.lines.push(`${I}// ∂J/∂θ = Σ δ · input`);
    dform.gradients.forEach((g, i) => em.lines.push(`${I}grad[${i}] += ${em.code(g.perExample)};`));
  }
  const tail: string[] = [`  }`];
  // Once-per-batch terms (L2): θ, m and λ only.
  const batchEm = new Emitter(JS_SYNTAX, (s) => names.sym(s), (n) => names.delta(n), [fwd.batchCost, ...dform.gradients.map((g) => g.batch)], "b", "  ");
  const batchLines: string[] = [];
  if (fwd.batchCost.kind !== "const" || fwd.batchCost.value !== 0) batchLines.push(`  J += ${batchEm.code(fwd.batchCost)};`);
  if (withGrad) {
    dform.gradients.forEach((g, i) => {
      if (g.batch.kind !== "const" || g.batch.value !== 0) batchLines.push(`  grad[${i}] += ${batchEm.code(g.batch)};`);
    });
  }
  tail.push(...batchEm.lines, ...batchLines, `  return J;`, `};`);
  return [...head, ...em.lines, ...tail].join("\n");
}

function sym(graph: Graph, id: string) {
  return nodeSym(graph.nodes[id]!);
}
