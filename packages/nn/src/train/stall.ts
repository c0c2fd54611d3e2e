/**
 * Stall detection: training whose cost has stopped moving while the model is still poor — the
 * plateau a sigmoid network started with tiny weights sits on (every δ is scaled by the weights
 * after it, so all gradients are tiny), or a learning rate too small to move or so large that
 * steps overshoot back and forth. Detected once per run, at the epoch where the flat stretch
 * reaches its length; the record of that epoch carries `stalled: true`.
 */
import { show } from "@chainrule/core";
import { OptionError } from "../errors.js";
import { classOf } from "./count.js";

/** When a flat cost counts as a stall. Every field has a default. */
export interface StallOptions {
  /**
   * Epochs the cost must stay flat: default a tenth of the run's epochs, at least
   * {@link STALL_MIN_WINDOW} (so runs shorter than that are not judged).
   */
  readonly window?: number;
  /**
   * Flat means within this fraction of where the stretch began: |J − J₀| ≤ tolerance · |J₀|
   * (default {@link STALL_TOLERANCE}).
   */
  readonly tolerance?: number;
  /**
   * With accuracy: a flat cost is a stall while the accuracy is at most this (default: the share
   * of the most common class in the training set — no better than always predicting it).
   */
  readonly accuracy?: number;
  /**
   * Without accuracy: a flat cost is a stall while J ≥ costRatio · J of the run's first epoch
   * (default {@link STALL_COST_RATIO}: the cost has not halved).
   */
  readonly costRatio?: number;
}

/** Default relative band of a flat cost. */
export const STALL_TOLERANCE = 1e-4;
/** Shortest flat stretch judged a stall. */
export const STALL_MIN_WINDOW = 50;
/** Default cost ratio under which a run without accuracy is not poor. */
export const STALL_COST_RATIO = 0.5;

/** A likely cause of a stall. */
export type StallCause = "small-initial-weights" | "learning-rate";

/** A detected stall: where, the numbers that made it one, and the likely causes. */
export interface Stall {
  /** The epoch whose record carries `stalled: true`. */
  readonly epoch: number;
  /** The epoch the flat stretch began (its cost is the stretch's reference J₀). */
  readonly since: number;
  /** J at {@link epoch}. */
  readonly cost: number;
  /** Accuracy at {@link epoch}, or null when accuracy is not measured. */
  readonly accuracy: number | null;
  /**
   * What "poor" was measured against: the most common class's share (with accuracy), or J of
   * the run's first epoch (without).
   */
  readonly baseline: number;
  /** The largest |θ| the run started from (of the parameters training moves). */
  readonly initialScale: number;
  readonly learningRate: number;
  readonly causes: readonly StallCause[];
  /** One line for people: what stalled and what to try. */
  readonly message: string;
}

/** Checks stall options (undefined: defaults; false: off). */
export function checkStallOptions(v: unknown): StallOptions | false {
  if (v === undefined) return {};
  if (v === false) return false;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new OptionError(
      `stall is false (no detection) or { window?, tolerance?, accuracy?, costRatio? }; got ${show(v, 40)}.`,
      v,
    );
  const o = v as StallOptions;
  if (o.window !== undefined && (typeof o.window !== "number" || !Number.isInteger(o.window) || o.window < 1))
    throw new OptionError(`stall.window is a whole number of epochs ≥ 1, got ${show(o.window)}.`, o.window);
  const fraction = (name: string, x: unknown, hi: number) => {
    if (x !== undefined && (typeof x !== "number" || !(x >= 0 && x <= hi)))
      throw new OptionError(`stall.${name} is a number from 0 to ${hi}, got ${show(x)}.`, x);
  };
  fraction("tolerance", o.tolerance, 1);
  fraction("accuracy", o.accuracy, 1);
  fraction("costRatio", o.costRatio, 1);
  return o;
}

/** The share of the most common class among m examples' targets (n outputs; classOf's classes). */
export function majorityShare(y: Float64Array, m: number, n: number): number {
  const counts = new Float64Array(n === 1 ? 2 : n);
  for (let e = 0; e < m; e++) counts[classOf(y, e, n)]! += 1;
  let most = 0;
  for (const c of counts) most = Math.max(most, c);
  return most / m;
}

/** Follows one run's epoch costs and reports the first stall (at most one per run). */
export class StallWatch {
  private since = 0;
  private anchor = Number.NaN;
  private first = Number.NaN;
  private found = false;

  constructor(
    private readonly window: number,
    private readonly tolerance: number,
    /** With accuracy: the accuracy at or below which the model is poor; null: judge by the cost. */
    private readonly poorAccuracy: number | null,
    private readonly costRatio: number,
    /** Whether poorAccuracy is the most common class's share (the default). */
    private readonly majority: boolean,
    private readonly initialScale: number,
    private readonly learningRate: number,
  ) {}

  /**
   * Records an epoch's cost (and accuracy, NaN when not measured); returns the stall when this
   * epoch completes one, else null. O(1): a few comparisons per epoch.
   */
  epoch(ep: number, cost: number, accuracy: number): Stall | null {
    if (this.found) return null;
    if (!(Math.abs(cost - this.anchor) <= this.tolerance * Math.abs(this.anchor))) {
      // a new flat stretch starts here (the first epoch starts the first one)
      if (Number.isNaN(this.first)) this.first = cost;
      this.anchor = cost;
      this.since = ep;
      return null;
    }
    if (ep - this.since < this.window) return null;
    const poor =
      this.poorAccuracy !== null ? accuracy <= this.poorAccuracy + 1e-12 : cost >= this.costRatio * this.first;
    if (!poor) return null;
    this.found = true;
    return this.report(ep, cost, accuracy);
  }

  private report(ep: number, cost: number, accuracy: number): Stall {
    const acc = this.poorAccuracy !== null ? accuracy : null;
    const pct = (v: number) => `${(100 * v).toFixed(1).replace(/\.0$/, "")}%`;
    const flat = `the cost has stayed at ${cost.toPrecision(6)} (relative change ≤ ${this.tolerance}) for ${ep - this.since} epochs, since epoch ${this.since}`;
    const poor =
      acc === null
        ? `, still ${pct(cost / this.first)} of the first epoch's ${this.first.toPrecision(6)}`
        : this.majority
          ? `, with accuracy ${pct(acc)}: no better than always predicting the most common class (${pct(this.poorAccuracy!)})`
          : `, with accuracy ${pct(acc)} (at most ${pct(this.poorAccuracy!)})`;
    const causes: StallCause[] = ["small-initial-weights", "learning-rate"];
    const message =
      `Training stalled at epoch ${ep}: ${flat}${poor}. Likely causes: initial weights too small (the largest started at ${this.initialScale.toPrecision(3)}; ` +
      `try Glorot or He initialisation, or a larger ε), or a learning rate too small or too large (it is ${this.learningRate}).`;
    return {
      epoch: ep,
      since: this.since,
      cost,
      accuracy: acc,
      baseline: acc !== null ? this.poorAccuracy! : this.first,
      initialScale: this.initialScale,
      learningRate: this.learningRate,
      causes,
      message,
    };
  }
}
