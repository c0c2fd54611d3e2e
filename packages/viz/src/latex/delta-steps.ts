/**
 * The post's δ substitution for one partial, step by step: the first factors of every chain are
 * the δ of a later z; the remaining factors evaluate to θ · f′; the common ∂z/∂θ factors out;
 * what is left is the δ of the parameter's own z, so ∂J/∂θ = δ · (the input θ weights).
 *
 * The groups come from the graph's structure (θ → z → a → next z or J), not from listing paths,
 * so the steps stay small for any network. With L2 a weight's direct term (λ/m)θ, which no path
 * carries, is added unchanged at every step.
 */
import { deltaForm, type Expr, flowOf, type Graph, graphIndex, pathCounts, penaltyPartial } from "@chainrule/core";
import { type PathColour, pathColour } from "../colours.js";
import { type ColouredProduct, chainFactor, colouredSumRows, localFactor, partialOfCost } from "./chains.js";
import type { LatexPrinter } from "./printer.js";

/** One group of paths: θ → z → a → s, where s is the next z or the cost. */
interface Group {
  readonly z: string;
  readonly a: string;
  readonly next: string;
  /** The colour of the group's path when it holds exactly one path, else null. */
  readonly colour: PathColour | null;
  /** That path's number in the listing (0-based), or null. */
  readonly path: number | null;
}

function groupsOf(graph: Graph, param: string): Group[] {
  const { succ } = flowOf(graph);
  const cost = graphIndex(graph).cost.id;
  const counts = pathCounts(graph).paths;
  const groups: Group[] = [];
  let first = 0;
  // the same order in which paths() lists the paths, so the colours match the chain listing
  for (const z of succ.get(param) ?? []) {
    for (const a of succ.get(z) ?? []) {
      for (const next of succ.get(a) ?? []) {
        const n = next === cost ? 1 : Number(counts.get(next) ?? 0n);
        groups.push({ z, a, next, colour: n === 1 ? pathColour(first) : null, path: n === 1 ? first : null });
        first += n;
      }
    }
  }
  return groups;
}

/** Options of {@link deltaSubstitutionRows}. */
export interface SubstitutionOptions {
  /** Groups listed before the rest are elided. */
  readonly maxTerms: number;
  /** Factors per line. */
  readonly factorsPerLine: number;
}

/**
 * The `align*` rows of the δ substitution for ∂J/∂θ (the post's derivation of δ⁽²⁾₁ x₁):
 *
 *   ∂J/∂θ = Σ δ_s (∂s/∂a)(∂a/∂z)(∂z/∂θ) = Σ δ_s θ f′ (∂z/∂θ) = (∂z/∂θ)(Σ δ_s θ f′) = (∂z/∂θ) δ_z = δ_z x
 *
 * (each followed by + (λ/m)θ for a weight when the cost has L2).
 */
export function deltaSubstitutionRows(
  printer: LatexPrinter,
  graph: Graph,
  param: string,
  options: SubstitutionOptions,
): string[] {
  const flow = flowOf(graph);
  const cost = graphIndex(graph).cost.id;
  const all = groupsOf(graph, param);
  // "⋯" stands for two groups or more: one left out is printed instead
  const max = Math.max(1, options.maxTerms);
  const shown = all.slice(0, all.length === max + 1 ? max + 1 : max);
  const elided = BigInt(all.length - shown.length);
  const head = (g: Group): { partials: Expr[]; locals: Expr[]; delta: string | null } =>
    g.next === cost
      ? { partials: [flow.partialOf(g.a, g.next)], locals: [flow.local(g.a, g.next)], delta: null }
      : { partials: [flow.partialOf(g.a, g.next)], locals: [flow.local(g.a, g.next)], delta: printer.deltaOf(g.next) };
  const batch = penaltyPartial(graph, param);
  const direct = batch.kind === "const" && batch.value === 0 ? undefined : printer.print(batch);
  const tail = direct === undefined ? {} : { direct };
  const dzdθ = (g: Group) => flow.partialOf(param, g.z);
  const numbered = (g: Group) => (g.path === null ? {} : { path: g.path });
  const dadz = (g: Group) => flow.partialOf(g.z, g.a);

  // Step 1: the chain factors from J back to the next z are that z's δ.
  const step1: ColouredProduct[] = shown.map((g) => {
    const h = head(g);
    const f = [...h.partials, dadz(g), dzdθ(g)].map((e) => chainFactor(printer, e));
    return { colour: g.colour, factors: h.delta === null ? f : [h.delta, ...f], ...numbered(g) };
  });
  // Step 2: the local partials evaluated, ∂z/∂θ kept.
  const step2: ColouredProduct[] = shown.map((g) => {
    const h = head(g);
    const f = [...h.locals, flow.local(g.z, g.a)].map((e) => localFactor(printer, e));
    return {
      colour: g.colour,
      factors: [...(h.delta === null ? [] : [h.delta]), ...f, chainFactor(printer, dzdθ(g))],
      ...numbered(g),
    };
  });
  const rows = [
    ...colouredSumRows(step1, {
      lhs: partialOfCost(printer, param),
      factorsPerLine: options.factorsPerLine,
      elided,
      unit: "term",
      ...tail,
    }),
    ...colouredSumRows(step2, { lhs: "", factorsPerLine: options.factorsPerLine, elided, unit: "term", ...tail }),
  ];
  // Step 3: factor ∂z/∂θ out of each use's terms; step 4: what is left is δ_z.
  const uses = [...new Set(all.map((g) => g.z))];
  // each use's terms, two to a row: \Biggl( … \Biggr) may span rows where \left( … \right) may not
  uses.forEach((z, u) => {
    const inner = shown
      .filter((g) => g.z === z)
      .map((g) => {
        const h = head(g);
        const f = [...h.locals, flow.local(g.z, g.a)].map((e) => localFactor(printer, e));
        return (h.delta === null ? f : [h.delta, ...f]).join(" ");
      });
    if (all.some((g) => g.z === z && !shown.includes(g))) inner.push("\\cdots");
    const lead = `${u === 0 ? "&= " : "&\\quad + "}${chainFactor(printer, flow.partialOf(param, z))} `;
    if (inner.length <= 2) {
      rows.push(`${lead}\\left(${inner.join(" + ")}\\right)`);
      return;
    }
    for (let i = 0; i < inner.length; i += 2) {
      const part = inner.slice(i, i + 2).join(" + ");
      const close = i + 2 >= inner.length ? " \\Biggr)" : "";
      rows.push(i === 0 ? `${lead}\\Biggl(${part}${close}` : `&\\qquad + ${part}${close}`);
    }
  });
  if (direct !== undefined) rows.push(`&\\quad + ${direct}`);
  const plus = direct === undefined ? "" : ` + ${direct}`;
  rows.push(
    `&= ${uses.map((z) => `${chainFactor(printer, flow.partialOf(param, z))} ${printer.deltaOf(z)}`).join(" + ")}${plus}`,
  );
  // Step 5: ∂z/∂θ is the input θ weights — core's δ-form gradient.
  const g = deltaForm(graph).byParam.get(param)!;
  rows.push(`&= ${printer.print(g.perExample)}${plus}`);
  // The step-2 rows start with "&=" — the empty lhs leaves " &= " at the front.
  return rows.map((r) => r.replace(/^ &= /, "&= "));
}
