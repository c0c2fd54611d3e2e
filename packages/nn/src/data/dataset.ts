/**
 * Datasets: a core {@link Batch} (m examples, inputs and targets row by row) plus what a person
 * needs to read it — a name and, for labelled data, the class names in output order.
 */
import { type Batch, show } from "@chainrule/core";
import { batchArgument, wholeNumber } from "../check.js";
import { DataError, OptionError } from "../errors.js";
import { Random } from "../random.js";

/** A batch with a name and, for labelled data, class names (class c is output c + 1). */
export interface Dataset extends Batch {
  /** Where the data came from (a file or a built-in dataset's name). */
  readonly name: string;
  /** Inputs and targets per example. */
  readonly inputs: number;
  readonly outputs: number;
  /** Class names for labelled data, in output order. */
  readonly classes?: readonly string[];
}

/** A dataset from a batch and its widths. */
export function dataset(
  name: string,
  batch: Batch,
  inputs: number,
  outputs: number,
  classes?: readonly string[],
): Dataset {
  if (typeof name !== "string") throw new OptionError(`A dataset's name is text, got ${show(name)}.`, name);
  wholeNumber("The number of inputs", inputs, 1);
  wholeNumber("The number of outputs", outputs, 1);
  batchArgument(`The batch of ${show(name, 40)}`, batch);
  if (classes !== undefined && (!Array.isArray(classes) || !classes.every((c) => typeof c === "string"))) {
    throw new OptionError(`Class names are a list of strings, got ${show(classes)}.`, classes);
  }
  if (batch.x.length !== batch.m * inputs || batch.y.length !== batch.m * outputs) {
    throw new DataError(
      name,
      `${batch.m} examples need ${batch.m * inputs} inputs and ${batch.m * outputs} targets; got ${batch.x.length} and ${batch.y.length}.`,
    );
  }
  return classes === undefined
    ? { name, m: batch.m, x: batch.x, y: batch.y, inputs, outputs }
    : { name, m: batch.m, x: batch.x, y: batch.y, inputs, outputs, classes };
}

/** The examples at positions indices[from…to) of a batch, copied into a new batch. */
export function pick(
  batch: Batch,
  inputs: number,
  outputs: number,
  indices: ArrayLike<number>,
  from = 0,
  to = indices?.length,
): Batch {
  wholeNumber("The number of inputs", inputs, 1);
  wholeNumber("The number of outputs", outputs, 1);
  batchArgument("The batch", batch, inputs, outputs);
  if (typeof indices !== "object" || indices === null || typeof indices.length !== "number")
    throw new OptionError(`The indices are a list of example numbers, got ${show(indices, 40)}.`, indices);
  wholeNumber("from", from, 0, indices.length);
  wholeNumber("to", to, from, indices.length);
  for (let i = from; i < to; i++) {
    const e = indices[i];
    if (typeof e !== "number" || !Number.isInteger(e) || e < 0 || e >= batch.m)
      throw new OptionError(`Index ${i} is ${show(e)}; example numbers are 0…${batch.m - 1}.`, e);
  }
  const m = to - from;
  const x = new Float64Array(m * inputs);
  const y = new Float64Array(m * outputs);
  for (let i = 0; i < m; i++) {
    const e = indices[from + i]!;
    for (let k = 0; k < inputs; k++) x[i * inputs + k] = batch.x[e * inputs + k]!;
    for (let k = 0; k < outputs; k++) y[i * outputs + k] = batch.y[e * outputs + k]!;
  }
  return { m, x, y };
}

/**
 * Splits off a validation set: the examples are shuffled with the generator, the last
 * ⌊fraction · m⌉ become the validation set (at least one of each when 0 < fraction < 1).
 */
export function splitValidation(
  batch: Batch,
  inputs: number,
  outputs: number,
  fraction: number,
  random: Random,
): { train: Batch; validation: Batch } {
  if (typeof fraction !== "number" || !(fraction > 0 && fraction < 1))
    throw new DataError(
      "validation split",
      `The validation fraction must be between 0 and 1 (exclusive), got ${show(fraction)}.`,
      null,
      fraction,
    );
  if (!(random instanceof Random))
    throw new OptionError(`splitValidation needs a Random generator, got ${show(random, 40)}.`, random);
  wholeNumber("The number of inputs", inputs, 1);
  wholeNumber("The number of outputs", outputs, 1);
  batchArgument("The batch", batch, inputs, outputs);
  if (batch.m < 2)
    throw new DataError(
      "validation split",
      `Splitting off a validation set needs at least 2 examples; there are ${batch.m}.`,
    );
  const order = Array.from({ length: batch.m }, (_, i) => i);
  random.shuffle(order);
  const nv = Math.min(batch.m - 1, Math.max(1, Math.round(fraction * batch.m)));
  const cut = batch.m - nv;
  return {
    train: pick(batch, inputs, outputs, order, 0, cut),
    validation: pick(batch, inputs, outputs, order, cut, batch.m),
  };
}
