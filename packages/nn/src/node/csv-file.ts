/**
 * CSV files on disk, read a chunk at a time and parsed by the main entry's `parseCsvChunks`: a
 * file that is not CSV (one 200 MB line, a binary file, a device that never ends) fails at its
 * first overlong line, in bounded memory, without being read whole.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type Graph, inputIds, nameOf, show, targetIds } from "@chainrule/core";
import { named } from "../check.js";
import { type CsvData, type CsvOptions, parseCsvChunks } from "../data/csv.js";
import { FileError, OptionError } from "../errors.js";
import { readText } from "./files.js";

/** Bytes read from a file at a time. */
const CHUNK = 1 << 20;

/** Reads a CSV file into a batch for a graph's inputs and targets. */
export function readCsvFile(path: string, graph: Graph, options: CsvOptions = {}): CsvData {
  return readCsvShape(path, inputIds(graph).length, targetIds(graph).length, options);
}

/**
 * Reads a CSV file for n inputs and k outputs, a chunk at a time: a file that is not CSV fails
 * at its first overlong line, without being read whole.
 */
export function readCsvShape(path: string, n: number, k: number, options: CsvOptions = {}): CsvData {
  if (typeof path !== "string" || path.length === 0)
    throw new OptionError(`A data file path is a non-empty string; got ${show(path)}.`, path);
  // the generator opens the file on the first chunk asked for: n, k and options are checked first
  return parseCsvChunks(fileChunks(path), n, k, path, options);
}

/** The text of a file, a chunk at a time (UTF-8; a sequence split between chunks is kept whole). */
function* fileChunks(path: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new TextDecoder("utf-8");
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw unreadable(path, e);
      }
      if (got === 0) break;
      yield decoder.decode(buf.subarray(0, got), { stream: true });
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** The FileError for a file that cannot be opened or read, in the words of {@link readText}. */
function unreadable(path: string, e: unknown): FileError {
  const code = (e as { code?: unknown }).code;
  // readText words the reason (missing, a folder, no permission) and throws it; it reads only
  // what it can open, and this path could not be opened or read
  if (code === "ENOENT" || code === "EACCES" || code === "EPERM" || code === "ENOTDIR" || code === "EISDIR") {
    try {
      readText(path, "data file");
    } catch (f) {
      if (f instanceof FileError) return named(f, path);
    }
  }
  return new FileError(
    path,
    `Cannot read the data file ${nameOf(path)}: ${e instanceof Error ? show((e.message.split("\n")[0] ?? "").replaceAll(path, "…"), 120).slice(1, -1) : "read error"}. Check the path.`,
  );
}
