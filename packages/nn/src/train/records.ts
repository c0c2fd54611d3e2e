/** What training records after every epoch. */
import { show } from "@chainrule/core";
import { OptionError } from "../errors.js";

/**
 * Metrics of one epoch, all measured at the weights the epoch ended with (after its last update):
 * the weights the network holds when `onEpoch` sees the record, and the ones early stopping puts
 * back when this epoch was the best. Full batch or minibatches, `cost` is J of the whole training
 * set (the examples left after a validation split) as the network's cost defines it — the mean
 * per-example loss over its M examples plus, with L2, λ/(2M) Σθ² once — equal to core's
 * `costValue(graph, θ, trainingSet)` at those weights. The one exception is asked for: with
 * minibatches and `epochCost: "running"`, `cost` and `accuracy` come from the epoch's own steps,
 * each example at the weights of the step that used it (see `TrainOptions.epochCost`).
 */
export interface EpochRecord {
  /** 1-based epoch number (continuing the count of a resumed run). */
  readonly epoch: number;
  /** J of the training set at the weights after the epoch (`epochCost: "running"`: the steps' running J). */
  readonly cost: number;
  /**
   * Fraction of the training set correct at those weights (running: at each step's), when the
   * targets are classes and accuracy is on.
   */
  readonly accuracy?: number;
  /** J of the validation set at those weights. */
  readonly validationCost?: number;
  /** Fraction of the validation set correct at those weights. */
  readonly validationAccuracy?: number;
  /**
   * Present (true) on the one epoch where training was found stalled: the cost flat for a stretch
   * of epochs while the model is poor (see the `stall` option of `train`). At most one record per run.
   */
  readonly stalled?: true;
}

/** Why training stopped ("stalled": `onStall` asked to stop). */
export type StopReason = "epochs" | "callback" | "early-stopping" | "stalled";

/**
 * Epoch metrics kept in growable Float64Array columns while training runs (so a long run does
 * not hold one object per epoch across garbage collections); records are made on demand.
 */
export class HistoryLog {
  // cost, accuracy, validation cost, validation accuracy
  private c0: Float64Array = new Float64Array(64);
  private c1: Float64Array = new Float64Array(64);
  private c2: Float64Array = new Float64Array(64);
  private c3: Float64Array = new Float64Array(64);
  private n = 0;
  /** The logged epoch (0-based) found stalled, or −1. */
  private stalledAt = -1;

  constructor(
    /** Number of the first epoch logged. */
    private readonly first: number,
    /** Which optional metrics are present. */
    private readonly has: {
      readonly accuracy: boolean;
      readonly validation: boolean;
      readonly validationAccuracy: boolean;
    },
  ) {
    if (typeof first !== "number" || !Number.isInteger(first))
      throw new OptionError(`The first epoch's number is a whole number, got ${show(first)}.`, first);
    const h = has as Partial<Record<string, unknown>> | null;
    if (
      typeof h !== "object" ||
      h === null ||
      ["accuracy", "validation", "validationAccuracy"].some((k) => typeof h[k] !== "boolean")
    ) {
      throw new OptionError(
        `A history log says which metrics it has: { accuracy, validation, validationAccuracy } as true or false; got ${show(has)}.`,
        has,
      );
    }
  }

  /** Epochs logged. */
  get length(): number {
    return this.n;
  }

  /** Logs one epoch (absent metrics are ignored). */
  push(cost: number, accuracy: number, validationCost: number, validationAccuracy: number): void {
    if (
      typeof cost !== "number" ||
      typeof accuracy !== "number" ||
      typeof validationCost !== "number" ||
      typeof validationAccuracy !== "number"
    )
      throw new OptionError("An epoch's metrics are numbers (NaN for one that is absent).");
    const i = this.n;
    if (i === this.c0.length) {
      this.c0 = grown(this.c0);
      this.c1 = grown(this.c1);
      this.c2 = grown(this.c2);
      this.c3 = grown(this.c3);
    }
    this.c0[i] = cost;
    this.c1[i] = accuracy;
    this.c2[i] = validationCost;
    this.c3[i] = validationAccuracy;
    this.n = i + 1;
  }

  /** Marks the last logged epoch as the one where training was found stalled (once per log). */
  markStalled(): void {
    if (this.n === 0) throw new OptionError("Mark an epoch stalled after logging it.");
    if (this.stalledAt < 0) this.stalledAt = this.n - 1;
  }

  /** The record of the i-th logged epoch (0-based). */
  record(i: number): EpochRecord {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= this.n)
      throw new OptionError(`Record ${show(i)} is not logged; records are 0…${this.n - 1}.`, i);
    return this.stalledMaker(this.maker())(i);
  }

  /** Every logged epoch as records. */
  records(): EpochRecord[] {
    const make = this.stalledMaker(this.maker());
    const out = new Array<EpochRecord>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = make(i);
    return out;
  }

  /** The builder, with `stalled: true` added to the stalled epoch's record. */
  private stalledMaker(make: (i: number) => EpochRecord): (i: number) => EpochRecord {
    const at = this.stalledAt;
    return at < 0 ? make : (i) => (i === at ? { ...make(i), stalled: true } : make(i));
  }

  /** A record builder with one fixed object shape for the metrics present. */
  private maker(): (i: number) => EpochRecord {
    const [c, a, v, w] = [this.c0, this.c1, this.c2, this.c3];
    const f = this.first;
    const { accuracy, validation, validationAccuracy } = this.has;
    if (!validation)
      return accuracy
        ? (i) => ({ epoch: f + i, cost: c[i]!, accuracy: a[i]! })
        : (i) => ({ epoch: f + i, cost: c[i]! });
    if (accuracy) {
      return validationAccuracy
        ? (i) => ({ epoch: f + i, cost: c[i]!, accuracy: a[i]!, validationCost: v[i]!, validationAccuracy: w[i]! })
        : (i) => ({ epoch: f + i, cost: c[i]!, accuracy: a[i]!, validationCost: v[i]! });
    }
    return validationAccuracy
      ? (i) => ({ epoch: f + i, cost: c[i]!, validationCost: v[i]!, validationAccuracy: w[i]! })
      : (i) => ({ epoch: f + i, cost: c[i]!, validationCost: v[i]! });
  }
}

function grown(c: Float64Array): Float64Array {
  const d = new Float64Array(2 * c.length);
  d.set(c);
  return d;
}
