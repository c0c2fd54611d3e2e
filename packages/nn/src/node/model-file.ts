/**
 * Model files on disk: {@link readModelFile} and {@link readGraphModelFile} read and parse one
 * (the parsing is the main entry's `parseModel` / `parseGraphModel`), {@link writeModelFile}
 * writes `formatModel`'s text atomically.
 */
import { statSync } from "node:fs";
import { nameOf, show } from "@chainrule/core";
import { named } from "../check.js";
import { ModelFileError, OptionError } from "../errors.js";
import type { GraphModel } from "../graph-model.js";
import { formatModel, type Model, type ModelFile, parseGraphModel, parseModel } from "../io/model-file.js";
import type { Network } from "../network.js";
import { writeFileAtomic } from "./atomic.js";
import { readText } from "./files.js";

/** The largest model file read: 50 million parameters as shortest decimals, with room to spare. */
const MAX_MODEL_BYTES = 2 ** 30;

/** Reads and parses a layered network's model file. */
export function readModelFile(path: string): ModelFile {
  return parseModel(readModelText(path), path);
}

/** Reads and parses a graph model's file (see `parseGraphModel`). */
export function readGraphModelFile(path: string): ModelFile<GraphModel> {
  return parseGraphModel(readModelText(path), path);
}

/** The text of a model file, within the size a model file may have. */
function readModelText(path: string): string {
  // a number would be read as a file descriptor (0: standard input)
  if (typeof path !== "string" || path.length === 0)
    throw new OptionError(`A model file path is a non-empty string, got ${show(path)}.`, path);
  let size = 0;
  try {
    const st = statSync(path);
    if (st.isFile()) size = st.size;
  } catch {
    // readText says what is wrong with the path
  }
  if (size > MAX_MODEL_BYTES) {
    throw new ModelFileError(
      nameOf(path),
      `the file is ${Math.round(size / 2 ** 20)} MB; a model file is at most ${MAX_MODEL_BYTES / 2 ** 20} MB (the largest network's weights as text). Is this a model file?`,
      size,
    );
  }
  try {
    return readText(path, "model file");
  } catch (e) {
    throw e instanceof Error ? named(e, path) : e;
  }
}

/** Writes a model file atomically (the target is the complete new model or untouched); a GraphModel in the graph form. */
export function writeModelFile(path: string, model: Model<Network | GraphModel>): void {
  writeFileAtomic(path, formatModel(model));
}
