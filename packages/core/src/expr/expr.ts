/**
 * Interned, immutable expression nodes.
 *
 * Nodes are created only through the constructor functions below, which look the node up by a
 * structural key first: building the same expression twice returns the same object, so `===`
 * means "same subexpression" and a shared δ is literally one node. Simplification is light and
 * local (flatten, fold constants, 0 and 1 identities) and never looks inside a δ reference.
 * Argument order is kept as the caller gave it, so printed output never depends on creation order.
 */
import { ArgumentError, lookup } from "../errors.js";
import { escapeText, kindOf, show } from "../messages.js";
import { type FnName, FUNCTIONS } from "./functions.js";

/** What a symbol stands for: a quantity of a graph (by node id) or a global one. */
export type SymRef =
  | { readonly kind: "x" | "y" | "theta" | "z" | "a"; readonly node: string }
  /** log-sum-exp of a softmax group's z nodes; `node` is the group's first a node. */
  | { readonly kind: "lse"; readonly node: string }
  /**
   * Σᵢ yᵢ over the targets of a softmax group's outputs, per example (1 for one-hot targets);
   * `node` is the group's first z node, as for `lse`.
   */
  | { readonly kind: "ysum"; readonly node: string }
  | { readonly kind: "J" | "m" | "lambda" };

interface Base {
  /** Creation-order id; used only for interning keys, never for ordering output. */
  readonly id: number;
}
/** A number. */
export interface Const extends Base {
  readonly kind: "const";
  readonly value: number;
}
/** A named quantity: an input, target, parameter, z, a, the cost J, m or λ. */
export interface Sym extends Base {
  readonly kind: "sym";
  readonly ref: SymRef;
}
/** t₁ + t₂ + … (n ≥ 2). */
export interface Add extends Base {
  readonly kind: "add";
  readonly terms: readonly Expr[];
}
/** f₁ · f₂ · … (n ≥ 2); a constant factor, if any, comes first. */
export interface Mul extends Base {
  readonly kind: "mul";
  readonly factors: readonly Expr[];
}
/** base^exp with a numeric exponent. */
export interface Pow extends Base {
  readonly kind: "pow";
  readonly base: Expr;
  readonly exp: number;
}
/** f⁽ᵒʳᵈᵉʳ⁾(arg): an activation or elementary function, or one of its derivatives. */
export interface Apply extends Base {
  readonly kind: "apply";
  readonly fn: FnName;
  readonly order: number;
  readonly arg: Expr;
}
/** An unevaluated partial derivative ∂num/∂den between two symbols. */
export interface Partial extends Base {
  readonly kind: "partial";
  readonly num: Sym;
  readonly den: Sym;
}
/** δ of a z node: a named shared term whose definition lives in a δ table. */
export interface DeltaRef extends Base {
  readonly kind: "delta";
  readonly node: string;
}

/** An expression node. */
export type Expr = Const | Sym | Add | Mul | Pow | Apply | Partial | DeltaRef;
/** The expression kinds. */
export type ExprKind = Expr["kind"];
/** The node type of one kind. */
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

// ---------------------------------------------------------------------------------------------
// Interning: a table of weak references keyed by kind + children's ids + payload.

const table = new Map<string, WeakRef<Expr>>();
// every node the constructors made: only these are expressions
const made = new WeakSet<object>();
let nextId = 1;
// Dead entries are swept when the table has doubled since the last sweep (amortised O(1)).
let sweepAt = 1 << 16;

function intern<E extends Expr>(key: string, make: (id: number) => E): E {
  const hit = table.get(key)?.deref();
  if (hit !== undefined) return hit as E;
  const node: E = Object.freeze(make(nextId++)) as E;
  table.set(key, new WeakRef<Expr>(node));
  made.add(node);
  if (table.size >= sweepAt) {
    for (const [k, ref] of table) if (ref.deref() === undefined) table.delete(k);
    sweepAt = Math.max(1 << 16, table.size * 2);
  }
  return node;
}

/** True when `e` is an expression node (made by the constructors below). */
export function isExpr(e: unknown): e is Expr {
  return typeof e === "object" && e !== null && made.has(e);
}

/** An ArgumentError unless `e` is an expression node; `what` names the argument. */
export function checkExpr(e: unknown, what = "expression"): Expr {
  if (!isExpr(e)) {
    throw new ArgumentError(
      "invalid-argument",
      `The ${typeof what === "string" ? escapeText(what.slice(0, 40)) : "expression"} must be an expression made by chainrule's constructors (num, sym, add, mul, …); got ${kindOf(e)} ${show(e, 40)}.`,
      e,
    );
  }
  return e;
}

function checkNumber(v: unknown, what: string): number {
  if (typeof v !== "number")
    throw new ArgumentError("invalid-argument", `The ${what} must be a number; got ${kindOf(v)} ${show(v, 40)}.`, v);
  return v;
}

function checkName(v: unknown, what: string): string {
  if (typeof v !== "string" || v.length === 0)
    throw new ArgumentError(
      "invalid-argument",
      `The ${what} must be a non-empty string; got ${kindOf(v)} ${show(v, 40)}.`,
      v,
    );
  return v;
}

const NODE_SYMS = new Set(["x", "y", "theta", "z", "a", "lse", "ysum"]);
const GLOBAL_SYMS = new Set(["J", "m", "lambda"]);

// ---------------------------------------------------------------------------------------------
// Atoms.

/** A numeric constant (−0 is normalised to 0). */
export function num(value: number): Const {
  checkNumber(value, "constant");
  const v = Object.is(value, -0) ? 0 : value;
  return intern(`c:${v}`, (id) => ({ kind: "const", id, value: v }));
}

/** The constant 0. */
export const ZERO = num(0);
/** The constant 1. */
export const ONE = num(1);

/** A symbol bound to a graph quantity. */
export function sym(ref: SymRef): Sym {
  const r = ref as { readonly kind?: unknown; readonly node?: unknown } | null;
  if (
    typeof r !== "object" ||
    r === null ||
    typeof r.kind !== "string" ||
    !(NODE_SYMS.has(r.kind) || GLOBAL_SYMS.has(r.kind))
  ) {
    throw new ArgumentError(
      "invalid-argument",
      `A symbol is { kind, node } with kind x, y, theta, z, a, lse or ysum, or { kind } with kind J, m or lambda; got ${show(ref, 60)}.`,
      ref,
    );
  }
  if (!NODE_SYMS.has(r.kind))
    return intern(`s:${r.kind}`, (id) => ({ kind: "sym", id, ref: { kind: r.kind } as SymRef }));
  checkName(r.node, `node of a ${r.kind} symbol`);
  return intern(`s:${r.kind}:${r.node as string}`, (id) => ({
    kind: "sym",
    id,
    ref: { kind: r.kind, node: r.node } as SymRef,
  }));
}

/** δ of the z node `node`. */
export function delta(node: string): DeltaRef {
  checkName(node, "node of a δ");
  return intern(`d:${node}`, (id) => ({ kind: "delta", id, node }));
}

/** The unevaluated partial ∂num/∂den. */
export function partial(numSym: Sym, den: Sym): Partial {
  if (
    checkExpr(numSym, "numerator of a partial").kind !== "sym" ||
    checkExpr(den, "denominator of a partial").kind !== "sym"
  ) {
    throw new ArgumentError("invalid-argument", "A partial ∂u/∂v relates two symbols (sym(…)).", [numSym, den]);
  }
  return intern(`p:${numSym.id}:${den.id}`, (id) => ({ kind: "partial", id, num: numSym, den }));
}

// ---------------------------------------------------------------------------------------------
// Compound nodes, with light simplification.

function isConst(e: Expr): e is Const {
  return e.kind === "const";
}

/**
 * Sum of terms: flattens nested sums, drops zeros, folds constants into one term that stands
 * where the first constant stood (so 1 − a stays 1 − a).
 */
export function add(...terms: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  let c = 0;
  let at = -1;
  const constant = (v: number) => {
    if (at < 0) at = flat.length;
    c += v;
  };
  for (const t of terms) {
    if (!made.has(t)) checkExpr(t, "term of a sum");
    if (t.kind === "add") {
      for (const u of t.terms) {
        if (isConst(u)) constant(u.value);
        else flat.push(u);
      }
    } else if (isConst(t)) constant(t.value);
    else flat.push(t);
  }
  if (c !== 0 || Number.isNaN(c)) flat.splice(at, 0, num(c));
  if (flat.length === 0) return ZERO;
  if (flat.length === 1) return flat[0]!;
  return intern(`+:${flat.map((t) => t.id).join(",")}`, (id) => ({ kind: "add", id, terms: flat }));
}

/** Product of factors: flattens nested products, 0 annihilates, 1 vanishes, constants fold to the front. */
export function mul(...factors: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  let c = 1;
  for (const f of factors) {
    if (!made.has(f)) checkExpr(f, "factor of a product");
    if (f.kind === "mul") {
      for (const g of f.factors) {
        if (isConst(g)) c *= g.value;
        else flat.push(g);
      }
    } else if (isConst(f)) c *= f.value;
    else flat.push(f);
  }
  if (c === 0) return ZERO;
  if (c !== 1) flat.unshift(num(c));
  if (flat.length === 0) return ONE;
  if (flat.length === 1) return flat[0]!;
  return intern(`*:${flat.map((t) => t.id).join(",")}`, (id) => ({ kind: "mul", id, factors: flat }));
}

/** base^exp (numeric exponent). */
export function pow(base: Expr, exp: number): Expr {
  checkExpr(base, "base of a power");
  checkNumber(exp, "exponent");
  if (exp === 0) return ONE;
  if (exp === 1) return base;
  if (isConst(base)) return num(base.value ** exp);
  if (base.kind === "pow") return pow(base.base, base.exp * exp);
  return intern(`^:${base.id}:${exp}`, (id) => ({ kind: "pow", id, base, exp }));
}

/** f⁽ᵒʳᵈᵉʳ⁾(arg); folds constant arguments and orders that are identically zero. */
export function apply(fn: FnName, arg: Expr, order = 0): Expr {
  const rec = lookup(FUNCTIONS, fn, "function");
  checkExpr(arg, `argument of ${fn}`);
  if (!Number.isInteger(order) || order < 0)
    throw new ArgumentError(
      "invalid-argument",
      `The order of a derivative is a whole number ≥ 0; got ${show(order, 40)}.`,
      order,
    );
  if (order >= rec.zeroFrom) return ZERO;
  if (isConst(arg)) return num(rec.value(order, arg.value));
  return intern(`f:${fn}:${order}:${arg.id}`, (id) => ({ kind: "apply", id, fn, order, arg }));
}

/** −e. */
export function neg(e: Expr): Expr {
  return mul(num(-1), e);
}

/** a − b. */
export function sub(a: Expr, b: Expr): Expr {
  return add(a, neg(b));
}

/** a / b. */
export function div(a: Expr, b: Expr): Expr {
  return mul(a, pow(b, -1));
}

/** The children of a node, in order. */
export function children(e: Expr): readonly Expr[] {
  if (!made.has(e)) checkExpr(e);
  switch (e.kind) {
    case "add":
      return e.terms;
    case "mul":
      return e.factors;
    case "pow":
      return [e.base];
    case "apply":
      return [e.arg];
    case "partial":
      return [e.num, e.den];
    case "const":
    case "sym":
    case "delta":
      return [];
  }
}

/**
 * Visits every distinct node reachable from the roots once, children before parents,
 * without recursion (a 10,000-deep expression does not overflow the stack).
 */
export function postorder(roots: Iterable<Expr>, visit: (e: Expr) => void): void {
  if (
    typeof roots !== "object" ||
    roots === null ||
    typeof (roots as { readonly [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new ArgumentError(
      "invalid-argument",
      `The roots must be a list of expressions; got ${kindOf(roots)}.`,
      roots,
    );
  }
  if (typeof visit !== "function")
    throw new ArgumentError("invalid-argument", `The visitor must be a function; got ${kindOf(visit)}.`, visit);
  const seen = new Set<Expr>();
  const stack: { e: Expr; i: number }[] = [];
  for (const root of roots) {
    checkExpr(root, "root");
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push({ e: root, i: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = children(top.e);
      if (top.i < kids.length) {
        const k = kids[top.i++]!;
        if (!seen.has(k)) {
          seen.add(k);
          stack.push({ e: k, i: 0 });
        }
      } else {
        stack.pop();
        visit(top.e);
      }
    }
  }
}

/** Number of distinct nodes in the DAG under the roots. */
export function dagSize(roots: Iterable<Expr>): number {
  let n = 0;
  postorder(roots, () => n++);
  return n;
}
