/**
 * Chains of partials, one per path θ → z → a → … → J, each in its own colour, as the post draws
 * the blue and the orange path. Paths are listed lazily, so a partial with millions of paths
 * lists only the first few and says how many more there are. With L2 a weight's partial ends in
 * the penalty's direct term (λ/m)θ, in black: J depends on θ there without any path.
 */
import { type Expr, flowOf, type Graph, type Path, pathCounts, paths, penaltyPartial } from "@chainrule/core";
import { coloured, type PathColour, pathColour, pathNumberLatex } from "../colours.js";
import type { LatexPrinter } from "./printer.js";

/** One path of a partial and its factors. */
export interface PathTerm {
  /** 0-based number of the path in the listing order. */
  readonly index: number;
  /** Node ids from the parameter to the cost. */
  readonly path: Path;
  /** Unevaluated partials, from J backwards: ∂J/∂a · ∂a/∂z · … · ∂z/∂θ. */
  readonly partials: readonly Expr[];
  /** The same factors evaluated to local expressions. */
  readonly locals: readonly Expr[];
  readonly colour: PathColour;
}

/** The listed paths of one partial ∂J/∂θ. */
export interface ChainListing {
  readonly param: string;
  /** Number of paths from θ to J (counted, not listed). */
  readonly total: bigint;
  /** The first paths, at most the limit asked for. */
  readonly terms: readonly PathTerm[];
  /** Paths not listed: total − terms.length. */
  readonly elided: bigint;
  /** The L2 penalty's direct term (λ/m)θ for a weight, or 0: core's `batch` part of ∂J/∂θ. */
  readonly batch: Expr;
}

/**
 * The paths of ∂J/∂θ with their factors, at most `maxPaths` of them (the rest counted) — or all
 * of them when only one would be left out: "⋯" always stands for two paths or more.
 */
export function chainListing(graph: Graph, param: string, maxPaths = Infinity): ChainListing {
  const flow = flowOf(graph);
  const total = pathCounts(graph).paths.get(param) ?? 0n;
  const limit =
    Number.isFinite(maxPaths) && total === BigInt(Math.max(0, Math.floor(maxPaths))) + 1n ? maxPaths + 1 : maxPaths;
  const terms: PathTerm[] = [];
  for (const path of paths(graph, param)) {
    if (terms.length >= limit) break;
    const partials: Expr[] = [];
    const locals: Expr[] = [];
    // J backwards: ∂J/∂a, ∂a/∂z, …, ∂z/∂θ
    for (let i = path.length - 1; i > 0; i--) {
      partials.push(flow.partialOf(path[i - 1]!, path[i]!));
      locals.push(flow.local(path[i - 1]!, path[i]!));
    }
    terms.push({ index: terms.length, path, partials, locals, colour: pathColour(terms.length) });
  }
  return { param, total, terms, elided: total - BigInt(terms.length), batch: penaltyPartial(graph, param) };
}

/** Whether a listing's products are coloured: a partial with one path has nothing to tell apart. */
export function isColoured(listing: ChainListing): boolean {
  return listing.total > 1n;
}

/** A path's name: θ⁽¹⁾₁₁ → z⁽²⁾₁ → a⁽²⁾₁ → … → J(θ). */
export function pathName(printer: LatexPrinter, path: Path): string {
  return path.map((id) => printer.node(id)).join(" \\to ");
}

/**
 * A path's name in its colour, each node coloured apart and each arrow a relation at the top
 * level, so a long path can break across lines in running text.
 */
export function colouredPathName(printer: LatexPrinter, path: Path, colour: PathColour): string {
  return path.map((id) => coloured(colour, printer.node(id))).join(` \\mathrel{${coloured(colour, "\\to")}} `);
}

/** ∂J/∂v as a fraction. */
export function partialOfCost(printer: LatexPrinter, node: string): string {
  return `\\frac{\\partial ${printer.notation.cost}}{\\partial ${printer.node(node)}}`;
}

/** One chain factor as the post writes it: \left( ∂u/∂v \right). */
export function chainFactor(printer: LatexPrinter, e: Expr): string {
  return `\\left(${printer.print(e)}\\right)`;
}

/** A local factor: atoms as they are, anything else in parentheses so each column stays visible. */
export function localFactor(printer: LatexPrinter, e: Expr): string {
  const s = printer.print(e);
  return e.kind === "sym" || e.kind === "delta" ? s : `\\left(${s}\\right)`;
}

/**
 * One coloured product of a sum over paths: its colour, its factors, already printed, and the
 * number of its path (0-based, as the diagram numbers it) when it stands for a single path.
 */
export interface ColouredProduct {
  readonly colour: PathColour | null;
  readonly factors: readonly string[];
  readonly path?: number;
}

/** Layout of coloured sums in `align*`. */
export interface SumLayout {
  /** Factors per line; longer products continue on the next line. */
  readonly factorsPerLine: number;
  /** What the left-hand side is equal to (printed before the first `&=`). */
  readonly lhs: string;
  /** Terms left out of the listing, shown as "+ ⋯ (n more paths)". */
  readonly elided: bigint;
  /** What an elided term is called (default "path"). */
  readonly unit?: string;
  /** A term outside the products, printed last and in black: the L2 term (λ/m)θ. Default none. */
  readonly direct?: string;
}

/**
 * Rows of an `align*` for lhs = Σ products, one product per path, each in its colour and broken
 * after `factorsPerLine` factors. A coloured product of one path starts with its path's number, the
 * number the diagram draws on that path, so a black-and-white print still pairs chain and path:
 *
 *   lhs &= \textcolor{mediumblue}{① …} \\ &\quad + \textcolor{sienna}{② …}
 */
export function colouredSumRows(products: readonly ColouredProduct[], layout: SumLayout): string[] {
  const rows: string[] = [];
  const per = Math.max(1, layout.factorsPerLine);
  products.forEach((p, i) => {
    for (let at = 0; at < Math.max(1, p.factors.length); at += per) {
      const chunk = p.factors.slice(at, at + per).join(" ");
      const numbered = at === 0 && p.path !== undefined ? `${pathNumberLatex(p.path)}\\, ${chunk}` : chunk;
      const body = p.colour === null ? chunk : coloured(p.colour, numbered);
      const lead = at > 0 ? "&\\qquad " : i === 0 ? `${layout.lhs} &= ` : "&\\quad + ";
      rows.push(lead + body);
    }
  });
  const direct = layout.direct;
  if (products.length === 0) rows.push(`${layout.lhs} &= ${direct ?? "0"}`);
  const unit = layout.unit ?? "path";
  if (layout.elided > 0n)
    rows.push(`&\\quad + \\cdots \\text{ (${layout.elided} more ${unit}${layout.elided === 1n ? "" : "s"})}`);
  if (direct !== undefined && products.length > 0) rows.push(`&\\quad + ${direct}`);
  return rows;
}

/** The LaTeX of a listing's direct term (λ/m)θ, or undefined when it is 0 (a bias, or no L2). */
export function directTerm(printer: LatexPrinter, listing: ChainListing): string | undefined {
  const b = listing.batch;
  return b.kind === "const" && b.value === 0 ? undefined : printer.print(b);
}

/**
 * The rows of ∂J/∂θ = Σ over paths of the chain of partials (`form` "chain") or of the local
 * partials, then the L2 term (λ/m)θ of a weight when the cost has one. A partial with a single path
 * is printed in black unless `alwaysColour`.
 */
export function chainRows(
  printer: LatexPrinter,
  listing: ChainListing,
  form: "chain" | "local",
  factorsPerLine = 5,
  alwaysColour = false,
): string[] {
  const products = listing.terms.map((t) => ({
    colour: alwaysColour || isColoured(listing) ? t.colour : null,
    path: t.index,
    factors:
      form === "chain" ? t.partials.map((e) => chainFactor(printer, e)) : t.locals.map((e) => localFactor(printer, e)),
  }));
  const direct = directTerm(printer, listing);
  return colouredSumRows(products, {
    lhs: partialOfCost(printer, listing.param),
    factorsPerLine,
    elided: listing.elided,
    ...(direct === undefined ? {} : { direct }),
  });
}
