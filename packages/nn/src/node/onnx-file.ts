/**
 * ONNX files on disk: {@link writeOnnxFile} writes a network's ONNX model atomically,
 * {@link readOnnxFile} reads one and imports its MLP (the building and reading are the main
 * entry's `exportOnnx` and `importOnnx`).
 */
import { readFileSync, statSync } from "node:fs";
import { kindOf, nameOf, show } from "@chainrule/core";
import { FileError, OnnxError, OptionError } from "../errors.js";
import type { Network } from "../network.js";
import { exportOnnx, type OnnxExportOptions } from "../onnx/export.js";
import { type ImportedOnnx, importOnnx, type OnnxImportOptions } from "../onnx/import.js";
import { type OutputOptions, writeFileAtomic } from "./atomic.js";
import { reason } from "./files.js";

/** The largest ONNX file read: a model at the 50,000,000-parameter limit in float64, with room. */
export const MAX_ONNX_BYTES = 2 ** 30;

/** Writes the network's ONNX model (see `exportOnnx`) atomically: the complete file or nothing. */
export function writeOnnxFile(
  path: string,
  net: Network,
  options: OnnxExportOptions = {},
  output: OutputOptions = {},
): Uint8Array {
  const bytes = exportOnnx(net, options);
  writeFileAtomic(path, bytes, output);
  return bytes;
}

/** The bytes of an ONNX file, or a FileError naming the file and the problem. */
export function readOnnxBytes(path: string): Uint8Array {
  if (typeof path !== "string" || path.length === 0)
    throw new OptionError(`An ONNX file path is a non-empty string; got ${kindOf(path)} ${show(path)}.`, path);
  let size = 0;
  try {
    const st = statSync(path);
    if (st.isFile()) size = st.size;
  } catch {
    // reading says what is wrong with the path
  }
  if (size > MAX_ONNX_BYTES)
    throw new OnnxError(
      nameOf(path),
      `the file is ${Math.round(size / 2 ** 20)} MB; an ONNX file chainrule reads is at most ${MAX_ONNX_BYTES / 2 ** 20} MB.`,
    );
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FileError(path, `Cannot read the ONNX file ${nameOf(path)}: ${reason(e)}. Check the path.`, "read");
  }
}

/** Reads an ONNX file and imports the MLP it holds (see `importOnnx`). */
export function readOnnxFile(path: string, options: OnnxImportOptions = {}): ImportedOnnx {
  return importOnnx(readOnnxBytes(path), nameOf(path), options);
}
