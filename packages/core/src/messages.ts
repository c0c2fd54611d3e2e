/**
 * User input inside error messages. A message quotes at most {@link QUOTE_LIMIT} characters of
 * what it was given, with control characters escaped, so a 5 MB cell, a carriage-return-only file
 * or the bytes of a binary file still make one short line. Every package quotes input through
 * {@link quote} (text) or {@link show} (any value).
 */

/** The most characters of user input a message quotes. */
export const QUOTE_LIMIT = 80;

// C0 and C1 controls, DEL, the line and paragraph separators, the byte-order mark and lone
// surrogates: characters that would break a line or not show
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff"\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NAMED: { readonly [c: string]: string } = { "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

function escapeChar(c: string): string {
  return Object.hasOwn(NAMED, c) ? NAMED[c]! : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `text` with control characters, quotes and backslashes escaped as in JSON (`\n`, `\u0000`). */
export function escapeText(text: string): string {
  return typeof text === "string" ? text.replace(UNSAFE, escapeChar) : escapeText(show(text));
}

/**
 * A name the user gave — a file path, a dataset's name — as a message names it: as it is when it
 * is at most `limit` characters of plain text, else {@link quote}d (escaped, cut to 80).
 */
export function nameOf(text: string, limit = 160): string {
  if (typeof limit !== "number" || !(limit >= 8)) limit = 160;
  if (typeof text !== "string") return show(text);
  const plain =
    text.length <= limit &&
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
      text,
    );
  return plain ? text : quote(text);
}

/** 1234567 → "1,234,567". */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * User text for a message: in double quotes, escaped ({@link escapeText}), and cut to `limit`
 * characters with "…" and its full length when longer: `"aaaa…" (5,242,880 characters)`.
 */
export function quote(text: string, limit = QUOTE_LIMIT): string {
  if (typeof limit !== "number" || !(limit >= 8)) limit = QUOTE_LIMIT;
  if (typeof text !== "string") return show(text, limit);
  if (text.length <= limit) return `"${escapeText(text)}"`;
  let cut = text.slice(0, limit);
  // never split a surrogate pair
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `"${escapeText(cut)}…" (${grouped(text.length)} characters)`;
}

/**
 * Any value, short, for a message: strings quoted ({@link quote}), numbers as JavaScript writes
 * them (so NaN, Infinity and −0 show as themselves), arrays and objects in JSON-like form cut at
 * about `limit` characters with "…".
 */
export function show(value: unknown, limit = QUOTE_LIMIT): string {
  if (typeof limit !== "number" || !(limit >= 8)) limit = QUOTE_LIMIT;
  const out = { text: "", full: false };
  render(value, out, limit, 0);
  return out.full ? `${out.text}…` : out.text;
}

function render(v: unknown, out: { text: string; full: boolean }, limit: number, depth: number): void {
  const put = (s: string): boolean => {
    if (out.full) return false;
    if (out.text.length + s.length > limit) {
      out.text += s.slice(0, Math.max(0, limit - out.text.length));
      out.full = true;
      return false;
    }
    out.text += s;
    return true;
  };
  if (typeof v === "string") {
    put(quote(v, Math.max(8, limit - out.text.length - 2)));
    return;
  }
  if (typeof v === "number") {
    put(Object.is(v, -0) ? "-0" : String(v));
    return;
  }
  if (typeof v === "bigint") {
    put(`${v}n`);
    return;
  }
  if (v === null || v === undefined || typeof v === "boolean") {
    put(String(v));
    return;
  }
  if (typeof v === "function") {
    put("a function");
    return;
  }
  if (typeof v === "symbol") {
    put(quote(v.description ?? "symbol"));
    return;
  }
  if (depth >= 4) {
    put(Array.isArray(v) ? "[…]" : "{…}");
    return;
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const list = v as ArrayLike<unknown>;
    if (!put("[")) return;
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && !put(", ")) return;
      render(list[i], out, limit, depth + 1);
      if (out.full) return;
    }
    put("]");
    return;
  }
  let keys: string[];
  try {
    keys = Object.keys(v as object);
  } catch {
    put("an object");
    return;
  }
  if (!put("{")) return;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !put(", ")) return;
    if (!put(`${quote(keys[i]!, 24)}: `)) return;
    let inner: unknown;
    try {
      inner = (v as { readonly [k: string]: unknown })[keys[i]!];
    } catch {
      inner = undefined;
    }
    render(inner, out, limit, depth + 1);
    if (out.full) return;
  }
  put("}");
}

/** What kind of value this is, for "must be a number, got a string" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (ArrayBuffer.isView(value)) return "a typed array";
  switch (typeof value) {
    case "string":
      return "text";
    case "number":
      return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "a number" : String(value);
    case "object":
      return "an object";
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    default:
      return `a ${typeof value}`;
  }
}

/**
 * The known name closest to `got` (case-insensitive, at most two edits away), for "did you mean"
 * hints; undefined when none is close.
 */
export function closest(got: string, known: readonly string[]): string | undefined {
  if (typeof got !== "string" || !Array.isArray(known) || got.length > 64) return undefined;
  const g = got.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    if (typeof k !== "string") continue;
    if (Math.abs(k.length - g.length) >= bestD) continue;
    const d = editDistance(k.toLowerCase(), g);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** Levenshtein distance (strings here are short: names and what was typed for them). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
