/**
 * Expressions as JSON trees (for `--format json` and for tools): `{ kind, … }` with children
 * inline; δ references stay references, so the δ form stays small.
 */
import { assertNever } from "../errors.js";
import { checkExpr, type Expr } from "./expr.js";

/** JSON form of an expression. */
export type ExprJson =
  | { readonly kind: "const"; readonly value: number | string }
  | { readonly kind: "sym"; readonly of: string; readonly node?: string }
  | { readonly kind: "add"; readonly terms: readonly ExprJson[] }
  | { readonly kind: "mul"; readonly factors: readonly ExprJson[] }
  | { readonly kind: "pow"; readonly base: ExprJson; readonly exp: number }
  | { readonly kind: "apply"; readonly fn: string; readonly order: number; readonly arg: ExprJson }
  | { readonly kind: "partial"; readonly num: ExprJson; readonly den: ExprJson }
  | { readonly kind: "delta"; readonly node: string };

/** The JSON tree of an expression (recursive; expressions printed this way are small). */
export function exprToJson(e: Expr): ExprJson {
  checkExpr(e);
  switch (e.kind) {
    case "const":
      return { kind: "const", value: Number.isFinite(e.value) ? e.value : String(e.value) };
    case "sym":
      return "node" in e.ref ? { kind: "sym", of: e.ref.kind, node: e.ref.node } : { kind: "sym", of: e.ref.kind };
    case "add":
      return { kind: "add", terms: e.terms.map(exprToJson) };
    case "mul":
      return { kind: "mul", factors: e.factors.map(exprToJson) };
    case "pow":
      return { kind: "pow", base: exprToJson(e.base), exp: e.exp };
    case "apply":
      return { kind: "apply", fn: e.fn, order: e.order, arg: exprToJson(e.arg) };
    case "partial":
      return { kind: "partial", num: exprToJson(e.num), den: exprToJson(e.den) };
    case "delta":
      return { kind: "delta", node: e.node };
    default:
      return assertNever(e);
  }
}
