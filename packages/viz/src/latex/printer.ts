/**
 * The LaTeX printer: one rule per expression kind, parentheses from one precedence table, one
 * options object with defaults, and `with(overrides)` for variants.
 *
 * Symbols of a layered network print in a notation (post, ng, nielsen) from their node labels;
 * nodes of a free-form DAG print by their names, escaped.
 */
import { type DeltaRef, type Expr, type ExprOf, type Graph, nodeSym, num, pow, type Sym } from "@chainrule/core";
import { latexName } from "../escape.js";
import {
  type LayerIndex,
  NOTATION_TABLE,
  type Notation,
  type NotationName,
  SEPARATED_NOTATION_TABLE,
} from "./notation.js";
import { latexNumber, reciprocalOf } from "./numbers.js";
import { fnWithOrder } from "./symbols.js";

/** Printer settings. */
export interface PrinterOptions {
  /** Notation of layered networks. */
  readonly notation: NotationName;
  /** Between factors of a product: " " (juxtaposition), "\\cdot" or "\\times". */
  readonly mulSymbol: string;
  /** Wrap partial derivatives that are factors of a product in \left( … \right), as the post does. */
  readonly chainParens: boolean;
  /**
   * Sums of more terms print the first maxTerms − 1, then ⋯, then the last — but only when ⋯
   * stands for at least two terms: a sum of maxTerms + 1 terms is printed whole.
   */
  readonly maxTerms: number;
  /** Significant digits of numbers. */
  readonly digits: number;
  /** Layered quantities as vectors (no neuron index), products of them element-wise (⊙). */
  readonly vector: boolean;
  /** In vector mode, how a layer number is spelt (e.g. the output layer as L). */
  readonly layerAs: ((layer: number) => LayerIndex) | null;
  /** Numbers to print in place of symbols and δs (a worked example); undefined keeps the symbol. */
  readonly values: ((e: Sym | DeltaRef) => number | undefined) | null;
  /** LaTeX names of some nodes by id, in place of the notation's (the post's θ₁, θ₂ of the 1-1-1 network). */
  readonly names: ReadonlyMap<string, string> | null;
}

/** The defaults: the post's notation, juxtaposition, chain factors in parentheses, no elision. */
export const DEFAULT_PRINTER_OPTIONS: PrinterOptions = {
  notation: "post",
  mulSymbol: " ",
  chainParens: true,
  maxTerms: Infinity,
  digits: 6,
  vector: false,
  layerAs: null,
  values: null,
  names: null,
};

/** Binding strength of each kind of printed expression: a child binding more loosely than its parent is parenthesised. */
export const PRECEDENCE = { add: 40, mul: 50, pow: 60, apply: 70, atom: 1000 } as const;

type Rules = { readonly [K in Expr["kind"]]: (p: LatexPrinter, e: ExprOf<K>) => string };

/** One rule per kind. */
const RULES: Rules = {
  const: (p, e) => p.number(e.value),
  sym: (p, e) => p.substituted(e) ?? p.symbol(e),
  add: (p, e) => p.sum(e.terms),
  mul: (p, e) => p.product(e.factors, false),
  // base^exp; a negative exponent is a fraction, ½ a square root
  pow: (p, e) => {
    if (e.exp < 0) return `\\frac{1}{${p.print(pow(e.base, -e.exp))}}`;
    if (e.exp === 0.5) return `\\sqrt{${p.print(e.base)}}`;
    const base = p.print(e.base);
    const wrap = precedence(e.base) <= PRECEDENCE.pow || base.includes("^") ? `\\left(${base}\\right)` : base;
    return `${wrap}^{${p.number(e.exp)}}`;
  },
  // f(−0.3), not f((−0.3)): a substituted number needs no second pair of parentheses
  apply: (p, e) =>
    `${fnWithOrder(e.fn, e.order)}\\left(${(e.arg.kind === "sym" || e.arg.kind === "delta" ? p.substitutedNumber(e.arg) : null) ?? p.print(e.arg)}\\right)`,
  partial: (p, e) => `\\frac{\\partial ${p.symbol(e.num)}}{\\partial ${p.symbol(e.den)}}`,
  delta: (p, e) => p.substituted(e) ?? p.deltaOf(e.node),
};

/** Precedence of a printed expression: a leading minus binds like a sum, a fraction like a product. */
export function precedence(e: Expr): number {
  switch (e.kind) {
    case "add":
      return PRECEDENCE.add;
    case "mul":
      return leadingNegative(e) ? PRECEDENCE.add : PRECEDENCE.mul;
    case "pow":
      return e.exp < 0 ? PRECEDENCE.mul : PRECEDENCE.pow;
    case "apply":
      return PRECEDENCE.apply;
    case "const":
      return e.value < 0 ? PRECEDENCE.add : reciprocalOf(e.value) !== null ? PRECEDENCE.mul : PRECEDENCE.atom;
    default:
      return PRECEDENCE.atom;
  }
}

function leadingNegative(e: Expr): boolean {
  if (e.kind === "const") return e.value < 0;
  if (e.kind === "mul") return e.factors[0]!.kind === "const" && (e.factors[0] as ExprOf<"const">).value < 0;
  return false;
}

/** Global scalars (m, λ, numbers) that may stand in a leading fraction such as \frac{λ}{m}. */
function isScalar(e: Expr): boolean {
  if (e.kind === "const") return true;
  if (e.kind === "sym") return e.ref.kind === "m" || e.ref.kind === "lambda";
  if (e.kind === "pow") return isScalar(e.base);
  if (e.kind === "mul") return e.factors.every(isScalar);
  return false;
}

/** Prints expressions of one graph (or none) to LaTeX. */
export class LatexPrinter {
  /** The settings in force. */
  readonly options: PrinterOptions;
  /** The notation in force. */
  readonly notation: Notation;

  constructor(
    /** The graph whose node labels name the symbols; null prints every node by its name. */
    readonly graph: Graph | null = null,
    options: Partial<PrinterOptions> = {},
  ) {
    this.options = { ...DEFAULT_PRINTER_OPTIONS, ...options };
    // a layer of ten or more neurons has two-digit indices: separate every index (θ_{1,10} beside θ_{1,0})
    const wide = graph?.layers?.sizes.some((n) => n >= 10);
    this.notation = (wide ? SEPARATED_NOTATION_TABLE : NOTATION_TABLE)[this.options.notation];
  }

  /** A printer with some settings changed. */
  with(overrides: Partial<PrinterOptions>): LatexPrinter {
    return new LatexPrinter(this.graph, { ...this.options, ...overrides });
  }

  /** An expression as LaTeX (math mode). */
  print(e: Expr): string {
    return (RULES[e.kind] as (p: LatexPrinter, e: Expr) => string)(this, e);
  }

  /** `e`, in \left( … \right) when it binds no tighter than `level`. */
  parenthesize(e: Expr, level: number): string {
    const s = this.print(e);
    return precedence(e) <= level ? `\\left(${s}\\right)` : s;
  }

  /** The number standing for a symbol or δ in a worked example (negative in parentheses), or null. */
  substituted(e: Sym | DeltaRef): string | null {
    const s = this.substitutedNumber(e);
    return s?.startsWith("-") ? `\\left(${s}\\right)` : s;
  }

  /** The number standing for a symbol or δ, as it is, or null. */
  substitutedNumber(e: Sym | DeltaRef): string | null {
    const v = this.options.values?.(e);
    return v === undefined ? null : this.number(v);
  }

  /** A number. */
  number(v: number): string {
    return latexNumber(v, { digits: this.options.digits, minPlain: 1e-4, maxPlain: 1e6 });
  }

  /** The symbol of a graph node, by id (x, y, θ, z, a or the cost). */
  node(id: string): string {
    const named = this.options.names?.get(id);
    if (named !== undefined) return named;
    const n = this.graph?.nodes[id];
    return n === undefined ? latexName(id) : this.symbol(nodeSym(n));
  }

  /** A symbol: in the notation when its node has a layer label, else by its escaped name. */
  symbol(s: Sym): string {
    const ref = s.ref;
    const nt = this.notation;
    const named = "node" in ref ? this.options.names?.get(ref.node) : undefined;
    if (named !== undefined) return named;
    switch (ref.kind) {
      case "J":
        return nt.cost;
      case "m":
        return "m";
      case "lambda":
        return "\\lambda";
      case "lse": {
        const label = this.graph?.nodes[ref.node]?.label;
        if (label?.layer !== undefined) return `\\operatorname{lse}\\left(${nt.z(this.layer(label.layer))}\\right)`;
        return `\\operatorname{lse}_{${latexName(ref.node)}}`;
      }
      // Σᵢ yᵢ of the example (a scalar per example: 1ᵀy for the vector of targets)
      case "ysum":
        return this.options.vector
          ? `\\left(\\mathbf{1}${nt.transpose} ${nt.y()}\\right)`
          : `\\left(\\textstyle\\sum_{i} ${nt.y("i")}\\right)`;
      default: {
        const label = this.graph?.nodes[ref.node]?.label;
        const vec = this.options.vector;
        if (label === undefined) return latexName(ref.node);
        if (ref.kind === "y") return vec ? nt.y() : nt.y(label.j);
        if (label.layer === undefined) return latexName(ref.node);
        if (ref.kind === "theta") {
          if (label.k === undefined) return latexName(ref.node);
          return label.k === 0 ? nt.bias(label.layer, label.j) : nt.weight(label.layer, label.j, label.k);
        }
        if (ref.kind === "x") return vec ? nt.x() : nt.x(label.j);
        const l = this.layer(label.layer);
        const j = vec ? undefined : label.j;
        return ref.kind === "z" ? nt.z(l, j) : nt.a(l, j);
      }
    }
  }

  /** δ of a z node. */
  deltaOf(node: string): string {
    const label = this.graph?.nodes[node]?.label;
    if (label?.layer === undefined) return `\\delta_{${latexName(node)}}`;
    return this.notation.delta(this.layer(label.layer), this.options.vector ? undefined : label.j);
  }

  private layer(l: number): LayerIndex {
    return this.options.layerAs !== null ? this.options.layerAs(l) : l;
  }

  /** t₁ + t₂ − t₃ …, eliding the middle of long sums. */
  sum(terms: readonly Expr[]): string {
    const max = Math.max(2, this.options.maxTerms);
    // ⋯ stands for two terms or more: one left out could as well be printed
    const shown = terms.length > max + 1 ? [...terms.slice(0, max - 1), null, terms[terms.length - 1]!] : terms;
    let out = "";
    shown.forEach((t, i) => {
      if (t === null) {
        out += " + \\cdots";
        return;
      }
      const neg = leadingNegative(t);
      const body = neg ? this.negated(t) : this.print(t);
      out += i === 0 ? (neg ? `-${body}` : body) : neg ? ` - ${body}` : ` + ${body}`;
    });
    return out;
  }

  /** −t printed without its sign (t has a negative leading constant). */
  private negated(t: Expr): string {
    if (t.kind === "const") return this.number(-t.value);
    return this.product((t as ExprOf<"mul">).factors, true);
  }

  /**
   * A product. Negative powers go into a fraction: with only m, λ and numbers below the line the
   * fraction leads (the post's \frac{1}{m}(a − y)); otherwise everything stands over one line.
   */
  product(factors: readonly Expr[], negate: boolean): string {
    let coeff = negate ? -1 : 1;
    const top: Expr[] = [];
    const bottom: Expr[] = [];
    for (const f of factors) {
      if (f.kind === "const") coeff *= f.value;
      else if (f.kind === "pow" && f.exp < 0) {
        // 1/(2m) and 1/(a(1 − a)): the factors of a product below the line stand side by side
        const b = pow(f.base, -f.exp);
        if (b.kind === "mul") bottom.push(...b.factors);
        else bottom.push(b);
      } else top.push(f);
    }
    const sign = coeff < 0 ? "-" : "";
    coeff = Math.abs(coeff);
    const recip = reciprocalOf(coeff);
    if (recip !== null) {
      bottom.unshift(num(recip));
      coeff = 1;
    }
    if (bottom.length === 0) return sign + this.factors(coeff === 1 ? top : [num(coeff), ...top]);
    const den = juxtapose(bottom.map((b) => this.parenthesize(b, bottom.length > 1 ? PRECEDENCE.mul : 0)));
    if (bottom.every(isScalar)) {
      const lead = top.filter(isScalar);
      const rest = top.filter((t) => !isScalar(t));
      const numer = coeff === 1 && lead.length === 0 ? "1" : this.factors(coeff === 1 ? lead : [num(coeff), ...lead]);
      const frac = `\\frac{${numer}}{${den}}`;
      return sign + (rest.length === 0 ? frac : `${frac} ${this.factors(rest)}`);
    }
    const numer =
      top.length === 0
        ? this.number(coeff)
        : top.length === 1 && coeff === 1
          ? this.print(top[0]!)
          : this.factors(coeff === 1 ? top : [num(coeff), ...top]);
    return `${sign}\\frac{${numer}}{${den}}`;
  }

  /** Factors joined by the multiplication symbol (⊙ between vectors in vector mode). */
  private factors(fs: readonly Expr[]): string {
    const juxtapose = this.options.mulSymbol.trim() === "";
    let out = "";
    let prev: Expr | null = null;
    for (const f of fs) {
      // (∂u/∂v) as the post writes chain factors; sums and negatives in parentheses
      const s =
        f.kind === "partial" && this.options.chainParens
          ? `\\left(${this.print(f)}\\right)`
          : this.parenthesize(f, PRECEDENCE.add);
      if (prev !== null) {
        if (this.options.vector && !isScalar(prev) && !isScalar(f)) out += " \\odot ";
        // two numbers side by side would read as one: 2 \cdot 3
        else if (juxtapose) out += /\d$/.test(out) && /^[-\d]/.test(s) ? " \\cdot " : " ";
        else out += ` ${this.options.mulSymbol.trim()} `;
      }
      out += s;
      prev = f;
    }
    return out;
  }
}

/** Printed factors side by side, with \\cdot where two numbers would run together (2 \\cdot 3). */
function juxtapose(parts: readonly string[]): string {
  let out = "";
  for (const s of parts) out += out === "" ? s : /\d$/.test(out) && /^[-\d]/.test(s) ? ` \\cdot ${s}` : ` ${s}`;
  return out;
}

/** An expression as LaTeX with a one-off printer. */
export function latex(e: Expr, graph: Graph | null = null, options: Partial<PrinterOptions> = {}): string {
  return new LatexPrinter(graph, options).print(e);
}
