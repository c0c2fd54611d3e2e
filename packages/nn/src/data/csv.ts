/**
 * CSV data for a network: a header `x1,…,xn,y1,…,yk` (targets as numbers) or `x1,…,xn,label`
 * (one class label per row, one-hot encoded; with one output the label is the target, 0 or 1),
 * or — where targets are optional, as for predictions — just `x1,…,xn`. Every error names the
 * line and the column, and quotes at most a few dozen characters of the file.
 *
 * Files are read in chunks, line by line: a line longer than {@link CSV_MAX_LINE} characters or a
 * cell longer than {@link CSV_MAX_CELL} is an error as soon as it is seen, so a file that is not
 * CSV (one 200 MB line, a binary file, a device that never ends) fails quickly in bounded memory.
 * Lines end with LF, CRLF or a lone CR; a UTF-8 byte-order mark at the start is skipped.
 *
 * This module parses text (whole, or chunk by chunk with {@link parseCsvChunks}); reading files
 * (`readCsvFile`, `readCsvShape`) is in `@chainrule/nn/node`.
 */
import { type Graph, inputIds, kindOf, nameOf, quote, show, targetIds } from "@chainrule/core";
import { DataError, OptionError } from "../errors.js";
import { type Dataset, dataset } from "./dataset.js";

/** How the targets of a CSV file were given. */
export type TargetKind = "values" | "labels" | "none";

/** Parsed CSV data: a dataset plus how its targets were written. */
export interface CsvData extends Dataset {
  readonly targets: TargetKind;
}

/** The longest line a CSV file may have, in characters (default of {@link CsvOptions.maxLineLength}). */
export const CSV_MAX_LINE = 4_194_304;
/** The longest cell, in characters: room for any number or class name (default of {@link CsvOptions.maxCellLength}). */
export const CSV_MAX_CELL = 1024;

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Class names for string labels (class c is output c + 1; with one output, two names for 0 and 1). */
  readonly classes?: readonly string[];
  /** Accept files without target columns (their targets are zeros; default false). */
  readonly targetsOptional?: boolean;
  /** The longest line accepted, in characters (default {@link CSV_MAX_LINE}). */
  readonly maxLineLength?: number;
  /** The longest cell accepted, in characters (default {@link CSV_MAX_CELL}). */
  readonly maxCellLength?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BREAK = /[\r\n]/g;

/** Parses CSV text into a batch for a graph's inputs and targets. */
export function parseCsv(text: string, graph: Graph, source = "data", options: CsvOptions = {}): CsvData {
  return parseCsvShape(text, inputIds(graph).length, targetIds(graph).length, source, options);
}

/** Parses CSV text for n inputs and k outputs. */
export function parseCsvShape(text: string, n: number, k: number, source = "data", options: CsvOptions = {}): CsvData {
  if (typeof text !== "string") throw new OptionError(`CSV text must be a string; got ${kindOf(text)}.`, text);
  return parseCsvChunks([text], n, k, source, options);
}

/**
 * Parses CSV text that arrives in pieces (a file read a chunk at a time, a stream's strings) for
 * n inputs and k outputs: a text that is not CSV fails at its first overlong line or cell, before
 * the rest is asked for. A piece may end anywhere, even inside a line or between CR and LF.
 */
export function parseCsvChunks(
  chunks: Iterable<string>,
  n: number,
  k: number,
  source = "data",
  options: CsvOptions = {},
): CsvData {
  if (
    typeof chunks !== "object" ||
    chunks === null ||
    typeof (chunks as Partial<Iterable<string>>)[Symbol.iterator] !== "function"
  ) {
    throw new OptionError(
      `CSV pieces are an iterable of strings (an array, a generator); got ${kindOf(chunks)}.`,
      chunks,
    );
  }
  const reader = new CsvReader(n, k, nameOf(sourceName(source)), options);
  eachLine(strings(chunks), reader.maxLine, reader.source, (line, no) => reader.line(line, no));
  return reader.finish();
}

/** The pieces of {@link parseCsvChunks}, each checked to be a string. */
function* strings(chunks: Iterable<unknown>): Generator<string> {
  for (const c of chunks) {
    if (typeof c !== "string") throw new OptionError(`CSV pieces are strings; got ${kindOf(c)}.`, c);
    yield c;
  }
}

function sourceName(source: unknown): string {
  return typeof source === "string" && source.length > 0 ? source : "data";
}

/**
 * Calls `line` for each line of the text in `chunks` (1-based line numbers; LF, CRLF and lone CR
 * end lines; a leading byte-order mark is dropped). A line longer than `max` is a DataError as
 * soon as its first `max + 1` characters have been seen.
 */
function eachLine(
  chunks: Iterable<string>,
  max: number,
  source: string,
  line: (text: string, no: number) => void,
): void {
  let carry = "";
  let no = 1;
  let first = true;
  let afterCR = false;
  const tooLong = (): never => {
    throw new DataError(
      source,
      `Line ${no} is longer than ${max} characters, the limit for one line: this does not look like CSV (one example per line, cells separated by commas).`,
      { line: no, column: max + 1 },
    );
  };
  for (let chunk of chunks) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = chunk.length === 0;
    }
    let start = 0;
    // a CRLF split between two chunks
    if (afterCR && chunk.charCodeAt(0) === 10) start = 1;
    afterCR = false;
    for (;;) {
      BREAK.lastIndex = start;
      const m = BREAK.exec(chunk);
      if (m === null) {
        if (carry.length + chunk.length - start > max) tooLong();
        carry += chunk.slice(start);
        break;
      }
      const at = m.index;
      if (carry.length + at - start > max) tooLong();
      const text = carry.length === 0 ? chunk.slice(start, at) : carry + chunk.slice(start, at);
      carry = "";
      line(text, no);
      no++;
      if (chunk.charCodeAt(at) === 13) {
        if (at + 1 === chunk.length) afterCR = true;
        else if (chunk.charCodeAt(at + 1) === 10) {
          start = at + 2;
          continue;
        }
      }
      start = at + 1;
    }
  }
  if (carry.length > 0) line(carry, no);
}

/**
 * The cells of one CSV line: commas separate cells, a cell in double quotes may hold commas, and
 * "" inside quotes is one quote character. The quotes themselves are not part of the cell. Cells
 * are sliced out of the line, never built a character at a time; a cell longer than
 * `maxCellLength` characters is a DataError.
 */
export function splitCsvLine(line: string, maxCellLength = CSV_MAX_CELL): string[] {
  if (typeof line !== "string") throw new OptionError(`A CSV line is a string; got ${kindOf(line)}.`, line);
  return cellsOf(line, limit(maxCellLength, CSV_MAX_CELL, "maxCellLength"), "CSV line", 1);
}

function cellsOf(line: string, max: number, source: string, no: number): string[] {
  const cells: string[] = [];
  const n = line.length;
  const tooLong = (length: number): never => {
    throw new DataError(
      source,
      `Cell ${cells.length + 1} is ${length > 10 * max ? "far " : ""}longer than ${max} characters, the limit for a cell (a number or a class name): is this a CSV file?`,
      { line: no, column: cells.length + 1 },
    );
  };
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9)) j++;
    if (j < n && line.charCodeAt(j) === 34) {
      // "…": pieces between quotes, "" as one quote
      const parts: string[] = [];
      let size = 0;
      let p = j + 1;
      let end = -1;
      while (end < 0) {
        const q = line.indexOf('"', p);
        if (q < 0) {
          throw new DataError(
            source,
            `The quote that opens cell ${cells.length + 1} is not closed; end the cell with " (write "" for a quote inside it).`,
            { line: no, column: cells.length + 1 },
          );
        }
        size += q - p;
        if (size > max) tooLong(size);
        parts.push(line.slice(p, q));
        if (line.charCodeAt(q + 1) === 34) {
          parts.push('"');
          size++;
          p = q + 2;
        } else end = q + 1;
      }
      // text after the closing quote, up to the next comma, belongs to the cell
      const comma = line.indexOf(",", end);
      const stop = comma < 0 ? n : comma;
      if (size + stop - end > max) tooLong(size + stop - end);
      if (stop > end) parts.push(line.slice(end, stop));
      cells.push(parts.join(""));
      if (comma < 0) return cells;
      i = comma + 1;
      continue;
    }
    const comma = line.indexOf(",", i);
    const stop = comma < 0 ? n : comma;
    if (stop - i > max) tooLong(stop - i);
    cells.push(line.slice(i, stop));
    if (comma < 0) return cells;
    i = comma + 1;
  }
}

/** A whole-number limit option, or its default. */
function limit(v: unknown, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new OptionError(`${name} must be a whole number ≥ 1; got ${show(v)}.`, v);
  return v;
}

/** "x1,x2,x3" — or "x1,x2,…,x784" for many: a message names the pattern, not every column. */
const listed = (prefix: string, count: number) =>
  count <= 6
    ? Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(",")
    : `${prefix}1,${prefix}2,…,${prefix}${count}`;

function expected(n: number, k: number): string {
  const xs = listed("x", n);
  return `"${xs},${listed("y", k)}" or "${xs},label"`;
}

/** The widest data a CSV file may describe. */
const MAX_COLUMNS = 10_000_000;

/** "x1…x3" (or "x1" alone). */
const span = (prefix: string, count: number) => (count === 1 ? `${prefix}1` : `${prefix}1…${prefix}${count}`);

/**
 * The shape a header describes, when it is one of the forms (x1…xp then y1…yq, label, or
 * nothing): how many inputs and targets the data has.
 */
function headerShape(header: readonly string[]): { inputs: number; targets: number | "label" } | null {
  let p = 0;
  while (p < header.length && header[p] === `x${p + 1}`) p++;
  if (p === 0) return null;
  const rest = header.slice(p);
  if (rest.length === 0) return { inputs: p, targets: 0 };
  if (rest.length === 1 && rest[0] === "label") return { inputs: p, targets: "label" };
  if (rest.every((c, i) => c === `y${i + 1}`)) return { inputs: p, targets: rest.length };
  return null;
}

/** One CSV file being read: the header, then one example per line. */
class CsvReader {
  readonly source: string;
  readonly maxLine: number;
  private readonly maxCell: number;
  private readonly classes: readonly string[] | undefined;
  private readonly optional: boolean;
  private header: string[] | null = null;
  private kind: TargetKind = "values";
  private readonly x: number[] = [];
  private readonly y: number[] = [];
  private m = 0;

  constructor(
    private readonly n: number,
    private readonly k: number,
    source: string,
    options: CsvOptions,
  ) {
    for (const [name, v] of [
      ["inputs", n],
      ["outputs", k],
    ] as const) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_COLUMNS)
        throw new OptionError(`The number of ${name} is a whole number from 1 to ${MAX_COLUMNS}; got ${show(v)}.`, v);
    }
    if (typeof options !== "object" || options === null)
      throw new OptionError(`CSV options are an object; got ${kindOf(options)}.`, options);
    this.source = source;
    this.maxLine = limit(options.maxLineLength, CSV_MAX_LINE, "maxLineLength");
    this.maxCell = limit(options.maxCellLength, CSV_MAX_CELL, "maxCellLength");
    const classes = options.classes;
    if (classes !== undefined && (!Array.isArray(classes) || !classes.every((c) => typeof c === "string"))) {
      throw new OptionError(`Class names are a list of strings; got ${show(classes)}.`, classes);
    }
    this.classes = classes;
    this.optional = options.targetsOptional === true;
  }

  line(text: string, no: number): void {
    if (text.trim() === "") return;
    const cells = cellsOf(text, this.maxCell, this.source, no);
    if (this.header === null) {
      this.header = cells.map((c) => c.trim());
      this.kind = this.headerKind(text, no);
      return;
    }
    const cols = this.header.length;
    if (cells.length !== cols) {
      throw new DataError(this.source, `Expected ${cols} cells like the header, found ${cells.length}.`, {
        line: no,
        column: Math.min(cells.length, cols) + (cells.length < cols ? 0 : 1),
      });
    }
    const { n, k } = this;
    for (let c = 0; c < cols; c++) {
      const cell = cells[c]!.trim();
      const at = { line: no, column: c + 1 };
      if (this.kind === "labels" && c === n) {
        this.y.push(...this.oneHot(cell, at));
        continue;
      }
      if (!NUMBER.test(cell))
        throw new DataError(this.source, `${quote(cell)} in column ${this.header[c]} is not a number.`, at, cell);
      const v = Number(cell);
      if (!Number.isFinite(v))
        throw new DataError(
          this.source,
          `${quote(cell)} in column ${this.header[c]} is too large for a 64-bit float.`,
          at,
          cell,
        );
      (c < n ? this.x : this.y).push(v);
    }
    if (this.kind === "none") for (let j = 0; j < k; j++) this.y.push(0);
    this.m++;
  }

  finish(): CsvData {
    const { n, k, m, source } = this;
    if (this.header === null)
      throw new DataError(
        source,
        `The file is empty; it needs a header line ${expected(n, k)} and one line per example.`,
      );
    if (m === 0) throw new DataError(source, `There are no examples after the header; add one line per example.`);
    const names =
      this.kind === "labels"
        ? (this.classes ?? (k === 1 ? ["0", "1"] : Array.from({ length: k }, (_, i) => String(i))))
        : undefined;
    const d = dataset(source, { m, x: Float64Array.from(this.x), y: Float64Array.from(this.y) }, n, k, names);
    return { ...d, targets: this.kind };
  }

  /** Which header this is; a header of another shape says what the data has and what the network expects. */
  private headerKind(text: string, no: number): TargetKind {
    const { n, k } = this;
    const header = this.header!;
    // x1…xn first, then y1…yk, "label" or nothing (compared in place: n may be large)
    let inputs = header.length >= n;
    for (let i = 0; inputs && i < n; i++) inputs = header[i] === `x${i + 1}`;
    if (inputs) {
      let values = header.length === n + k;
      for (let j = 0; values && j < k; j++) values = header[n + j] === `y${j + 1}`;
      if (values) return "values";
      if (header.length === n + 1 && header[n] === "label") return "labels";
      if (this.optional && header.length === n) return "none";
    }
    const at = { line: no, column: 1 };
    const or = this.optional ? ` (or just ${listed("x", n)})` : "";
    const shape = headerShape(header);
    if (shape !== null) {
      const problems: string[] = [];
      if (shape.inputs !== n)
        problems.push(
          `the data has ${shape.inputs} ${shape.inputs === 1 ? "column" : "columns"} of inputs (${span("x", shape.inputs)}), the model expects ${n}`,
        );
      if (typeof shape.targets === "number" && shape.targets > 0 && shape.targets !== k) {
        problems.push(
          `the data has ${shape.targets} ${shape.targets === 1 ? "column" : "columns"} of targets (${span("y", shape.targets)}), the model has ${k} ${k === 1 ? "output" : "outputs"}`,
        );
      }
      if (shape.targets === 0 && !this.optional)
        problems.push(`the data has no targets (give y1…yk or a label column)`);
      if (problems.length > 0) {
        throw new DataError(
          this.source,
          `${problems.join("; ")}. A network with ${n} inputs and ${k} ${k === 1 ? "output" : "outputs"} reads ${expected(n, k)}${or}.`,
          at,
        );
      }
    }
    throw new DataError(
      this.source,
      `The header is ${quote(text.trim())}; a network with ${n} inputs and ${k} outputs needs ${expected(n, k)}${or}.`,
      at,
    );
  }

  /** The one-hot row of a label (k = 1: the label itself, 0 or 1). */
  private oneHot(cell: string, at: { line: number; column: number }): number[] {
    const { k, classes } = this;
    const count = k === 1 ? 2 : k;
    let c = -1;
    if (classes?.includes(cell)) c = classes.indexOf(cell);
    else if (/^\d+$/.test(cell) && Number(cell) < count) c = Number(cell);
    if (c < 0) {
      const names =
        classes !== undefined
          ? `one of ${classes
              .slice(0, 10)
              .map((s) => quote(s, 40))
              .join(", ")}${classes.length > 10 ? ", …" : ""} or `
          : "";
      throw new DataError(
        this.source,
        `The label ${quote(cell)} is not a class: use ${names}a whole number 0…${count - 1} (${count} classes).`,
        at,
        cell,
      );
    }
    if (k === 1) return [c];
    const row = new Array<number>(k).fill(0);
    row[c] = 1;
    return row;
  }
}

/** Writes a batch as CSV with the `x1,…,xn,y1,…,yk` header (numbers round-trip exactly). */
export function formatCsv(batch: { m: number; x: Float64Array; y: Float64Array }, n: number, k: number): string {
  const ok =
    typeof batch === "object" &&
    batch !== null &&
    Number.isInteger(batch.m) &&
    batch.m >= 0 &&
    Number.isInteger(n) &&
    n >= 1 &&
    n <= MAX_COLUMNS &&
    Number.isInteger(k) &&
    k >= 1 &&
    k <= MAX_COLUMNS &&
    (batch.x instanceof Float64Array || Array.isArray(batch.x)) &&
    (batch.y instanceof Float64Array || Array.isArray(batch.y)) &&
    batch.x.length === batch.m * n &&
    batch.y.length === batch.m * k;
  if (!ok)
    throw new OptionError(
      `formatCsv needs a batch { m, x, y } with m·n inputs and m·k targets; got ${show(batch, 60)} with n = ${show(n)}, k = ${show(k)}.`,
      batch,
    );
  const head = [
    ...Array.from({ length: n }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: k }, (_, j) => `y${j + 1}`),
  ].join(",");
  const rows: string[] = [head];
  for (let e = 0; e < batch.m; e++) {
    const cells: string[] = [];
    for (let i = 0; i < n; i++) cells.push(numberText(batch.x[e * n + i]!));
    for (let j = 0; j < k; j++) cells.push(numberText(batch.y[e * k + j]!));
    rows.push(cells.join(","));
  }
  return `${rows.join("\n")}\n`;
}

/** The shortest text that reads back as the same double (−0 included). */
export function numberText(v: number): string {
  if (typeof v !== "number") throw new OptionError(`numberText takes a number; got ${kindOf(v)}.`, v);
  return Object.is(v, -0) ? "-0" : String(v);
}
