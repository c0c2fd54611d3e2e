/**
 * How wide a row of display math will print, in em of the body font, without a TeX engine: a
 * small parser of the LaTeX the library writes (fractions, scripts, \left … \right, colours,
 * text, bmatrix) with Computer Modern's glyph widths rounded up a little. KaTeX uses the same
 * metrics, so one estimate serves the PDF and the HTML page. Used to break long rows before they
 * overflow the line ({@link fitRows}) and by the tests that bound every printed row.
 *
 * It errs wide: a row it passes fits, a row it refuses may still have fitted.
 */

/** A token of LaTeX math source. */
export type Token =
  | { readonly t: "cmd"; readonly name: string; readonly at: number; readonly end: number }
  | { readonly t: "char"; readonly ch: string; readonly at: number; readonly end: number }
  | { readonly t: "{" | "}" | "^" | "_" | "&" | "\\\\" | "space"; readonly at: number; readonly end: number };

/** The tokens of a LaTeX math string. */
export function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "\\") {
      const next = s[i + 1] ?? "";
      if (next === "\\") {
        out.push({ t: "\\\\", at: i, end: i + 2 });
        i += 2;
      } else if (/[A-Za-z]/.test(next)) {
        let j = i + 1;
        while (j < s.length && /[A-Za-z]/.test(s[j]!)) j++;
        out.push({ t: "cmd", name: s.slice(i + 1, j), at: i, end: j });
        i = j;
      } else {
        // a control symbol: \, \; \! \{ \} \| \  …
        out.push({ t: "cmd", name: next, at: i, end: i + 2 });
        i += 2;
      }
    } else if (/\s/.test(c)) {
      let j = i;
      while (j < s.length && /\s/.test(s[j]!)) j++;
      out.push({ t: "space", at: i, end: j });
      i = j;
    } else if (c === "{" || c === "}" || c === "^" || c === "_" || c === "&") {
      out.push({ t: c, at: i, end: i + 1 });
      i++;
    } else {
      out.push({ t: "char", ch: c, at: i, end: i + 1 });
      i++;
    }
  }
  return out;
}

/** TeX's math styles: display, text, script, scriptscript. */
type Style = 0 | 1 | 2 | 3;
const SCALE = [1, 1, 0.7, 0.5] as const;
const fracStyle = (s: Style): Style => (s === 0 ? 1 : s === 1 ? 2 : 3);
const scriptStyle = (s: Style): Style => (s <= 1 ? 2 : 3);

/** Spacing class of an atom (TeX's ord, bin, rel, open, close, punct and inner). */
type Kind = "ord" | "bin" | "rel" | "open" | "close" | "punct" | "inner";

/**
 * A measured piece: its width in em of the body font, its class, and how tall it stands — 0 plain,
 * 1 with scripts, 2 holding a grown delimiter, 3 a display fraction or a matrix — which sets the
 * size of the delimiters around it.
 */
interface Measured {
  readonly w: number;
  readonly kind: Kind;
  readonly tall: number;
}

/** Widths in em of single glyphs (Computer Modern, rounded up). */
const GREEK_LOWER = new Set([
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "varepsilon",
  "zeta",
  "eta",
  "theta",
  "vartheta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "pi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "varphi",
  "chi",
  "psi",
  "omega",
  "ell",
  "partial",
  "nabla",
]);
const GREEK_UPPER = new Set([
  "Gamma",
  "Delta",
  "Theta",
  "Lambda",
  "Xi",
  "Pi",
  "Sigma",
  "Upsilon",
  "Phi",
  "Psi",
  "Omega",
]);
const FUNCTIONS = new Set(["log", "exp", "tanh", "sinh", "cosh", "sin", "cos", "max", "min", "ln", "lim", "det"]);
const SPACES: Readonly<Record<string, number>> = {
  quad: 1,
  qquad: 2,
  ";": 0.278,
  ":": 0.222,
  ",": 0.167,
  "!": -0.167,
  " ": 0.333,
  enspace: 0.5,
};
const BINARY: Readonly<Record<string, number>> = { cdot: 0.28, odot: 0.78, times: 0.78, pm: 0.78, circ: 0.5, ast: 0.5 };
const RELATION: Readonly<Record<string, number>> = {
  to: 1,
  rightarrow: 1,
  leftarrow: 1,
  mapsto: 1,
  le: 0.78,
  ge: 0.78,
  leq: 0.78,
  geq: 0.78,
  approx: 0.78,
  ne: 0.78,
  neq: 0.78,
  equiv: 0.78,
  in: 0.67,
};
const DOTS: Readonly<Record<string, number>> = { cdots: 1.34, ldots: 1.34, dots: 1.34, vdots: 0.28, ddots: 1.34 };
/** \bigl( … \Biggl(: widths of the fixed sizes. */
const BIG: Readonly<Record<string, number>> = { big: 0.46, Big: 0.6, bigg: 0.74, Bigg: 0.88 };

function charWidth(c: string): { w: number; kind: Kind } {
  if (/[a-z]/.test(c)) return { w: c === "m" ? 0.88 : c === "w" ? 0.72 : 0.53, kind: "ord" };
  if (/[A-Z]/.test(c)) return { w: c === "W" || c === "M" ? 1.05 : 0.78, kind: "ord" };
  if (/[0-9]/.test(c)) return { w: 0.5, kind: "ord" };
  switch (c) {
    case "+":
    case "-":
    case "*":
      return { w: 0.78, kind: "bin" };
    case "=":
    case "<":
    case ">":
      return { w: 0.78, kind: "rel" };
    case ":":
      return { w: 0.28, kind: "rel" };
    case "(":
      return { w: 0.39, kind: "open" };
    case ")":
      return { w: 0.39, kind: "close" };
    case "[":
      return { w: 0.28, kind: "open" };
    case "]":
      return { w: 0.28, kind: "close" };
    case ",":
    case ";":
      return { w: 0.28, kind: "punct" };
    case "/":
      return { w: 0.5, kind: "ord" };
    default:
      return { w: 0.3, kind: "ord" };
  }
}

/** TeX's spacing between two atoms in display and text style, in em. */
function spaceBetween(prev: Kind | null, next: Kind): number {
  if (prev === null) return next === "rel" ? 0.278 : 0;
  if (next === "bin" || prev === "bin") return 0.222;
  if (next === "rel") return prev === "rel" || prev === "open" ? 0 : 0.278;
  if (prev === "rel") return next === "punct" ? 0 : 0.278;
  if (prev === "punct") return 0.167;
  if (prev === "open") return 0;
  // an inner atom (\left … \right, a matrix) takes a thin space beside ordinary atoms
  if (next === "inner") return prev === "ord" || prev === "close" || prev === "inner" ? 0.167 : 0;
  if (prev === "inner") return next === "ord" || next === "open" || next === "punct" ? 0.167 : 0;
  return 0;
}

/** A parser of one token list that measures as it goes. */
class Measure {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private skipSpace(): void {
    while (this.peek()?.t === "space") this.i++;
  }

  /** The raw text of a brace group `{…}` (for \text, \operatorname, colour names). */
  private rawGroup(src: string): string {
    this.skipSpace();
    const open = this.peek();
    if (open?.t !== "{") {
      if (open === undefined) return "";
      this.i++;
      return open.t === "char" ? open.ch : "";
    }
    let depth = 0;
    const start = open.end;
    for (; this.i < this.toks.length; this.i++) {
      const t = this.toks[this.i]!;
      if (t.t === "{") depth++;
      else if (t.t === "}" && --depth === 0) {
        this.i++;
        return src.slice(start, t.at);
      }
    }
    return src.slice(start);
  }

  /** One argument: a brace group or a single token. */
  arg(src: string, style: Style): Measured {
    this.skipSpace();
    const t = this.peek();
    if (t === undefined) return { w: 0, kind: "ord", tall: 0 };
    if (t.t === "{") {
      this.i++;
      const m = this.seq(src, style, "}");
      return { ...m, kind: "ord" };
    }
    return this.atom(src, style);
  }

  /** A sequence up to the end or `stop` (a closing brace is consumed, \right and \end are not). */
  seq(src: string, style: Style, stop: "}" | "right" | "end" | null): Measured {
    let w = 0;
    let tall = 0;
    let prev: Kind | null = null;
    let lastScript: { sup: number; sub: number } | null = null;
    let cur: Style = style;
    while (this.i < this.toks.length) {
      const t = this.peek()!;
      if (t.t === "}") {
        if (stop === "}") this.i++;
        break;
      }
      if (t.t === "cmd" && ((stop === "right" && t.name === "right") || (stop === "end" && t.name === "end"))) break;
      if (t.t === "space" || t.t === "&" || t.t === "\\\\") {
        this.i++;
        continue;
      }
      if (t.t === "^" || t.t === "_") {
        this.i++;
        const sw = this.arg(src, scriptStyle(cur)).w;
        // a superscript and a subscript on one base stack: the wider one counts
        const s: { sup: number; sub: number } = lastScript ?? { sup: 0, sub: 0 };
        const before = Math.max(s.sup, s.sub);
        if (t.t === "^") s.sup = Math.max(s.sup, sw);
        else s.sub = Math.max(s.sub, sw);
        w += Math.max(s.sup, s.sub) - before + (lastScript === null ? 0.05 * SCALE[cur] : 0);
        lastScript = s;
        if (cur <= 1) tall = Math.max(tall, 1);
        continue;
      }
      if (t.t === "cmd" && (t.name === "textstyle" || t.name === "displaystyle" || t.name === "scriptstyle")) {
        this.i++;
        cur = t.name === "textstyle" ? 1 : t.name === "displaystyle" ? 0 : 2;
        continue;
      }
      const a = this.atom(src, cur);
      lastScript = null;
      tall = Math.max(tall, a.tall);
      // a binary operator after nothing or after an operator is unary
      let kind = a.kind;
      if (kind === "bin" && (prev === null || prev === "bin" || prev === "rel" || prev === "open" || prev === "punct"))
        kind = "ord";
      if (cur <= 1) w += spaceBetween(prev, kind);
      w += a.w;
      prev = kind;
    }
    return { w, kind: "ord", tall };
  }

  /** One atom (a character, a command with its arguments, a group or an environment), measured. */
  private atom(src: string, style: Style): Measured {
    const t = this.toks[this.i++]!;
    // glyphs and spaces are measured at the style's size; nested sequences measure themselves
    const unit = (w: number, kind: Kind = "ord", tall = 0): Measured => ({ w: w * SCALE[style], kind, tall });
    const abs = (m: Measured, kind: Kind = m.kind): Measured => ({ ...m, kind });
    if (t.t === "char") return unit(charWidth(t.ch).w, charWidth(t.ch).kind);
    if (t.t === "{") return abs(this.seq(src, style, "}"), "ord");
    if (t.t !== "cmd") return unit(0);
    const n = t.name;
    if (n in SPACES) return unit(SPACES[n]!);
    if (n in BINARY) return unit(BINARY[n]!, "bin");
    if (n in RELATION) return unit(RELATION[n]!, "rel");
    if (n in DOTS) return unit(DOTS[n]!);
    if (GREEK_LOWER.has(n)) return unit(0.58);
    if (GREEK_UPPER.has(n)) return unit(0.84);
    if (FUNCTIONS.has(n)) return unit(n.length * 0.5 + 0.17);
    if (n === "infty") return unit(1);
    if (n === "prime") return unit(0.3);
    if (n === "sum" || n === "prod") return unit(style === 0 ? 1.45 : 1.06, "ord", style === 0 ? 3 : 1);
    if (n === "frac" || n === "dfrac" || n === "tfrac") {
      const inner: Style = n === "dfrac" ? 1 : n === "tfrac" ? 2 : fracStyle(style);
      const num = this.arg(src, inner).w;
      const den = this.arg(src, inner).w;
      return {
        w: Math.max(num, den) + 0.24 * SCALE[style],
        kind: "ord",
        tall: style === 0 || n === "dfrac" ? 3 : style === 1 ? 2 : 0,
      };
    }
    if (n === "sqrt") {
      const m = this.arg(src, style);
      return { ...m, w: m.w + 0.86 * SCALE[style] };
    }
    if (n === "textcolor") {
      this.rawGroup(src);
      // LaTeX's \textcolor in math is a group: an ordinary atom
      return abs(this.arg(src, style), "ord");
    }
    if (n === "color") {
      this.rawGroup(src);
      return unit(0);
    }
    if (n === "text" || n === "textrm" || n === "textit" || n === "textbf" || n === "mbox") {
      const s = this.rawGroup(src);
      // \text may hold math of its own: measure $…$ parts as math
      let w = 0;
      s.split("$").forEach((p: string, k: number) => {
        w += k % 2 === 1 ? measureLatex(p, 1) : p.replace(/\\[a-z]+\s*/gi, "").length * 0.5;
      });
      return unit(w);
    }
    if (n === "operatorname") return unit(this.rawGroup(src).length * 0.5 + 0.17);
    if (
      n === "mathrm" ||
      n === "mathsf" ||
      n === "mathbf" ||
      n === "mathit" ||
      n === "boldsymbol" ||
      n === "mathbb" ||
      n === "mathcal"
    ) {
      const m = this.arg(src, style);
      return { ...m, w: m.w * 1.08, kind: "ord" };
    }
    if (
      n === "mathrel" ||
      n === "mathbin" ||
      n === "mathord" ||
      n === "mathop" ||
      n === "mathopen" ||
      n === "mathclose"
    ) {
      return abs(this.arg(src, style), n === "mathrel" ? "rel" : n === "mathbin" ? "bin" : "ord");
    }
    if (
      n === "hphantom" ||
      n === "phantom" ||
      n === "underbrace" ||
      n === "overbrace" ||
      n === "overline" ||
      n === "underline" ||
      n === "hat" ||
      n === "bar" ||
      n === "tilde" ||
      n === "vec"
    ) {
      return abs(this.arg(src, style), "ord");
    }
    if (n === "vphantom") {
      this.arg(src, style);
      return unit(0);
    }
    if (n === "xrightarrow" || n === "xleftarrow") {
      const above = this.arg(src, scriptStyle(style)).w;
      return { w: Math.max(above + 0.9 * SCALE[style], 1.5 * SCALE[style]), kind: "rel", tall: 1 };
    }
    if (n === "left") {
      const open = this.delimiter();
      const inner = this.seq(src, style, "right");
      this.i++; // \right
      const close = this.delimiter();
      // a delimiter grows with what it holds: about 0.8em beside a display fraction
      const grown = style <= 1 ? inner.tall : 0;
      const size = (d: string) =>
        d === "." ? 0.12 : d === "[" || d === "]" ? [0.3, 0.42, 0.47, 0.6][grown]! : [0.41, 0.46, 0.6, 0.8][grown]!;
      return {
        w: inner.w + (size(open) + size(close)) * SCALE[style],
        kind: "inner",
        tall: grown >= 3 ? 3 : grown + 1,
      };
    }
    if (n === "right" || n === "middle") {
      this.delimiter();
      return unit(0.41);
    }
    const big = /^(big|Big|bigg|Bigg)([lrm]?)$/.exec(n);
    if (big !== null) {
      this.delimiter();
      return unit(BIG[big[1]!]!, big[2] === "l" ? "open" : big[2] === "r" ? "close" : "ord", big[1] === "big" ? 2 : 3);
    }
    if (n === "begin") {
      const env = this.rawGroup(src);
      return this.environment(src, env, style);
    }
    return unit(0.6);
  }

  /** The delimiter after \left, \right or \bigl: a character or a control symbol. */
  private delimiter(): string {
    this.skipSpace();
    const d = this.toks[this.i++];
    return d === undefined ? "" : d.t === "char" ? d.ch : d.t === "cmd" ? d.name : "";
  }

  /** A matrix-like environment: columns at their widest entries, 10pt between columns. */
  private environment(src: string, env: string, style: Style): Measured {
    const cells: number[][] = [[]];
    // entries of a matrix are in text style
    const inner: Style = style <= 1 ? 1 : style;
    let depth = 0;
    let start = this.i;
    const flush = () => {
      const sub = this.toks.slice(start, this.i);
      cells[cells.length - 1]!.push(new Measure(sub).seq(src, inner, null).w);
    };
    for (; this.i < this.toks.length; this.i++) {
      const t = this.toks[this.i]!;
      if (t.t === "{") depth++;
      else if (t.t === "}") depth--;
      else if (depth === 0 && t.t === "cmd" && t.name === "begin") depth += 1000;
      else if (depth >= 1000 && t.t === "cmd" && t.name === "end") depth -= 1000;
      else if (depth === 0 && t.t === "cmd" && t.name === "end") {
        flush();
        this.i++;
        this.rawGroup(src);
        break;
      } else if (depth === 0 && t.t === "&") {
        flush();
        start = this.i + 1;
      } else if (depth === 0 && t.t === "\\\\") {
        flush();
        cells.push([]);
        start = this.i + 1;
      }
    }
    const cols = Math.max(...cells.map((r) => r.length));
    let w = 0;
    for (let c = 0; c < cols; c++) w += Math.max(0, ...cells.map((r) => r[c] ?? 0));
    const sep = (cols - 1) * 0.91;
    const fenced = env === "bmatrix" || env === "pmatrix" || env === "vmatrix";
    const fence = fenced ? (cells.length > 2 ? 1.35 : 1.05) : 0;
    return { w: w + (sep + fence) * SCALE[style], kind: fenced ? "inner" : "ord", tall: cells.length > 1 ? 3 : 1 };
  }
}

/**
 * The printed width of LaTeX math in em of the body font, in display style (style 0) or, for
 * `style` 1, in text style (inline math). Alignment points `&` and row breaks add nothing.
 */
export function measureLatex(latex: string, style: 0 | 1 = 0): number {
  return measure(latex, style).w;
}

/** The printed width of LaTeX math (as {@link measureLatex}) and how tall it stands (0 plain to 3 a display fraction or a matrix). */
export function measure(latex: string, style: 0 | 1 = 0): { readonly w: number; readonly tall: number } {
  const m = new Measure(lex(latex)).seq(latex, style, null);
  return { w: m.w, tall: m.tall };
}

/**
 * The cells of one `align*` row, split at its top-level `&` (not inside braces or an environment
 * such as a bmatrix).
 */
export function alignCells(row: string): string[] {
  const cells: string[] = [];
  let depth = 0;
  let env = 0;
  let start = 0;
  for (const t of lex(row)) {
    if (t.t === "{") depth++;
    else if (t.t === "}") depth--;
    else if (t.t === "cmd" && t.name === "begin") env++;
    else if (t.t === "cmd" && t.name === "end") env--;
    else if (t.t === "&" && depth === 0 && env === 0) {
      cells.push(row.slice(start, t.at));
      start = t.end;
    }
  }
  cells.push(row.slice(start));
  return cells;
}

/**
 * The width of each row of an `align*` group as typeset: every column is as wide as its widest
 * cell in the group, so a row reaches as far as the columns before its last cell plus that cell
 * (pairs of columns after the first sit at least \minalignsep, 10pt, apart).
 */
export function alignWidths(rows: readonly string[]): number[] {
  const cells = rows.map((r) => alignCells(r).map((c) => measureLatex(c)));
  const cols: number[] = [];
  for (const c of cells)
    c.forEach((w, i) => {
      cols[i] = Math.max(cols[i] ?? 0, w);
    });
  return cells.map((c) => {
    if (c.length === 1) return c[0]!;
    let w = 0;
    for (let i = 0; i < c.length - 1; i++) w += cols[i]!;
    return w + c[c.length - 1]! + Math.floor((c.length - 1) / 2) * 0.91;
  });
}

/**
 * Widest display row, in em, that fits both targets with room to spare for the estimate's error:
 * the LaTeX page's text is 6.5in (47em of its 10pt font), the HTML page's 53rem at KaTeX's
 * 1.21 × 17px (41.2em).
 */
export const ROW_BUDGET_EM = 38;

/**
 * The widths, in em, of the pieces of inline math between the places TeX and KaTeX may break a
 * line in running text: after a relation or a binary operator at the formula's top level (not
 * inside braces or \left … \right). A piece wider than the line overflows it.
 */
export function inlinePieceWidths(latex: string): number[] {
  const toks = lex(latex);
  const widths: number[] = [];
  let depth = 0;
  let start = 0;
  let prevOp = true;
  // \mathrel{…} is a relation: a break may follow its group
  let relation = false;
  const cut = (end: number) => {
    widths.push(measureLatex(latex.slice(start, end), 1));
    start = end;
  };
  for (const t of toks) {
    if (t.t === "cmd" && t.name === "mathrel" && depth === 0) relation = true;
    if (t.t === "{") depth++;
    else if (t.t === "}") {
      depth--;
      if (depth === 0 && relation) {
        relation = false;
        cut(t.end);
        prevOp = true;
        continue;
      }
    } else if (t.t === "cmd" && t.name === "left") depth++;
    else if (t.t === "cmd" && t.name === "right") depth--;
    else if (depth === 0 && t.t === "char" && "=<>".includes(t.ch)) {
      cut(t.end);
      prevOp = true;
      continue;
    } else if (depth === 0 && t.t === "char" && "+-".includes(t.ch) && !prevOp) {
      cut(t.end);
      prevOp = true;
      continue;
    } else if (
      depth === 0 &&
      t.t === "cmd" &&
      ["to", "odot", "cdot", "times", "leq", "geq", "approx"].includes(t.name)
    ) {
      cut(t.end);
      prevOp = true;
      continue;
    }
    if (t.t !== "space") prevOp = false;
  }
  cut(latex.length);
  return widths;
}
