/** What training records after every epoch. */

/**
 * Metrics of one epoch. `cost` and `accuracy` are over the epoch's minibatches as they were
 * computed (each minibatch before its update, weighted by its size); for full-batch training that
 * is J at the weights the epoch started with. Validation metrics are computed after the epoch.
 */
export interface EpochRecord {
  /** 1-based epoch number (continuing the count of a resumed run). */
  readonly epoch: number;
  readonly cost: number;
  /** Fraction correct, when the targets are classes and accuracy is on. */
  readonly accuracy?: number;
  readonly validationCost?: number;
  readonly validationAccuracy?: number;
}

/** Why training stopped. */
export type StopReason = "epochs" | "callback" | "early-stopping";
