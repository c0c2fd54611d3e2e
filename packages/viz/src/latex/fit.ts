/**
 * Long rows of an `align*` group broken across lines so that none is wider than the page: a row
 * is cut before a `+`, `−`, `⊙`, `=` or `→` — preferably outside parentheses — and continues on
 * the next row after `&\quad` (an operator) or `&` (a relation, aligned with the first `=`).
 * Parentheses that a cut splits become fixed-size delimiters (`\biggl(` … `\biggr)`), which
 * LaTeX and KaTeX allow on different rows; a colour (`\textcolor`) that a cut splits is closed at
 * the end of the row and opened again on the next. Everything else — fractions, scripts, text,
 * matrices, groups — stays whole.
 *
 * One pass over the document serves every target, since the widths are estimated in em
 * ({@link measureLatex}) for the LaTeX page and the HTML page alike.
 */
import { alignCells, alignWidths, lex, measure, measureLatex, ROW_BUDGET_EM, type Token } from "./width.js";

/** A piece of a row: unbreakable text, a place to break, or the start or end of a paren or colour. */
type Piece =
  | { readonly k: "text"; readonly s: string }
  | { readonly k: "op"; readonly s: string; readonly rel: boolean; readonly depth: number; readonly list?: boolean }
  | { readonly k: "open"; readonly id: number; readonly paren: boolean; readonly s: string; readonly delim: string }
  | { readonly k: "close"; readonly id: number; readonly paren: boolean; readonly s: string; readonly delim: string };

/** How many arguments a command takes that must stay with it. */
const ARGS: Readonly<Record<string, number>> = {
  frac: 2,
  dfrac: 2,
  tfrac: 2,
  sqrt: 1,
  text: 1,
  textrm: 1,
  textit: 1,
  textbf: 1,
  mbox: 1,
  operatorname: 1,
  mathrm: 1,
  mathsf: 1,
  mathbf: 1,
  mathit: 1,
  mathbb: 1,
  mathcal: 1,
  boldsymbol: 1,
  mathrel: 1,
  mathbin: 1,
  mathord: 1,
  mathop: 1,
  hphantom: 1,
  phantom: 1,
  vphantom: 1,
  color: 1,
  xrightarrow: 1,
  xleftarrow: 1,
  overline: 1,
  underline: 1,
  hat: 1,
  bar: 1,
  tilde: 1,
  vec: 1,
  overbrace: 1,
  underbrace: 1,
};
const BINARY_OPS = new Set(["odot", "times"]);
const RELATIONS = new Set(["to", "rightarrow", "mapsto"]);

/** Splits a cell into pieces. */
function pieces(src: string): Piece[] {
  const toks = lex(src);
  const out: Piece[] = [];
  const stack: { id: number; paren: boolean }[] = [];
  let ids = 0;
  let i = 0;
  const text = (s: string) => {
    const last = out[out.length - 1];
    if (last?.k === "text") out[out.length - 1] = { k: "text", s: last.s + s };
    else out.push({ k: "text", s });
  };
  /** The source of one argument (a brace group or a single token) from token i on. */
  const arg = (): string => {
    while (toks[i]?.t === "space") i++;
    const t = toks[i];
    if (t === undefined) return "";
    if (t.t !== "{") {
      i++;
      if (t.t === "cmd" && (t.name === "left" || t.name === "right" || /^(big|Big|bigg|Bigg)[lrm]?$/.test(t.name)))
        return src.slice(t.at, t.end) + arg();
      return src.slice(t.at, t.end);
    }
    let depth = 0;
    const start = t.at;
    for (; i < toks.length; i++) {
      const u = toks[i]!;
      if (u.t === "{") depth++;
      else if (u.t === "}" && --depth === 0) {
        i++;
        return src.slice(start, u.end);
      }
    }
    return src.slice(start);
  };
  /** Whether an operator here is binary: something stands before it on this level. */
  const binary = () => {
    for (let j = out.length - 1; j >= 0; j--) {
      const p = out[j]!;
      if (p.k === "text") {
        if (p.s.trim() === "") continue;
        return !/(\\quad|\\qquad|\\[,;:!]|[({[])\s*$/.test(p.s);
      }
      return p.k === "close";
    }
    return false;
  };
  const depth = () => stack.filter((s) => s.paren).length;
  /** Whether the token after i starts a new factor of a product: a \left( group after one. */
  const factorGap = (): boolean => {
    const prev = out[out.length - 1];
    let j = i;
    while (toks[j]?.t === "space") j++;
    const next = toks[j];
    if (
      next === undefined ||
      next.t === "}" ||
      (next.t === "char" && "+-=".includes(next.ch)) ||
      (next.t === "cmd" && (next.name === "right" || next.name in { odot: 1, cdot: 1, times: 1, quad: 1, qquad: 1 }))
    )
      return false;
    return (
      ((prev?.k === "close" && prev.paren) || (prev?.k === "text" && prev.s.trim() !== "")) &&
      next.t === "cmd" &&
      next.name === "left"
    );
  };
  while (i < toks.length) {
    const t: Token = toks[i]!;
    if (t.t === "space" && factorGap()) {
      // between two parenthesised factors of a product: a place to break, after the operators
      out.push({ k: "op", s: "", rel: false, depth: depth() });
      while (toks[i]?.t === "space") i++;
    } else if (t.t === "char" && t.ch === "," && depth() === 0 && isQuadAfter(toks, i + 1)) {
      // "x = 1, \quad y = 2": between the entries of a list, the best place of all
      text(",");
      i++;
      while (toks[i]?.t === "space") i++;
      i++; // the \quad, which the next row's indent replaces
      while (toks[i]?.t === "space") i++;
      out.push({ k: "op", s: "\\quad", rel: false, depth: 0, list: true });
    } else if (t.t === "char" && (t.ch === "+" || t.ch === "-") && binary()) {
      out.push({ k: "op", s: t.ch, rel: false, depth: depth() });
      i++;
    } else if (t.t === "char" && t.ch === "=") {
      out.push({ k: "op", s: "=", rel: true, depth: depth() });
      i++;
    } else if (
      t.t === "char" &&
      t.ch === ":" &&
      toks[i + 1]?.t === "char" &&
      (toks[i + 1] as { ch: string }).ch === "="
    ) {
      out.push({ k: "op", s: ":=", rel: true, depth: depth() });
      i += 2;
    } else if (t.t === "cmd" && BINARY_OPS.has(t.name) && binary()) {
      out.push({ k: "op", s: `\\${t.name}`, rel: false, depth: depth() });
      i++;
    } else if (t.t === "cmd" && RELATIONS.has(t.name)) {
      out.push({ k: "op", s: `\\${t.name}`, rel: true, depth: depth() });
      i++;
    } else if (t.t === "cmd" && t.name === "left") {
      i++;
      const d = arg();
      const id = ids++;
      stack.push({ id, paren: true });
      out.push({ k: "open", id, paren: true, s: `\\left${d}`, delim: d });
    } else if (t.t === "cmd" && t.name === "right") {
      i++;
      const d = arg();
      const top = stack.pop();
      out.push({ k: "close", id: top?.id ?? -1, paren: true, s: `\\right${d}`, delim: d });
    } else if (t.t === "cmd" && t.name === "textcolor") {
      i++;
      const name = arg();
      while (toks[i]?.t === "space") i++;
      if (toks[i]?.t === "{") {
        i++;
        const id = ids++;
        stack.push({ id, paren: false });
        out.push({ k: "open", id, paren: false, s: `\\textcolor${name}{`, delim: "" });
      } else text(`\\textcolor${name}${arg()}`);
    } else if (t.t === "}") {
      // the end of a colour opened above (a plain group is taken whole below)
      const top = stack.pop();
      out.push({ k: "close", id: top?.id ?? -1, paren: false, s: "}", delim: "" });
      i++;
    } else if (t.t === "{") {
      text(arg());
    } else if (t.t === "^" || t.t === "_") {
      i++;
      text(src.slice(t.at, t.end) + arg());
    } else if (t.t === "cmd" && t.name === "begin") {
      // an environment (a matrix) stays whole
      let depthEnv = 0;
      const start = t.at;
      for (; i < toks.length; i++) {
        const u = toks[i]!;
        if (u.t === "cmd" && u.name === "begin") depthEnv++;
        else if (u.t === "cmd" && u.name === "end" && --depthEnv === 0) {
          i++;
          arg();
          break;
        }
      }
      text(src.slice(start, toks[i - 1]?.end ?? src.length));
    } else if (t.t === "cmd" && ARGS[t.name] !== undefined) {
      i++;
      let s = src.slice(t.at, t.end);
      for (let a = 0; a < ARGS[t.name]!; a++) s += arg();
      text(s);
    } else if (t.t === "cmd" && /^(big|Big|bigg|Bigg)[lrm]?$/.test(t.name)) {
      i++;
      text(src.slice(t.at, t.end) + arg());
    } else {
      text(src.slice(t.at, t.end));
      i++;
    }
  }
  return out;
}

/** Whether a \quad or \qquad follows token i (after spaces). */
function isQuadAfter(toks: readonly Token[], i: number): boolean {
  while (toks[i]?.t === "space") i++;
  const t = toks[i];
  return t?.t === "cmd" && (t.name === "quad" || t.name === "qquad");
}

/** The fixed-size delimiter that replaces \left or \right around content of this height. */
function sized(side: "l" | "r", delim: string, tall: number): string {
  if (delim === ".") return "";
  const size = tall >= 3 ? "bigg" : tall === 2 ? "Big" : "big";
  return `\\${size}${side}${delim}`;
}

/**
 * A cell broken into lines no wider than `avail` em where it can be: the first line as it
 * starts, each further line with the prefix that places it (`\quad`, or nothing before a
 * relation). Returns the cell itself when it fits or offers no place to break.
 */
export function breakCell(cell: string, avail: number): string[] {
  if (measureLatex(cell) <= avail) return [cell];
  const ps = pieces(cell);
  const opIdx = ps.flatMap((p, i) => (p.k === "op" && i > 0 ? [i] : []));
  if (opIdx.length === 0) return [cell];
  // the height of what each paren holds, for the delimiters that replace \left … \right
  const tallOf = new Map<number, number>();
  {
    const starts = new Map<number, number>();
    ps.forEach((p, i) => {
      if (p.k === "open" && p.paren) starts.set(p.id, i);
      if (p.k === "close" && p.paren && starts.has(p.id))
        tallOf.set(p.id, measure(render(ps.slice(starts.get(p.id)! + 1, i), new Set())).tall);
    });
  }
  const breaks: number[] = [];
  const spanning = new Set<number>();
  /** Nodes open just before piece i. */
  const openAt = (i: number): Piece[] => {
    const open: Piece[] = [];
    for (let j = 0; j < i; j++) {
      const p = ps[j]!;
      if (p.k === "open") open.push(p);
      else if (p.k === "close") {
        const at = open.findIndex((o) => o.k === "open" && o.id === p.id);
        if (at >= 0) open.splice(at, 1);
      }
    }
    return open;
  };
  /** The text of pieces [from, to) as one line, its colours closed and reopened, its split parens sized. */
  const line = (from: number, to: number, span: ReadonlySet<number>): string => {
    const before = from === 0 ? [] : openAt(from);
    const op = from === 0 ? null : (ps[from] as Piece & { k: "op" });
    const list = op?.list === true;
    const lead =
      op === null
        ? ""
        : list
          ? "\\quad "
          : op.rel && op.depth === 0
            ? ""
            : op.depth === 0 && op.s !== ""
              ? "\\quad "
              : "\\qquad ";
    const reopen = before
      .filter((p) => p.k === "open" && !p.paren)
      .map((p) => p.s)
      .join("");
    // the \\quad between list entries gives way to the row's indent
    const body = render(ps.slice(list ? from + 1 : from, to), span, tallOf);
    // every colour still open where the line ends is closed there
    const closeColours = "}".repeat(openAt(to).filter((p) => p.k === "open" && !p.paren).length);
    // a colour reopened before an operator: {} keeps the operator binary
    return `${lead}${reopen}${reopen !== "" && op !== null && op.s !== "" && !list ? "{} " : ""}${body}${closeColours}`;
  };
  let from = 0;
  for (;;) {
    const rest = line(from, ps.length, spanning);
    if (measureLatex(rest) <= avail) break;
    let best: { i: number; score: number } | null = null;
    for (const i of opIdx) {
      if (i <= from) continue;
      const span = new Set([
        ...spanning,
        ...openAt(i)
          .filter((p) => p.k === "open" && p.paren)
          .map((p) => (p as { id: number }).id),
      ]);
      const w = measureLatex(line(from, i, span));
      if (w > avail) {
        if (best === null) best = { i, score: -Infinity };
        break;
      }
      const op = ps[i] as Piece & { k: "op" };
      // prefer a full line, then a cut outside parentheses, before a relation, and not inside a product
      const score =
        w / avail -
        0.3 * op.depth +
        (op.rel && op.depth === 0 ? 0.1 : 0) +
        (op.list === true ? 0.5 : op.s === "" ? -0.15 : 0);
      if (best === null || score >= best.score) best = { i, score };
    }
    if (best === null) break;
    breaks.push(best.i);
    for (const p of openAt(best.i)) if (p.k === "open" && p.paren) spanning.add(p.id);
    from = best.i;
  }
  if (breaks.length === 0) return [cell];
  const bounds = [0, ...breaks, ps.length];
  return bounds.slice(0, -1).map((b, n) => line(b, bounds[n + 1]!, spanning));
}

/** Pieces as text, the parens in `span` as fixed-size delimiters. */
function render(
  ps: readonly Piece[],
  span: ReadonlySet<number>,
  tallOf: ReadonlyMap<number, number> = new Map(),
): string {
  let out = "";
  for (const p of ps) {
    let s = p.s;
    if ((p.k === "open" || p.k === "close") && p.paren && span.has(p.id))
      s = sized(p.k === "open" ? "l" : "r", p.delim, tallOf.get(p.id) ?? 3);
    if (p.k === "op") s = ` ${p.s} `;
    out += s;
  }
  return out.replace(/ {2,}/g, " ").trim();
}

/**
 * The rows of one `align*` group with every row that is too wide broken across lines: the
 * widest left cell plus a row's right cell stays within `budget` em (default
 * {@link ROW_BUDGET_EM}). Rows with more than one alignment pair are left as they are.
 */
export function fitRows(rows: readonly string[], budget = ROW_BUDGET_EM): string[] {
  return joinValues(breakRows(packRows(rows, budget), budget), budget);
}

/** A row that is only `= number` (a worked example's value). */
const VALUE_ROW = /^&\s*= -?\d[\d.]*(?: \\times 10\^\{-?\d+\})?$/;

/**
 * A value row (`&= 0.0123`) put back onto the continuation row before it (`&\qquad …`, the end
 * of a broken row) when the joined row fits: `… (1 − 0.53) = −0.0019` rather than a row for the
 * number alone.
 */
function joinValues(rows: readonly string[], budget: number): string[] {
  const lhs = Math.max(
    0,
    ...rows
      .map(alignCells)
      .filter((c) => c.length === 2)
      .map((c) => measureLatex(c[0]!)),
  );
  const out: string[] = [];
  for (const row of rows) {
    const prev = out[out.length - 1];
    if (prev !== undefined && VALUE_ROW.test(row) && CONTINUATION.test(prev)) {
      const joined = `${prev} ${row.replace(/^&\s*/, "")}`;
      const cells = alignCells(joined);
      if (cells.length === 2 && lhs + measureLatex(cells[1]!) <= budget) {
        out[out.length - 1] = joined;
        continue;
      }
    }
    out.push(row);
  }
  return out;
}

/** A continuation row: no left-hand side, its right side going on after \quad or \qquad (not a new `=`). */
const CONTINUATION = /^&\s*\\q?quad\s+/;

/**
 * Rows with continuation rows (`&\quad + …`, `&\qquad …`) put back onto the row before them
 * wherever the joined row fits within `budget` em: a sum of short products on one row, as the
 * post writes them, and a long one across as few rows as it needs.
 */
export function packRows(rows: readonly string[], budget = ROW_BUDGET_EM): string[] {
  const lhs = Math.max(
    0,
    ...rows
      .map(alignCells)
      .filter((c) => c.length === 2)
      .map((c) => measureLatex(c[0]!)),
  );
  const out: string[] = [];
  for (const row of rows) {
    const prev = out[out.length - 1];
    if (prev !== undefined && CONTINUATION.test(row)) {
      const cells = alignCells(prev);
      const joined = `${prev} ${row.replace(CONTINUATION, "")}`;
      if (cells.length === 2 && lhs + measureLatex(alignCells(joined)[1]!) <= budget) {
        out[out.length - 1] = joined;
        continue;
      }
    }
    out.push(row);
  }
  return out;
}

/** Rows wider than `budget` em broken across lines (see {@link fitRows}). */
function breakRows(rows: readonly string[], budget: number): string[] {
  const cells = rows.map(alignCells);
  const lhs = Math.max(0, ...cells.filter((c) => c.length === 2).map((c) => measureLatex(c[0]!)));
  return cells.flatMap((c, r) => {
    if (c.length !== 2) return [rows[r]!];
    const [left, right] = c as [string, string];
    const lines = breakCell(right.trim(), budget - lhs);
    if (lines.length === 1) return [rows[r]!];
    // the first line keeps the row's left side; "lhs &= …" as the library writes rows
    const head = left.trim() === "" ? "&" : `${left.trimEnd()} &${/^:?=/.test(lines[0]!) ? "" : " "}`;
    return lines.map((l, n) => (n === 0 ? `${head}${l}` : `&${l}`));
  });
}

/**
 * Consecutive forms of one equation — each a list of `align*` rows, the first with its left-hand
 * side, the others starting `&= ` — as rows, a one-row form joined onto the row before it while
 * the row stays within `budget` em: `∂J/∂θ &= (chain) = (local) = δ x` when it fits, one form a
 * row when it does not.
 */
export function joinForms(forms: readonly (readonly string[])[], budget = ROW_BUDGET_EM): string[] {
  const rows: string[] = [];
  // the equation's left-hand side sets the alignment for all its rows
  const lhs = Math.max(
    0,
    ...forms
      .flat()
      .map((r) => alignCells(r))
      .filter((c) => c.length === 2)
      .map((c) => measureLatex(c[0]!)),
  );
  for (const form of forms) {
    if (form.length === 0) continue;
    const last = rows[rows.length - 1];
    if (last !== undefined && form.length === 1 && /^&\s*[=:]/.test(form[0]!)) {
      const joined = `${last} ${form[0]!.replace(/^&\s*/, "")}`;
      const cells = alignCells(joined);
      // room for a wider left-hand side elsewhere in the group
      const width = lhs + measureLatex(cells[cells.length - 1]!) + 2;
      if (cells.length <= 2 && width <= budget) {
        rows[rows.length - 1] = joined;
        continue;
      }
    }
    rows.push(...form);
  }
  return rows;
}

/**
 * Groups of one or two equations `lhs &= rhs` as the rows of one `align*`: two to a row
 * (`lhs &= rhs & lhs &= rhs`) when every pair of the group fits the page that way, so a table of
 * short equations takes half the height; else one equation a row.
 */
export function sideBySide(groups: readonly (readonly string[])[], budget = ROW_BUDGET_EM): string[] {
  const paired = groups.map((g) => (g.length === 2 ? `${g[0]!} & ${g[1]!}` : g.join(" & ")));
  if (groups.some((g) => g.length === 2) && Math.max(...alignWidths(paired)) <= budget - 2) return paired;
  return groups.flat();
}
