/**
 * A training run on a built-in 2-D dataset that advances in slices: each slice runs as many epochs
 * as fit in a time budget (nn's trainer, resumed where the last slice stopped — optimizer state
 * and all), so the page can train between frames and stay responsive. The network is nn's, the
 * gradients are core's δ recurrence; nothing here computes a derivative.
 */
import { type ActivationName, ELEMENTWISE_ACTIVATIONS } from "@chainrule/core";
import {
  builtinDataset,
  type Dataset,
  defaultNetworkSpec,
  type EpochRecord,
  Network,
  type OptimizerName,
  type ResumeState,
  train,
} from "@chainrule/nn";

/** The 2-D datasets the train tab offers. */
export const TRAIN_DATASETS = ["xor", "moons", "circles", "spirals"] as const;
/** One of them. */
export type TrainDataset = (typeof TRAIN_DATASETS)[number];

/** Activations offered for the hidden layers: core's element-wise ones that are not linear. */
export const HIDDEN_ACTIVATIONS: readonly ActivationName[] = ELEMENTWISE_ACTIVATIONS.filter((a) => a !== "identity");

/** What a run trains. */
export interface TrainConfig {
  readonly dataset: TrainDataset;
  /** Hidden layer sizes; the input (2) and output layers come from the dataset. */
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  /** Seed of the initial weights. */
  readonly seed: number;
}

/** The defaults: a 2-8-8-1 tanh network with Adam, which separates every dataset in a few seconds. */
export const DEFAULT_TRAIN: TrainConfig = {
  dataset: "moons",
  hidden: [8, 8],
  activation: "tanh",
  learningRate: 0.03,
  optimizer: "adam",
  seed: 1,
};

/** A training run that advances in slices. */
export class TrainingSession {
  readonly network: Network;
  readonly data: Dataset;
  /** One record per epoch so far. */
  readonly history: EpochRecord[] = [];
  private resume: ResumeState | undefined;
  /** Epochs per call of the trainer, grown while calls stay short. */
  private chunk = 1;

  constructor(readonly config: TrainConfig) {
    this.data = builtinDataset(config.dataset);
    // nn's default for the task, the command line's too: sigmoid and binary cross-entropy for two classes, softmax and cross-entropy for more
    this.network = Network.create(defaultNetworkSpec(this.data, config.hidden, config.activation), {
      method: "glorot",
      seed: config.seed,
    });
  }

  /** Epochs done. */
  get epochs(): number {
    return this.history.length;
  }

  /**
   * Trains at most `maxEpochs` epochs (at least one) for about `budgetMs` milliseconds and returns
   * the epochs done. Throws nn's DivergenceError when the cost or the weights stop being finite.
   */
  step(budgetMs: number, maxEpochs = Infinity): number {
    const start = performance.now();
    let done = 0;
    do {
      const t0 = performance.now();
      const r = train(this.network, this.data, {
        epochs: Math.max(1, Math.min(this.chunk, maxEpochs - done)),
        learningRate: this.config.learningRate,
        optimizer: this.config.optimizer,
        ...(this.resume !== undefined ? { resume: this.resume } : {}),
      });
      this.resume = r.resume;
      this.history.push(...r.history);
      done += r.history.length;
      // aim for calls of about a quarter of the budget
      const took = performance.now() - t0;
      if (took < budgetMs / 8 && this.chunk < 4096) this.chunk *= 2;
      else if (took > budgetMs / 2 && this.chunk > 1) this.chunk = Math.max(1, this.chunk >> 1);
    } while (performance.now() - start < budgetMs && done < maxEpochs);
    return done;
  }

  /** The network's outputs at m points (x: m × 2, row by row). */
  predict(x: Float64Array, m: number): Float64Array {
    return this.network.predict(x, m);
  }
}

/** A few hundred records of a long history, evenly spaced, the last one included (for the curve). */
export function thin<T>(history: readonly T[], max = 400): T[] {
  if (history.length <= max) return [...history];
  const out: T[] = [];
  const step = (history.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(history[Math.round(i * step)]!);
  return out;
}
