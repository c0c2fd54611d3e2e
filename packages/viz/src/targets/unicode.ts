/**
 * The notations as plain Unicode text, for terminals and logs: θ⁽¹⁾₁₁, z⁽²⁾₁, W^[2]₁₂, w³₁₂.
 * The names are the LaTeX notation tables' own (one source for both), turned into text: Greek
 * macros become letters, a superscript or subscript becomes Unicode super- or subscript characters
 * when every character has one (digits, signs, parentheses, a few letters), and stays written out
 * as ^[…] or _(…) when one has none (Ng's W^[2]: there is no superscript bracket).
 */
import type { Graph } from "@chainrule/core";
import type { NotationName } from "../latex/notation.js";
import { LatexPrinter } from "../latex/printer.js";

const SUPERSCRIPT: { readonly [c: string]: string } = {
  ...digits("⁰¹²³⁴⁵⁶⁷⁸⁹"),
  "+": "⁺",
  "-": "⁻",
  "=": "⁼",
  "(": "⁽",
  ")": "⁾",
  i: "ⁱ",
  j: "ʲ",
  k: "ᵏ",
  l: "ˡ",
  n: "ⁿ",
  L: "ᴸ",
  T: "ᵀ",
  "′": "′",
};

const SUBSCRIPT: { readonly [c: string]: string } = {
  ...digits("₀₁₂₃₄₅₆₇₈₉"),
  "+": "₊",
  "-": "₋",
  "=": "₌",
  "(": "₍",
  ")": "₎",
  ",": ",",
  a: "ₐ",
  e: "ₑ",
  h: "ₕ",
  i: "ᵢ",
  j: "ⱼ",
  k: "ₖ",
  l: "ₗ",
  m: "ₘ",
  n: "ₙ",
  o: "ₒ",
  p: "ₚ",
  r: "ᵣ",
  s: "ₛ",
  t: "ₜ",
  u: "ᵤ",
  v: "ᵥ",
  x: "ₓ",
};

function digits(chars: string): { [c: string]: string } {
  return Object.fromEntries([...chars].map((c, d) => [String(d), c]));
}

/** Macros the notations and their formulas use, as text. */
const MACROS: { readonly [name: string]: string } = {
  theta: "θ",
  Theta: "Θ",
  delta: "δ",
  sigma: "σ",
  eta: "η",
  alpha: "α",
  lambda: "λ",
  partial: "∂",
  prime: "′",
  cdot: "·",
  odot: "⊙",
  sum: "Σ",
  left: "",
  right: "",
  textstyle: "",
  ",": " ",
  ";": " ",
  " ": " ",
};

/** Macros whose one argument is printed as it is (\mathsf{T} → T). */
const WRAPPERS = new Set(["mathsf", "mathrm", "mathbf", "boldsymbol", "operatorname", "text"]);

/** The group `{…}` starting at `at` (which holds "{"): its inside and the index after it. */
function group(s: string, at: number): { inside: string; end: number } {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return { inside: s.slice(at + 1, i), end: i + 1 };
  }
  return { inside: s.slice(at + 1), end: s.length };
}

/** A script's text: in script characters when each has one, else written out with its marker. */
function script(text: string, table: { readonly [c: string]: string }, marker: "^" | "_"): string {
  const chars = [...text];
  if (chars.length > 0 && chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join("");
  if (text.length === 1) return `${marker}${text}`;
  return text.startsWith("[") || text.startsWith("(") ? `${marker}${text}` : `${marker}(${text})`;
}

/**
 * LaTeX math of the kind the notations and derivations print (symbols with scripts, Greek
 * letters, \left( … \right), \frac is not among them) as Unicode text.
 */
export function latexToUnicode(latex: string): string {
  let out = "";
  let i = 0;
  while (i < latex.length) {
    const c = latex[i]!;
    if (c === "\\") {
      const m = /^\\([A-Za-z]+|.)/.exec(latex.slice(i));
      const name = m?.[1] ?? "";
      i += 1 + name.length;
      if (WRAPPERS.has(name) && latex[i] === "{") {
        const g = group(latex, i);
        out += latexToUnicode(g.inside);
        i = g.end;
      } else out += MACROS[name] ?? name;
    } else if (c === "^" || c === "_") {
      let arg: string;
      if (latex[i + 1] === "{") {
        const g = group(latex, i + 1);
        arg = latexToUnicode(g.inside);
        i = g.end;
      } else if (latex[i + 1] === "\\") {
        const m = /^\\([A-Za-z]+|.)/.exec(latex.slice(i + 1));
        const name = m?.[1] ?? "";
        arg = MACROS[name] ?? name;
        i += 2 + name.length;
      } else {
        arg = latex[i + 1] ?? "";
        i += 2;
      }
      out += c === "^" ? script(arg, SUPERSCRIPT, "^") : script(arg, SUBSCRIPT, "_");
    } else if (c === "{" || c === "}") i++;
    else {
      out += c === "'" ? "′" : c;
      i++;
    }
  }
  return out;
}

/**
 * A graph node's name in a notation as Unicode text: θ⁽¹⁾₁₁ for the post's weight into neuron 1
 * of layer 2 from neuron 1 of layer 1, W^[1]₁₁ in Ng's, w²₁₁ in Nielsen's; the cost as its letter
 * (J, or C in Nielsen's); a node without a layer label by its id.
 */
export function unicodeName(graph: Graph, id: string, notation: NotationName = "post"): string {
  const printer = new LatexPrinter(graph, { notation });
  const node = graph.nodes[id];
  if (node === undefined) return id;
  if (node.kind === "cost") return latexToUnicode(printer.notation.cost).replace(/\(.*\)$/, "");
  if (node.label === undefined) return id;
  return latexToUnicode(printer.node(id));
}
