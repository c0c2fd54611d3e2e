/**
 * What a {@link Network} and a {@link GraphModel} hold alike: their parameters in one Float64Array
 * (core's `parameterIds(graph)` order) with the checks that guard them, which of them are frozen,
 * and what is computed from them alone through the model's engine (predictions, J, accuracy).
 * What differs stays with each model and reaches the store as arguments: how a parameter is named
 * and found (an id, or an address [l, j, k]) and which parameters are its biases. Internal to nn:
 * the package entries do not export it.
 */
import { type Batch, kindOf, show } from "@chainrule/core";
import { float64 } from "./check.js";
import { batchOf, type ExampleData, inputsOf, type Matrix, type Taker } from "./data/examples.js";
import { OptionError } from "./errors.js";
import { correctCount, isClassification } from "./train/metrics.js";
import type { Evaluation, Trainable } from "./train/trainable.js";

/** How a model reads a frozen set it is given; {@link ParameterStore.setFrozen} does the rest. */
export interface FrozenRules {
  /** Marks every bias of the model in `mask`, or throws an OptionError saying it has none. */
  biases(mask: Uint8Array): void;
  /** The OptionError for a frozen set that is neither "biases", null nor a list. */
  notAList(got: unknown): OptionError;
  /** Where an entry of a frozen list is in the parameters, or a typed error saying what exists. */
  indexOf(entry: unknown): number;
}

/** What a store reads of its model, each when used: its shape, its name in messages and its engine. */
export type StoreModel = Pick<Trainable, "description" | "inputCount" | "outputCount" | "engine">;

/** A model's parameters, its frozen set, and what the model computes from them through its engine. */
export class ParameterStore {
  /** Set when every bias is frozen (as `"biases"`), rather than a list that may happen to be the biases. */
  private biasesFrozen = false;
  /** mask[i] = 1 when parameter i (core's order) is frozen; null when none is. Replaced, never written. */
  private mask: Uint8Array | null = null;

  /** The store of `model`, holding `theta` (engines read it in place, setters write it in place). */
  constructor(
    readonly theta: Float64Array,
    private readonly model: StoreModel,
  ) {}

  /** A copy of the parameters (into `target` when given). */
  copy(target?: Float64Array): Float64Array {
    if (target === undefined) return this.theta.slice();
    float64("The target array", target, this.theta.length);
    target.set(this.theta);
    return target;
  }

  /**
   * Replaces every parameter; each must be a finite number, or nothing changes. `listForm` is what
   * the model takes as a list ("a Float64Array or a list of numbers"); `name(i)` names parameter i.
   */
  setAll(values: ArrayLike<number>, listForm: string, name: (i: number) => string): void {
    if (typeof values !== "object" || values === null || typeof values.length !== "number") {
      throw new OptionError(`Parameters are ${listForm}; got ${kindOf(values)} ${show(values, 40)}.`, values);
    }
    if (values.length !== this.theta.length) {
      throw new OptionError(
        `${capitalised(this.model.description)} has ${this.theta.length} parameters; got ${values.length} values.`,
        values.length,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new OptionError(`Parameter ${i} (${name(i)}) must be a finite number, got ${show(v)}.`, v);
    }
    this.theta.set(values);
  }

  /**
   * Replaces the frozen set: null or an empty list unfreezes everything, `"biases"` freezes what
   * `rules.biases` marks, a list freezes its entries (repeats are ignored). Nothing changes when
   * the set is refused.
   */
  setFrozen(frozen: unknown, rules: FrozenRules): void {
    if (frozen === null || (Array.isArray(frozen) && frozen.length === 0)) {
      this.biasesFrozen = false;
      this.mask = null;
      return;
    }
    const mask = new Uint8Array(this.theta.length);
    if (frozen === "biases") rules.biases(mask);
    else if (!Array.isArray(frozen)) throw rules.notAList(frozen);
    else for (const entry of frozen as readonly unknown[]) mask[rules.indexOf(entry)] = 1;
    this.biasesFrozen = frozen === "biases";
    this.mask = mask;
  }

  /**
   * The frozen set: `"biases"`, the frozen parameters in parameter order (each once, as `entry(i)`
   * names parameter i), or null when every parameter trains.
   */
  frozen<E>(entry: (i: number) => E): "biases" | E[] | null {
    if (this.mask === null) return null;
    if (this.biasesFrozen) return "biases";
    const list: E[] = [];
    for (let i = 0; i < this.mask.length; i++) if (this.mask[i] === 1) list.push(entry(i));
    return list;
  }

  /** A copy of the frozen set as a mask in parameter order (1: frozen), or null when none is. */
  frozenMask(): Uint8Array | null {
    return this.mask?.slice() ?? null;
  }

  /** Takes the frozen set of `other` (a store of the same model's shape: a clone's). */
  freezeAs(other: ParameterStore): void {
    this.biasesFrozen = other.biasesFrozen;
    this.mask = other.mask;
  }

  /** Examples in any accepted form as a batch of the model's shape, or a typed error. */
  checked(data: ExampleData, what: string): Batch {
    return batchOf(data, what, this.taker());
  }

  /** The model's outputs for m examples, m × outputs (x as rows, or flat with m). */
  predict(x: Matrix, m: number | undefined): Float64Array {
    const r = inputsOf(x, m, "predict's inputs", this.taker());
    return this.model
      .engine()
      .forward(this.theta, r.x, r.m)
      .slice(0, r.m * this.model.outputCount);
  }

  /** J over some examples. */
  cost(data: ExampleData): number {
    return this.model.engine().cost(this.theta, this.checked(data, "The data"));
  }

  /** J and, when the targets are classes (one-hot rows, or 0/1 for one output), the accuracy. */
  evaluate(data: ExampleData): Evaluation {
    const b = this.checked(data, "The data");
    const e = this.model.engine();
    const cost = e.cost(this.theta, b);
    const n = this.model.outputCount;
    return { cost, accuracy: isClassification(b.y, b.m, n) ? correctCount(e.outputs, b.y, b.m, n) / b.m : null };
  }

  private taker(): Taker {
    const { inputCount, outputCount, description } = this.model;
    return { inputs: inputCount, outputs: outputCount, description };
  }
}

/** `s` with its first letter a capital: "a 2-4-1 network" → "A 2-4-1 network". */
export const capitalised = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
