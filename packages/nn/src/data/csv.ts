/**
 * CSV data for a network: a header `x1,…,xn,y1,…,yk` (targets as numbers) or `x1,…,xn,label`
 * (one class label per row, one-hot encoded; with one output the label is the target, 0 or 1),
 * or — where targets are optional, as for predictions — just `x1,…,xn`. Every error names the
 * line and the column.
 */
import { inputIds, targetIds, type Graph } from "@chainrule/core";
import { DataError } from "../errors.js";
import { readText } from "../io/files.js";
import { dataset, type Dataset } from "./dataset.js";

/** How the targets of a CSV file were given. */
export type TargetKind = "values" | "labels" | "none";

/** Parsed CSV data: a dataset plus how its targets were written. */
export interface CsvData extends Dataset {
  readonly targets: TargetKind;
}

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Class names for string labels (class c is output c + 1; with one output, two names for 0 and 1). */
  readonly classes?: readonly string[];
  /** Accept files without target columns (their targets are zeros; default false). */
  readonly targetsOptional?: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses CSV text into a batch for a graph's inputs and targets. */
export function parseCsv(text: string, graph: Graph, source = "data", options: CsvOptions = {}): CsvData {
  return parseCsvShape(text, inputIds(graph).length, targetIds(graph).length, source, options);
}

/** Reads a CSV file into a batch for a graph's inputs and targets. */
export function readCsvFile(path: string, graph: Graph, options: CsvOptions = {}): CsvData {
  return parseCsv(readText(path, "data file"), graph, path, options);
}

/** Parses CSV text for n inputs and k outputs. */
export function parseCsvShape(text: string, n: number, k: number, source = "data", options: CsvOptions = {}): CsvData {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === "") h++;
  if (h === lines.length) throw new DataError(source, `The file is empty; it needs a header line ${expected(n, k)} and one line per example.`);
  const header = splitCsvLine(lines[h]!).map((c) => c.trim());
  const xs = Array.from({ length: n }, (_, i) => `x${i + 1}`);
  const ys = Array.from({ length: k }, (_, i) => `y${i + 1}`);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  let kind: TargetKind;
  if (same(header, [...xs, ...ys])) kind = "values";
  else if (same(header, [...xs, "label"])) kind = "labels";
  else if (options.targetsOptional === true && same(header, xs)) kind = "none";
  else {
    throw new DataError(source, `The header is "${header.join(",")}"; a network with ${n} inputs and ${k} outputs needs ${expected(n, k)}${options.targetsOptional === true ? ` (or just ${xs.join(",")})` : ""}.`, { line: h + 1, column: 1 });
  }
  const classes = options.classes;
  const cols = header.length;
  const x: number[] = [];
  const y: number[] = [];
  let m = 0;
  for (let li = h + 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === "") continue;
    const cells = splitCsvLine(line);
    if (cells.length !== cols) {
      throw new DataError(source, `Expected ${cols} cells like the header, found ${cells.length}.`, { line: li + 1, column: Math.min(cells.length, cols) + (cells.length < cols ? 0 : 1) });
    }
    for (let c = 0; c < cols; c++) {
      const cell = cells[c]!.trim();
      const at = { line: li + 1, column: c + 1 };
      if (kind === "labels" && c === n) {
        y.push(...oneHot(cell, k, classes, source, at));
        continue;
      }
      if (!NUMBER.test(cell)) {
        throw new DataError(source, `"${cell}" in column ${header[c]} is not a number.`, at, cell);
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) throw new DataError(source, `"${cell}" in column ${header[c]} is too large for a 64-bit float.`, at, cell);
      (c < n ? x : y).push(v);
    }
    if (kind === "none") for (let j = 0; j < k; j++) y.push(0);
    m++;
  }
  if (m === 0) throw new DataError(source, `There are no examples after the header; add one line per example.`);
  const names = kind === "labels" ? (classes ?? (k === 1 ? ["0", "1"] : Array.from({ length: k }, (_, i) => String(i)))) : undefined;
  const d = dataset(source, { m, x: Float64Array.from(x), y: Float64Array.from(y) }, n, k, names);
  return { ...d, targets: kind };
}

/**
 * The cells of one CSV line: commas separate cells, a cell in double quotes may hold commas, and
 * "" inside quotes is one quote character. The quotes themselves are not part of the cell.
 */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function expected(n: number, k: number): string {
  const xs = Array.from({ length: n }, (_, i) => `x${i + 1}`).join(",");
  const ys = Array.from({ length: k }, (_, i) => `y${i + 1}`).join(",");
  return `"${xs},${ys}" or "${xs},label"`;
}

/** The one-hot row of a label (k = 1: the label itself, 0 or 1). */
function oneHot(cell: string, k: number, classes: readonly string[] | undefined, source: string, at: { line: number; column: number }): number[] {
  const count = k === 1 ? 2 : k;
  let c = -1;
  if (classes !== undefined && classes.includes(cell)) c = classes.indexOf(cell);
  else if (/^\d+$/.test(cell) && Number(cell) < count) c = Number(cell);
  if (c < 0) {
    const names = classes !== undefined ? `one of ${classes.map((s) => `"${s}"`).join(", ")} or ` : "";
    throw new DataError(source, `The label "${cell}" is not a class: use ${names}a whole number 0…${count - 1} (${count} classes).`, at, cell);
  }
  if (k === 1) return [c];
  const row = new Array<number>(k).fill(0);
  row[c] = 1;
  return row;
}

/** Writes a batch as CSV with the `x1,…,xn,y1,…,yk` header (numbers round-trip exactly). */
export function formatCsv(batch: { m: number; x: Float64Array; y: Float64Array }, n: number, k: number): string {
  const head = [...Array.from({ length: n }, (_, i) => `x${i + 1}`), ...Array.from({ length: k }, (_, i) => `y${i + 1}`)].join(",");
  const rows: string[] = [head];
  for (let e = 0; e < batch.m; e++) {
    const cells: string[] = [];
    for (let i = 0; i < n; i++) cells.push(numberText(batch.x[e * n + i]!));
    for (let j = 0; j < k; j++) cells.push(numberText(batch.y[e * k + j]!));
    rows.push(cells.join(","));
  }
  return rows.join("\n") + "\n";
}

/** The shortest text that reads back as the same double (−0 included). */
export function numberText(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}
