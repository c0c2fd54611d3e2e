/**
 * The text program: a derivation as straight-line `name = expression` lines in dependency order,
 * for one generic example with m as a symbol (as the post writes it). Only numbers, names,
 * + - * / ^ ( ), exp, log, tanh and max appear, so SymPy's parser and mathjs evaluate it line by
 * line. Names: x_k, y_j, m, theta_l_j_k, z_l_j, a_l_j, delta_l_j, dJ_dtheta_l_j_k; the chain form
 * names each partial d<u>_d<v>.
 */

import { deltaForm, deltasNeededBy } from "../derive/delta.js";
import { forwardForm } from "../derive/forward.js";
import { chainForm } from "../derive/paths.js";
import { flowOf } from "../derive/structure.js";
import { ArgumentError, oneOf } from "../errors.js";
import { add, type Expr, type Partial, postorder, type Sym } from "../expr/expr.js";
import type { Graph } from "../graph/types.js";
import { graphIndex, paramArgument } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { Emitter, TEXT_SYNTAX } from "./emit.js";
import { namesOf } from "./names.js";

/** Which form the program spells the partials in. */
export type ProgramForm = "chain" | "local" | "delta";

/** A text program: its lines, and the names of the requested partials. */
export interface TextProgram {
  readonly lines: readonly string[];
  /** Name of ∂J/∂θ by parameter id. */
  readonly outputs: ReadonlyMap<string, string>;
}

/** The text program for the given parameters' partials in one form. */
export function textProgram(graph: Graph, params: readonly string[], form: ProgramForm): TextProgram {
  oneOf(["chain", "local", "delta"] as const, form, "form");
  if (!Array.isArray(params))
    throw new ArgumentError("invalid-argument", `Give the parameters as a list of ids; got ${kindOf(params)}.`, params);
  for (const p of params) paramArgument(graph, p);
  const names = namesOf(graph);
  const fwd = forwardForm(graph);
  const dform = deltaForm(graph);
  const lines: string[] = [];
  const outputs = new Map<string, string>();

  // What the requested partials need: each form's per-example part plus its own batch part (L2).
  const targets: { param: string; expr: Expr }[] = params.map((p) => {
    if (form === "delta") {
      const g = dform.byParam.get(p)!;
      return { param: p, expr: add(g.perExample, g.batch) };
    }
    const c = chainForm(graph, p);
    return { param: p, expr: add(form === "local" ? c.local : c.expr, c.batch) };
  });
  const partials: Partial[] = [];
  const neededDeltas = new Set<string>();
  const neededSyms = new Set<Sym>();
  const scan = (roots: Expr[]) =>
    postorder(roots, (e) => {
      if (e.kind === "partial") partials.push(e);
      else if (e.kind === "delta") neededDeltas.add(e.node);
      else if (e.kind === "sym") neededSyms.add(e);
    });
  scan(targets.map((t) => t.expr));
  for (const node of deltasNeededBy(
    graph,
    targets.map((t) => t.expr),
  ))
    neededDeltas.add(node);
  for (const d of dform.deltas) if (neededDeltas.has(d.node)) scan([d.definition]);
  // Chain form: each distinct partial ∂u/∂v gets a line with its local expression.
  const flow = flowOf(graph);
  const costId = graphIndex(graph).cost.id;
  const nodeOfSym = (x: Sym) => ("node" in x.ref ? x.ref.node : costId);
  const localOf = new Map<Partial, Expr>();
  for (const p of partials) if (!localOf.has(p)) localOf.set(p, flow.local(nodeOfSym(p.den), nodeOfSym(p.num)));
  scan([...localOf.values()]);

  // Forward lines for every z and a (and lse) the rest reads, in forward order.
  const em = new Emitter(
    TEXT_SYNTAX,
    (s) => names.sym(s),
    (n) => names.delta(n),
    [
      ...fwd.definitions.values(),
      ...localOf.values(),
      ...dform.deltas.filter((d) => neededDeltas.has(d.node)).map((d) => d.definition),
      ...targets.map((t) => t.expr),
    ],
    "t_",
  );
  const flush = () => {
    lines.push(...em.lines);
    em.lines.length = 0;
  };
  for (const s of fwd.order) {
    if (s.ref.kind === "lse") {
      const zs = fwd.lse.get(s)!.map((z) => `exp(${names.sym(z)})`);
      lines.push(`${names.sym(s)} = log(${zs.join(" + ")})`);
      continue;
    }
    const code = em.code(fwd.definitions.get(s)!);
    flush();
    lines.push(`${names.sym(s)} = ${code}`);
  }
  if (form === "delta") {
    for (const d of dform.deltas) {
      if (!neededDeltas.has(d.node)) continue;
      const code = em.code(d.definition);
      flush();
      lines.push(`${names.delta(d.node)} = ${code}`);
    }
  }
  // Chain form: one line per distinct partial, then the sums of products of their names.
  const partialName = (p: Partial) => `d${names.sym(p.num)}_d${names.sym(p.den)}`;
  for (const [p, l] of localOf) {
    const code = em.code(l);
    flush();
    lines.push(`${partialName(p)} = ${code}`);
  }
  const chainEm = new Emitter(
    TEXT_SYNTAX,
    (s) => names.sym(s),
    (n) => names.delta(n),
    [],
    "t_",
  );
  for (const t of targets) {
    const name = names.gradient(t.param);
    outputs.set(t.param, name);
    const code = form === "chain" ? chainText(t.expr, partialName, chainEm) : em.code(t.expr);
    flush();
    lines.push(`${name} = ${code}`);
  }
  return { lines, outputs };
}

/** Writes a chain-form sum, with each partial replaced by its line's name. */
function chainText(e: Expr, partialName: (p: Partial) => string, em: Emitter): string {
  const term = (t: Expr): string =>
    t.kind === "mul"
      ? t.factors.map((f) => (f.kind === "partial" ? partialName(f) : em.code(f))).join("*")
      : t.kind === "partial"
        ? partialName(t)
        : em.code(t);
  return e.kind === "add" ? e.terms.map(term).join(" + ") : term(e);
}
