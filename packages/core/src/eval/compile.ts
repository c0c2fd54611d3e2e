/**
 * The compiler: straight-line JavaScript for J and every ∂J/∂θ of a graph, emitted from the
 * forward form and the δ table (each δ computed once per example). The generated source is kept
 * on the result so a researcher can read it; calls allocate nothing.
 */

import { deltaForm } from "../derive/delta.js";
import { forwardForm } from "../derive/forward.js";
import { nodeSym } from "../derive/structure.js";
import { ArgumentError } from "../errors.js";
import type { Expr } from "../expr/expr.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { type Batch, checkShapes, type ParamValues } from "./data.js";
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
  if (typeof options !== "object" || options === null)
    throw new ArgumentError(
      "invalid-argument",
      `compile's options are { gradients?: boolean }; got ${kindOf(options)}.`,
      options,
    );
  const withGrad = options.gradients ?? true;
  const source = emitSource(graph, withGrad);
  const make = new Function("rt", source) as (
    rt: typeof RUNTIME,
  ) => (theta: ParamValues, x: Float64Array, y: Float64Array, m: number, grad: Float64Array | undefined) => number;
  const fn = make(RUNTIME);
  const np = graphIndex(graph).params.length;
  return {
    source,
    gradients: withGrad,
    run(theta, data, grad, check = true) {
      if (check) {
        checkShapes(graph, theta, data);
        if (withGrad && (!(grad instanceof Float64Array) || grad.length !== np))
          throw new ArgumentError(
            "invalid-argument",
            `The gradient goes into a Float64Array of ${np} entries (one per parameter); got ${kindOf(grad)}${grad instanceof Float64Array ? ` of ${grad.length}` : ""}.`,
            grad,
          );
      }
      return fn(theta, data.x, data.y, data.m, grad);
    },
  };
}

/** Above this many characters of per-example code, the body is split into small functions. */
const CHUNK_THRESHOLD = 12_000;
/** Characters per chunk function: small enough for the optimising compiler to take quickly. */
const CHUNK_SIZE = 6_000;

/**
 * The JavaScript source {@link compile} runs. Small graphs get one function with every quantity
 * in a local variable; larger ones keep quantities in slots of one Float64Array and split the
 * per-example work into chunk functions of a few thousand characters each, which the engine
 * optimises where one huge function would stay unoptimised.
 */
export function emitSource(graph: Graph, withGrad: boolean): string {
  graphIndex(graph);
  if (typeof withGrad !== "boolean")
    throw new ArgumentError(
      "invalid-argument",
      `emitSource's withGrad is true or false; got ${kindOf(withGrad)}.`,
      withGrad,
    );
  const small = emitBody(graph, withGrad, null);
  if (small.body.reduce((n, l) => n + l.length, 0) <= CHUNK_THRESHOLD) return assemble(graph, withGrad, small, null);
  const slots = new Map<string, number>();
  const slot = (name: string) => {
    let k = slots.get(name);
    if (k === undefined) {
      k = slots.size;
      slots.set(name, k);
    }
    return `v[${k}]`;
  };
  return assemble(graph, withGrad, emitBody(graph, withGrad, slot), slots);
}

interface Body {
  /** Statements run once per example, in order. */
  readonly body: string[];
  /** Statements run once per batch after the loop. */
  readonly tail: string[];
  /** Name of each parameter, input and target variable. */
  readonly name: (id: string) => string;
}

/** Emits the per-example statements; `slot` maps names to array slots (null: local variables). */
function emitBody(graph: Graph, withGrad: boolean, slot: ((name: string) => string) | null): Body {
  const idx = graphIndex(graph);
  const names = namesOf(graph);
  const fwd = forwardForm(graph);
  const dform = deltaForm(graph);
  // m and λ are arguments of every function, never slots
  const ref = (n: string) => (slot === null || n === "m" || n === "lambda" ? n : slot(n));
  const decl = (n: string, code: string) => (slot === null ? `const ${n} = ${code};` : `${slot(n)} = ${code};`);
  const symName = (s: Parameters<typeof names.sym>[0]) => ref(names.sym(s));
  // Parameters, inputs, targets and J first: every slot exists before the array is sized.
  for (const id of [...idx.params, ...idx.inputs, ...idx.targets, idx.cost.id]) symName(sym(graph, id));
  const deltaName = (n: string) => ref(names.delta(n));
  const roots: Expr[] = [fwd.stableCost, ...fwd.definitions.values()];
  if (withGrad) roots.push(...dform.deltas.map((d) => d.definition), ...dform.gradients.map((g) => g.perExample));
  const temp = slot === null ? "t" : (n: number) => slot(`t${n}`);
  const em = new Emitter(
    slot === null ? JS_SYNTAX : { ...JS_SYNTAX, bind: (n, c) => `${n} = ${c};` },
    symName,
    deltaName,
    roots,
    temp,
  );
  const J = ref("J");
  em.lines.push("// forward");
  for (const s of fwd.order) {
    if (s.ref.kind === "lse") {
      // log Σ exp z with the maximum subtracted, inline (no array per example); the same
      // operations as lseOp for finite inputs
      const zs = fwd.lse.get(s)!.map(symName);
      const mx = `${names.sym(s)}_max`;
      em.lines.push(decl(mx, `Math.max(${zs.join(", ")})`));
      const sum = zs.map((z) => `Math.exp(${z} - ${ref(mx)})`).join(" + ");
      em.lines.push(
        decl(names.sym(s), `(Number.isFinite(${ref(mx)}) ? ${ref(mx)} + Math.log(0 + ${sum}) : ${ref(mx)})`),
      );
      continue;
    }
    const def = fwd.definitions.get(s)!;
    em.lines.push(decl(names.sym(s), em.code(def)));
    if (def.kind !== "sym") em.name(def, symName(s));
  }
  em.lines.push(`${J} += ${em.code(fwd.stableCost)};`);
  if (withGrad) {
    em.lines.push("// δ terms, each computed once");
    for (const d of dform.deltas) em.lines.push(decl(names.delta(d.node), em.code(d.definition)));
    em.lines.push("// ∂J/∂θ = Σ δ · input");
    dform.gradients.forEach((g, i) => {
      em.lines.push(`grad[${i}] += ${em.code(g.perExample)};`);
    });
  }
  // Once-per-batch terms (L2): θ, m and λ only.
  const batchEm = new Emitter(
    JS_SYNTAX,
    symName,
    deltaName,
    [fwd.batchCost, ...dform.gradients.map((g) => g.batch)],
    "b",
  );
  const tail: string[] = [];
  const nonzero = (e: Expr) => e.kind !== "const" || e.value !== 0;
  if (nonzero(fwd.batchCost)) tail.push(`${J} += ${batchEm.code(fwd.batchCost)};`);
  if (withGrad)
    dform.gradients.forEach((g, i) => {
      if (nonzero(g.batch)) tail.push(`grad[${i}] += ${batchEm.code(g.batch)};`);
    });
  return { body: em.lines, tail: [...batchEm.lines, ...tail], name: (id) => ref(names.sym(sym(graph, id))) };
}

/** Wraps the statements into the program function (and chunk functions when slotted). */
function assemble(graph: Graph, withGrad: boolean, b: Body, slots: Map<string, number> | null): string {
  const idx = graphIndex(graph);
  const nIn = idx.inputs.length;
  const nOut = idx.targets.length;
  const out: string[] = [
    `"use strict";`,
    `// chainrule: J${withGrad ? ` and ∂J/∂θ for ${idx.params.length} parameters` : ""}, straight-line code from the ${withGrad ? "δ form" : "forward form"}.`,
    `const { sigmoid, softplus, fnOp } = rt;`,
  ];
  const J = slots === null ? "J" : `v[${slots.get("J")}]`;
  const chunks: string[][] = [];
  if (slots !== null) {
    let size = Infinity;
    for (const line of b.body) {
      if (size > CHUNK_SIZE) {
        chunks.push([]);
        size = 0;
      }
      chunks[chunks.length - 1]!.push(line);
      size += line.length;
    }
    out.push(`const v = new Float64Array(${slots.size});`);
    chunks.forEach((c, i) => {
      out.push(`function part${i}(v, grad, lambda, m) {`, ...c.map((l) => `  ${l}`), `}`);
    });
  }
  out.push(`return function program(theta, x, y, m, grad) {`, `  const lambda = ${idx.cost.l2};`);
  idx.params.forEach((p, i) => {
    out.push(slots === null ? `  const ${b.name(p)} = theta[${i}];` : `  ${b.name(p)} = theta[${i}];`);
  });
  if (withGrad) out.push(`  grad.fill(0);`);
  out.push(slots === null ? `  let J = 0;` : `  ${J} = 0;`, `  for (let e = 0; e < m; e++) {`);
  const load = (id: string, arr: string, n: number, i: number) =>
    slots === null
      ? `    const ${b.name(id)} = ${arr}[e * ${n} + ${i}];`
      : `    ${b.name(id)} = ${arr}[e * ${n} + ${i}];`;
  idx.inputs.forEach((id, i) => {
    out.push(load(id, "x", nIn, i));
  });
  idx.targets.forEach((id, i) => {
    out.push(load(id, "y", nOut, i));
  });
  if (slots === null) out.push(...b.body.map((l) => `    ${l}`));
  else
    chunks.forEach((_, i) => {
      out.push(`    part${i}(v, grad, lambda, m);`);
    });
  out.push(`  }`, ...b.tail.map((l) => `  ${l}`), `  return ${J};`, `};`);
  return out.join("\n");
}

function sym(graph: Graph, id: string) {
  return nodeSym(graph.nodes[id]!);
}
