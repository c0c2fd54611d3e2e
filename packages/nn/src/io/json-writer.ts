/**
 * A JSON writer for model files: readable (one matrix row per line) and exact — every number is
 * written as the shortest text that reads back as the same 64-bit double, including −0, which
 * JSON.stringify would write as 0.
 */
import { numberText } from "../data/csv.js";

/** A value the writer accepts. */
export type JsonValue = number | string | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

const flat = (v: JsonValue): boolean => typeof v !== "object" || v === null;

/** JSON text of a value; arrays of plain values stay on one line, nested arrays and objects indent. */
export function writeJson(value: JsonValue, indent = ""): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`chainrule: JSON cannot hold ${value}`);
    return numberText(value);
  }
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    const arr = value as readonly JsonValue[];
    if (arr.length === 0) return "[]";
    if (arr.every(flat)) return `[${arr.map((v) => writeJson(v)).join(", ")}]`;
    return `[\n${arr.map((v) => inner + writeJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: JsonValue | undefined }).filter((e): e is [string, JsonValue] => e[1] !== undefined);
  if (entries.length === 0) return "{}";
  if (entries.every(([, v]) => flat(v)) && entries.length <= 6) {
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${writeJson(v)}`).join(", ")} }`;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${writeJson(v, inner)}`).join(",\n")}\n${indent}}`;
}
