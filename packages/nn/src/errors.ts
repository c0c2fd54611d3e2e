/**
 * Typed errors of the nn package. Each is a {@link ChainruleError}, so the command line prints its
 * message as one line; every message says what was wrong and how to fix it.
 */
import { ChainruleError } from "@chainrule/core";
import type { EpochRecord } from "./train/records.js";

/** Where in a text input something went wrong (1-based line and column). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Bad training or prediction data: a CSV cell, a header, a shape that does not fit the network. */
export class DataError extends ChainruleError {
  override readonly name = "DataError";
  /** The file or dataset name the data came from. */
  readonly source: string;
  /** Position of the bad cell or line, when there is one. */
  readonly position: TextPosition | null;
  constructor(source: string, message: string, position: TextPosition | null = null, value?: unknown) {
    const where = position === null ? source : `${source} line ${position.line}, column ${position.column}`;
    super("invalid-value", `${where}: ${message}`, value);
    this.source = source;
    this.position = position;
  }
}

/** A model file that is not valid JSON or does not describe a network. */
export class ModelFileError extends ChainruleError {
  override readonly name = "ModelFileError";
  /** The file the model came from. */
  readonly source: string;
  constructor(source: string, message: string, value?: unknown) {
    super("invalid-value", `${source}: ${message}`, value);
    this.source = source;
  }
}

/**
 * An ONNX file that is not an ONNX model, or holds a graph chainrule cannot read as a layered
 * network (an operator it has no rule for, a layout that is not an MLP); the message names the
 * file, the node and what to do.
 */
export class OnnxError extends ChainruleError {
  override readonly name = "OnnxError";
  /** The file (or name) the model came from. */
  readonly source: string;
  constructor(source: string, message: string, value?: unknown) {
    super("invalid-value", `${source}: ${message}`, value);
    this.source = source;
  }
}

/**
 * What is wrong with a file path. `"io"`, `"read"` and `"write"` are failures of an operation
 * itself (`"io"` when the caller does not say which). The others are found before anything is
 * written: `"no-folder"` (the folder is missing or not a folder), `"folder"` (the target is a
 * folder), `"special"` (a named pipe, device or socket), `"link-loop"`, `"input"` (the target is
 * an input of the same run), `"unwritable"` (the folder cannot be written, or the file cannot be
 * replaced).
 */
export type FileProblem =
  | "io"
  | "read"
  | "write"
  | "no-folder"
  | "folder"
  | "special"
  | "link-loop"
  | "input"
  | "unwritable";

/** A file that cannot be read or written (missing, a folder, no permission, missing folder). */
export class FileError extends ChainruleError {
  override readonly name = "FileError";
  /** The path concerned. */
  readonly path: string;
  /** What kind of problem it is. */
  readonly problem: FileProblem;
  constructor(path: string, message: string, problem: FileProblem = "io") {
    super("invalid-argument", message, path);
    this.path = path;
    this.problem = problem;
  }
}

/** Options of a network, a trainer or an engine that are out of range or do not fit together. */
export class OptionError extends ChainruleError {
  override readonly name = "OptionError";
  constructor(message: string, value?: unknown) {
    super("invalid-argument", message, value);
  }
}

/**
 * A number that is NaN or ±Infinity where a finite one is needed: a cost or gradient to report, a
 * value to write as JSON (which has no form for them).
 */
export class NonFiniteError extends ChainruleError {
  override readonly name = "NonFiniteError";
  /** Which value: "cost", "weights[0][1][2]", "training.history[3].cost", … */
  readonly what: string;
  constructor(what: string, value: number, message?: string) {
    super("invalid-value", message ?? `${what} is ${value}, and JSON holds finite numbers only.`, value);
    this.what = what;
  }
}

/** Why training diverged. */
export type DivergenceCause = "cost" | "weights";

/**
 * Training produced NaN or ±Infinity in the cost or in the weights. Training stops; the network
 * keeps the last weights that were all finite (see {@link DivergenceError.parameters}).
 */
export class DivergenceError extends ChainruleError {
  override readonly name = "DivergenceError";
  /** Epoch (1-based) in which the non-finite value appeared. */
  readonly epoch: number;
  /** Step within that epoch (1-based). */
  readonly step: number;
  /** Whether the cost or the updated weights were non-finite. */
  readonly reason: DivergenceCause;
  /** The non-finite cost, or the cost of the step whose update was non-finite. */
  readonly cost: number;
  /** The last finite parameters (in core's parameter order); the network holds them too. */
  readonly parameters: Float64Array;
  /** The epochs completed before the divergence. */
  readonly history: readonly EpochRecord[];
  constructor(
    epoch: number,
    step: number,
    cause: DivergenceCause,
    cost: number,
    parameters: Float64Array,
    learningRate: number,
    history: readonly EpochRecord[] = [],
  ) {
    const what = cause === "cost" ? `the cost became ${cost}` : "the updated weights were not all finite";
    super(
      "invalid-value",
      `Training diverged in epoch ${epoch}, step ${step}: ${what}. The network keeps its last finite weights. ` +
        `Lower the learning rate (it was ${learningRate}; try ${learningRate / 10}), or scale the inputs.`,
      cost,
    );
    this.epoch = epoch;
    this.step = step;
    this.reason = cause;
    this.cost = cost;
    this.parameters = parameters;
    this.history = history;
  }
}
