/**
 * Straight-line code from expression DAGs: every node used more than once gets a named
 * temporary, computed once; everything else is inlined. One emitter, two syntaxes: JavaScript
 * (for the compiler) and the plain text program (for other tools).
 */
import { ArgumentError, assertNever } from "../errors.js";
import { checkExpr, children, type Expr, isExpr, mul, num, type Sym } from "../expr/expr.js";
import type { FnName } from "../expr/functions.js";
import { LEAKY_SLOPE } from "../expr/functions.js";
import { kindOf, show } from "../messages.js";

/** How each kind of node is written. */
export interface Syntax {
  num(v: number): string;
  /** A sum; terms marked `neg` are subtracted. */
  add(terms: readonly { readonly neg: boolean; readonly code: string }[]): string;
  /** −x. */
  neg(code: string): string;
  mul(factors: readonly string[]): string;
  pow(base: string, exp: number): string;
  apply(fn: FnName, order: number, arg: string): string;
  /** A statement binding a temporary. */
  bind(name: string, code: string): string;
  /** True when b² is written b·b (so a compound b is named first). */
  readonly squareByProduct: boolean;
}

/** Emits named temporaries for shared nodes and returns code for expressions. */
export class Emitter {
  private readonly refs = new Map<Expr, number>();
  private readonly bound = new Map<Expr, string>();
  private temps = 0;
  /** Emitted statements, in order. */
  readonly lines: string[] = [];

  constructor(
    private readonly syntax: Syntax,
    /** Name of a symbol. */
    private readonly symName: (s: Sym) => string,
    /** Name of a δ. */
    private readonly deltaName: (node: string) => string,
    roots: Iterable<Expr>,
    /** Temporary names: a prefix (t1, t2, …) or a function of the counter. */
    private readonly tempPrefix: string | ((n: number) => string) = "t",
    private readonly indent = "",
  ) {
    const sx = syntax as unknown as { readonly [k: string]: unknown } | null;
    const parts = ["num", "add", "mul", "neg", "pow", "apply", "bind"];
    if (typeof sx !== "object" || sx === null || parts.some((p) => typeof sx[p] !== "function")) {
      throw new ArgumentError(
        "invalid-argument",
        `An Emitter's syntax has the functions ${parts.join(", ")} (e.g. JS_SYNTAX); got ${show(syntax, 40)}.`,
        syntax,
      );
    }
    if (typeof symName !== "function" || typeof deltaName !== "function")
      throw new ArgumentError("invalid-argument", "An Emitter needs functions naming symbols and δs.");
    if (typeof tempPrefix !== "string" && typeof tempPrefix !== "function")
      throw new ArgumentError(
        "invalid-argument",
        `An Emitter's temporary prefix is text or a function; got ${kindOf(tempPrefix)}.`,
        tempPrefix,
      );
    if (typeof indent !== "string")
      throw new ArgumentError("invalid-argument", `An Emitter's indent is text; got ${kindOf(indent)}.`, indent);
    if (
      typeof roots !== "object" ||
      roots === null ||
      typeof (roots as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
    ) {
      throw new ArgumentError(
        "invalid-argument",
        `An Emitter's roots are a list of expressions; got ${kindOf(roots)}.`,
        roots,
      );
    }
    // Reference counts: how many parents each node has in the DAG under the roots.
    const seen = new Set<Expr>();
    const stack = [...roots].map((r) => checkExpr(r, "root"));
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (seen.has(e)) continue;
      seen.add(e);
      for (const c of children(e)) {
        this.refs.set(c, (this.refs.get(c) ?? 0) + 1);
        stack.push(c);
      }
    }
  }

  /** Marks an expression as already available under a name (e.g. a δ or a z variable). */
  name(e: Expr, name: string): void {
    checkExpr(e);
    if (typeof name !== "string")
      throw new ArgumentError("invalid-argument", `A name is text; got ${kindOf(name)}.`, name);
    this.bound.set(e, name);
  }

  /** Code for an expression, emitting temporaries for shared sub-expressions first. */
  code(e: Expr): string {
    if (!isExpr(e)) checkExpr(e);
    const b = this.bound.get(e);
    if (b !== undefined) return b;
    const s = this.syntax;
    let out: string;
    switch (e.kind) {
      case "const":
        return s.num(e.value);
      case "sym":
        return this.symName(e);
      case "delta":
        return this.deltaName(e.node);
      case "partial":
        throw new ArgumentError(
          "invalid-argument",
          "Unevaluated partials cannot be emitted as code; use the local or δ form.",
        );
      case "add":
        // a + (−1)·b is written a − b (exact: negation loses nothing)
        out = s.add(
          e.terms.map((t, i) => {
            const n = i > 0 ? negated(t) : null;
            return n === null ? { neg: false, code: this.code(t) } : { neg: true, code: this.code(n) };
          }),
        );
        break;
      case "mul": {
        const n = negated(e);
        out = n === null ? s.mul(e.factors.map((f) => this.code(f))) : s.neg(this.code(n));
        break;
      }
      case "pow": {
        let base = this.code(e.base);
        // b² is written b·b: name b first unless it is already a plain name
        if (s.squareByProduct && e.exp === 2 && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(base)) base = this.temp(base);
        out = s.pow(base, e.exp);
        break;
      }
      case "apply":
        out = s.apply(e.fn, e.order, this.code(e.arg));
        break;
      default:
        return assertNever(e);
    }
    // 1/m and the like are cheaper to repeat than to name
    const cheap = e.kind === "pow" && (e.base.kind === "sym" || e.base.kind === "const");
    if (!cheap && (this.refs.get(e) ?? 0) > 1) {
      const name = this.temp(out);
      this.bound.set(e, name);
      return name;
    }
    return out;
  }

  private temp(code: string): string {
    const n = ++this.temps;
    const name = typeof this.tempPrefix === "string" ? `${this.tempPrefix}${n}` : this.tempPrefix(n);
    this.lines.push(this.indent + this.syntax.bind(name, code));
    return name;
  }
}

/** For (−1)·x (or −c·x), the positive part x (or c·x); else null. Bit-exact. */
function negated(e: Expr): Expr | null {
  if (e.kind !== "mul") return null;
  const c = e.factors[0]!;
  if (c.kind !== "const" || !(c.value < 0)) return null;
  const rest = e.factors.slice(1);
  return c.value === -1 ? mul(...rest) : mul(num(-c.value), ...rest);
}

/** True when the whole string is one parenthesised group. */
function wrapped(s: string): boolean {
  if (!s.startsWith("(") || !s.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0 && i < s.length - 1) return false;
  }
  return true;
}
const paren = (s: string) => (/^[A-Za-z0-9_.]+$/.test(s) || wrapped(s) ? s : `(${s})`);

/** JavaScript, calling the shared runtime helpers so results match the interpreter bit for bit. */
export const JS_SYNTAX: Syntax = {
  num: (v) =>
    Number.isFinite(v) ? (v < 0 ? `(${v})` : String(v)) : v > 0 ? "Infinity" : v < 0 ? "(-Infinity)" : "NaN",
  add: (t) => `(${t.map((x, i) => (i === 0 ? x.code : `${x.neg ? "-" : "+"} ${x.code}`)).join(" ")})`,
  neg: (c) => `(-${c})`,
  mul: (f) => `(${f.join(" * ")})`,
  // the same operations as powOp
  pow: (b, e) =>
    e === 2 ? `(${b} * ${b})` : e === -1 ? `(1 / ${b})` : e === 0.5 ? `Math.sqrt(${b})` : `(${b} ** ${e})`,
  apply: (fn, order, a) => {
    if (order === 0) {
      switch (fn) {
        case "sigmoid":
          return `sigmoid(${a})`;
        case "softplus":
          return `softplus(${a})`;
        case "tanh":
          return `Math.tanh(${a})`;
        case "exp":
          return `Math.exp(${a})`;
        case "log":
          return `Math.log(${a})`;
        case "relu":
          return `Math.max(0, ${a})`;
        default:
          break;
      }
    }
    if (order === 1 && fn === "relu") return `(${a} > 0 ? 1 : 0)`;
    return `fnOp("${fn}", ${order}, ${a})`;
  },
  bind: (n, c) => `const ${n} = ${c};`,
  squareByProduct: true,
};

/**
 * The text grammar: numbers, names, + - * / ^ ( ), exp, log, tanh, erf, max — evaluable line by
 * line by SymPy's parser or mathjs. The relu step is max(0, −max(−1, −x·10⁶⁰⁰)): 1 for x > 0, else 0.
 */
export const TEXT_SYNTAX: Syntax = {
  num: (v) => {
    if (!Number.isFinite(v)) throw new ArgumentError("invalid-value", `The text format has no way to write ${v}.`, v);
    return v < 0 ? `(${v})` : String(v);
  },
  add: (t) => `(${t.map((x, i) => (i === 0 ? x.code : `${x.neg ? "-" : "+"} ${x.code}`)).join(" ")})`,
  neg: (c) => `(-${paren(c)})`,
  mul: (f) => f.map(paren).join("*"),
  pow: (b, e) => (e === -1 ? `(1/${paren(b)})` : `${paren(b)}^${e < 0 ? `(${e})` : e}`),
  apply: (fn, order, a) => {
    const sig = `1/(1 + exp(-${paren(a)}))`;
    const step = `max(0, -max(-1, -${paren(a)}*1e300*1e300))`;
    const key = `${fn}:${order}`;
    switch (key) {
      case "sigmoid:0":
        return `(${sig})`;
      case "sigmoid:1":
        return `(${sig})*(1 - ${sig})`;
      case "tanh:0":
        return `tanh(${a})`;
      case "tanh:1":
        return `(1 - tanh(${a})^2)`;
      case "relu:0":
        return `max(0, ${a})`;
      case "relu:1":
        return step;
      case "leaky-relu:0":
        return `max(${a}, ${LEAKY_SLOPE}*${paren(a)})`;
      case "leaky-relu:1":
        return `(${LEAKY_SLOPE} + ${1 - LEAKY_SLOPE}*${step})`;
      case "softplus:0":
        return `(max(${a}, 0) + log(1 + exp(-max(${a}, -${paren(a)}))))`;
      case "softplus:1":
        return `(${sig})`;
      // gelu = x·Φ(x), Φ(x) = (1 + erf(x/√2))/2;  gelu' = Φ(x) + x·e^(−x²/2)/√(2π)
      case "gelu:0":
        return `(${paren(a)}*(1 + erf(${paren(a)}*${Math.SQRT1_2}))/2)`;
      case "gelu:1":
        return `((1 + erf(${paren(a)}*${Math.SQRT1_2}))/2 + ${paren(a)}*exp(-${paren(a)}^2/2)*${1 / Math.sqrt(2 * Math.PI)})`;
      // silu = x·σ(x);  silu' = σ(x) + x·σ(x)(1 − σ(x))
      case "silu:0":
        return `(${paren(a)}*(${sig}))`;
      case "silu:1":
        return `((${sig}) + ${paren(a)}*(${sig})*(1 - ${sig}))`;
      case "exp:0":
        return `exp(${a})`;
      case "log:0":
        return `log(${a})`;
      default:
        throw new ArgumentError(
          "invalid-argument",
          `The text format has no form for derivative order ${order} of ${fn}.`,
          key,
        );
    }
  },
  bind: (n, c) => `${n} = ${c}`,
  squareByProduct: false,
};
