/**
 * The document model every target renders: headings, paragraphs of prose and inline math,
 * `align*` equation groups, lists and figures. Sections build blocks; LaTeX, Markdown and HTML
 * render them. Prose written by the library may embed math between `$` signs ({@link prose});
 * user-supplied text goes in through {@link text} and is escaped by each target.
 */

/** A piece of a paragraph. */
export type Inline =
  /** Prose, escaped by each target. */
  | { readonly kind: "text"; readonly text: string }
  /** Inline math (LaTeX). */
  | { readonly kind: "math"; readonly latex: string }
  /** Emphasised prose. */
  | { readonly kind: "strong"; readonly text: string };

/** A block of a document. */
export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: "paragraph"; readonly content: readonly Inline[] }
  /** A remark set apart (e.g. where the library differs from the post). */
  | { readonly kind: "note"; readonly content: readonly Inline[] }
  /** Rows of an `align*` environment (each may hold `&` alignment points). */
  | { readonly kind: "equations"; readonly rows: readonly string[] }
  | { readonly kind: "list"; readonly ordered: boolean; readonly items: readonly (readonly Inline[])[] }
  /** A figure in two spellings: SVG for HTML and Markdown, TikZ for LaTeX. */
  | {
      readonly kind: "figure";
      readonly svg: string;
      readonly tikz: string;
      readonly file: string;
      readonly caption: readonly Inline[];
    };

/** A derivation document. */
export interface DerivationDocument {
  /** The title (user text: escaped by each target). */
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** User text as an inline piece (escaped by each target). */
export function text(s: string): Inline {
  return { kind: "text", text: s };
}

/** Inline math. */
export function math(latex: string): Inline {
  return { kind: "math", latex };
}

/**
 * The library's own prose with inline math between `$` signs: "the weight $\\theta_{11}$".
 * Never pass user text here — use {@link text}.
 */
export function prose(s: string): Inline[] {
  const parts = s.split("$");
  const out: Inline[] = [];
  parts.forEach((p, i) => {
    if (p === "") return;
    out.push(i % 2 === 1 ? math(p) : text(p));
  });
  return out;
}

/** A paragraph from pieces: strings are the library's prose (with `$…$` math), Inline as given. */
export function para(...pieces: readonly (string | Inline | readonly Inline[])[]): Block {
  return {
    kind: "paragraph",
    content: pieces.flatMap((p) => (typeof p === "string" ? prose(p) : Array.isArray(p) ? p : [p as Inline])),
  };
}

/** A note block, built like {@link para}. */
export function note(...pieces: readonly (string | Inline | readonly Inline[])[]): Block {
  const p = para(...pieces);
  return { kind: "note", content: p.kind === "paragraph" ? p.content : [] };
}

/** A heading. */
export function heading(level: 1 | 2 | 3, s: string): Block {
  return { kind: "heading", level, text: s };
}

/** An equation group; empty groups are dropped by the targets. */
export function equations(rows: readonly string[]): Block {
  return { kind: "equations", rows };
}

/** A list whose items are the library's prose (with `$…$` math) or inline pieces. */
export function list(ordered: boolean, items: readonly (string | readonly Inline[])[]): Block {
  return { kind: "list", ordered, items: items.map((i) => (typeof i === "string" ? prose(i) : i)) };
}

/** Every math string of a document: inline math and each equation group as one `aligned` block. */
export function mathOf(doc: DerivationDocument): string[] {
  const out: string[] = [];
  const inl = (c: readonly Inline[]) => {
    for (const i of c) if (i.kind === "math") out.push(i.latex);
  };
  for (const b of doc.blocks) {
    if (b.kind === "paragraph" || b.kind === "note") inl(b.content);
    else if (b.kind === "list") b.items.forEach(inl);
    else if (b.kind === "figure") inl(b.caption);
    else if (b.kind === "equations" && b.rows.length > 0) out.push(alignedBlock(b.rows));
  }
  return out;
}

/** Rows as one `aligned` environment (what KaTeX and Markdown renderers display). */
export function alignedBlock(rows: readonly string[]): string {
  return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
}
