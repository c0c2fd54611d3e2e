/**
 * Escaping of user-supplied strings (node names, titles, labels) for every target: LaTeX text
 * mode, LaTeX math mode (names as identifiers), HTML/XML and Markdown. Whatever a user puts in a
 * name — `\input{/etc/passwd}`, `<script>`, `$`, `&` — comes out as the characters themselves.
 */

/** LaTeX specials in text mode and what prints them (the same spelling works in KaTeX). */
const LATEX_TEXT: { readonly [c: string]: string } = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "&": "\\&",
  "#": "\\#",
  "%": "\\%",
  _: "\\_",
  "^": "\\textasciicircum{}",
  "~": "\\textasciitilde{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "|": "\\textbar{}",
  // a control space: TeX would merge a run of spaces into one
  " ": "\\ ",
};

/** Greek letters that have a math command, by character. */
const GREEK: { readonly [c: string]: string } = Object.fromEntries(
  (
    "α alpha β beta γ gamma δ delta ε epsilon ζ zeta η eta θ theta ι iota κ kappa λ lambda μ mu ν nu ξ xi π pi ρ rho σ sigma τ tau υ upsilon φ phi χ chi ψ psi ω omega " +
    "Γ Gamma Δ Delta Θ Theta Λ Lambda Ξ Xi Π Pi Σ Sigma Φ Phi Ψ Psi Ω Omega"
  )
    .split(" ")
    .reduce<[string, string][]>((acc, w, i, all) => {
      if (i % 2 === 0) acc.push([w, `\\${all[i + 1]!}`]);
      return acc;
    }, []),
);

/** Typographic characters of prose and their ASCII LaTeX spelling. */
const TYPOGRAPHY: { readonly [c: string]: string } = {
  "–": "--",
  "—": "---",
  "‘": "`",
  "’": "'",
  "“": "``",
  "”": "''",
  "…": "\\ldots{}",
  " ": "~",
};

/** Math-mode symbols that may appear in prose, by character. */
const PROSE_MATH: { readonly [c: string]: string } = {
  "→": "\\to",
  "×": "\\times",
  "≤": "\\le",
  "≥": "\\ge",
  "−": "-",
  "·": "\\cdot",
  "∂": "\\partial",
  "⊙": "\\odot",
  "∑": "\\sum",
  Σ: "\\Sigma",
};

const LIGATURE = new Set(["-", "`", "'", "?", "!", ","]);

function codePoint(c: string): string {
  return `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`;
}

/**
 * Escapes a string for LaTeX text mode *inside math* (`\text{…}`), ASCII only: specials become
 * their text commands and any non-ASCII character its code point, so the result compiles with
 * pdflatex and parses with KaTeX in strict mode.
 */
export function escapeLatexText(s: string): string {
  let out = "";
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (LATEX_TEXT[c] !== undefined) out += LATEX_TEXT[c];
    else if (code < 0x20 || code === 0x7f) out += "\\ ";
    // characters that form ligatures with their neighbour (-- –, `` “, ?` ¿) stand alone
    else if (LIGATURE.has(c)) out += `${c}{}`;
    else if (code < 0x80) out += c;
    else out += codePoint(c);
  }
  return out;
}

/**
 * Escapes prose for a LaTeX document body (text mode): specials as in {@link escapeLatexText},
 * typographic characters in their ASCII spelling, Greek letters and a few symbols as inline math,
 * any other non-ASCII character as its code point.
 */
export function latexProse(s: string): string {
  let out = "";
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === " ") out += " ";
    else if (code < 0x80) out += escapeLatexText(c);
    else if (TYPOGRAPHY[c] !== undefined) out += TYPOGRAPHY[c];
    else if (GREEK[c] !== undefined) out += `\\ensuremath{${GREEK[c]}}`;
    else if (PROSE_MATH[c] !== undefined) out += `\\ensuremath{${PROSE_MATH[c]}}`;
    else out += codePoint(c);
  }
  return out;
}

/**
 * A user-supplied name as a LaTeX math identifier. Simple names read like mathematics
 * (`h1` → h₁, `x_2` → x₂, `bias` → \mathrm{bias}); anything else is printed as text, escaped,
 * with Greek letters as their commands.
 *
 * @example latexName("w12") // "w_{12}"
 * @example latexName("\\input{/etc/passwd}") // "\\text{\\textbackslash{}input\\{/etc/passwd\\}}"
 */
export function latexName(name: string): string {
  const simple = /^([A-Za-z]+)_?(\d+)?$/.exec(name);
  if (simple !== null) {
    const [, letters, digits] = simple;
    const base = letters!.length === 1 ? letters! : `\\mathrm{${letters}}`;
    return digits !== undefined ? `${base}_{${digits}}` : base;
  }
  // Runs of ASCII go into \text{…}; Greek letters become commands; other characters code points.
  let out = "";
  let run = "";
  const flush = () => {
    if (run !== "") out += `\\text{${escapeLatexText(run)}}`;
    run = "";
  };
  for (const c of name) {
    if (GREEK[c] !== undefined) {
      flush();
      out += `{${GREEK[c]}}`;
    } else run += c;
  }
  flush();
  return out === "" ? "\\text{}" : out;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

/**
 * Escapes text for XML (SVG) content and attributes; characters XML 1.0 cannot hold at all
 * (most control characters) are dropped.
 */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ""));
}

/**
 * Escapes prose for Markdown: characters Markdown would read as markup, `$` (math), HTML (as
 * entities) and line starts that would begin a list or heading; line breaks become spaces, so
 * the text renders as itself, on one line.
 */
export function escapeMarkdown(s: string): string {
  const flat = s.replace(/[\r\n]+/g, " ");
  return flat
    .replace(/[\\`*_{}[\]#|$~!]/g, (c) => `\\${c}`)
    .replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"))
    .replace(/^(\s*)([-+=])/, "$1\\$2")
    .replace(/^(\s*)(\d+)([.)])/, "$1$2\\$3");
}
