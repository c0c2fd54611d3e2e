/**
 * Gradient descent on the derived gradients: full-batch, minibatch or stochastic; SGD, momentum
 * or Adam; metrics after every epoch; callbacks and early stopping; divergence detection. Every
 * random choice (shuffling, the validation split) comes from one seeded generator, so the same
 * seed gives the same run, bit for bit. The network's frozen parameters ({@link Network.setFrozen})
 * stay as they are. A layered {@link Network} and a {@link GraphModel} of any graph train the
 * same way (each on its own engine); a cost that stops moving while the model is still poor is
 * reported once as a stall.
 */
import { type Batch, kindOf, oneOf, show } from "@chainrule/core";
import { allocate, callback, INPUT_BUFFER, LAST_LOSS, optionsObject, UNCHECKED, UNCHECKED_LOSS } from "../check.js";
import { splitValidation } from "../data/dataset.js";
import type { ExampleData } from "../data/examples.js";
import { checkEngineKind, type EngineKind } from "../engine/engine.js";
import { DivergenceError, OptionError } from "../errors.js";
import { GraphModel } from "../graph-model.js";
import { checkDtype, checkKernelChoice, type Dtype, type KernelChoice } from "../kernels/wasm/backend.js";
import { Network } from "../network.js";
import { Random, type RandomState, seedStream } from "../random.js";
import { countCorrect } from "./count.js";
import { isClassification } from "./metrics.js";
import {
  createOptimizer,
  type Optimizer,
  type OptimizerName,
  type OptimizerSpec,
  type OptimizerState,
  resumedOptimizer,
} from "./optimizers.js";
import { type EpochRecord, HistoryLog, type StopReason } from "./records.js";
import {
  checkStallOptions,
  majorityShare,
  STALL_COST_RATIO,
  STALL_MIN_WINDOW,
  STALL_TOLERANCE,
  type Stall,
  type StallOptions,
  StallWatch,
} from "./stall.js";
import type { Trainable, TrainingEngine } from "./trainable.js";

/** What {@link train} trains: a layered Network or a GraphModel of any graph. */
export type TrainableModel = Network | GraphModel;

/** How an epoch's cost and accuracy are measured (see {@link TrainOptions.epochCost}). */
export const EPOCH_COSTS = ["full", "running"] as const;
/** One of {@link EPOCH_COSTS}. */
export type EpochCost = (typeof EPOCH_COSTS)[number];

/** Stop when the monitored cost has not improved for `patience` epochs. */
export interface EarlyStopping {
  readonly patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Default: validationCost when there is validation data, else cost. */
  readonly monitor?: "cost" | "validationCost";
  /** Put back the parameters of the best epoch (those its record measured) when stopping (default true). */
  readonly restoreBest?: boolean;
}

/**
 * Called after every epoch; return "stop" or false to end training (nothing, undefined or true
 * goes on). The second member lets any function typed to return void be passed as well.
 */
export type EpochCallback<M extends TrainableModel = Network> =
  | ((record: EpochRecord, network: M) => boolean | "stop" | undefined)
  | ((record: EpochRecord, network: M) => void);

/**
 * Called once, at the epoch where training is found stalled (before that epoch's `onEpoch`, whose
 * record then carries `stalled: true`); return "stop" or false to end training there.
 */
export type StallCallback<M extends TrainableModel = Network> =
  | ((stall: Stall, network: M) => boolean | "stop" | undefined)
  | ((stall: Stall, network: M) => void);

/** Where a resumed run continues from (what a saved model stores). */
export interface ResumeState {
  readonly optimizer?: OptimizerState;
  readonly random?: RandomState;
  /** Epochs already done (numbering continues after them). */
  readonly epochs?: number;
}

/**
 * Options of {@link train}. Which parameters train is the network's own setting
 * ({@link Network.setFrozen}), not an option, so that it is saved with the model.
 */
export interface TrainOptions<M extends TrainableModel = Network> {
  readonly epochs: number;
  /** η in θ := θ − η ∂J/∂θ. */
  readonly learningRate: number;
  /**
   * Examples per step: default all of them (full batch); 1 is stochastic gradient descent.
   *
   * Each step descends the cost as defined on the batch in use: J_B = mean loss over its B
   * examples + λ/(2B) Σθ², whose L2 gradient is (λ/B)θ (the last, shorter batch of an epoch uses
   * its own size). So with L2 the strength relative to the data term grows as the batch shrinks:
   * a minibatch step pulls the weights toward 0 by (λ/B)θ where a full-batch step over M
   * examples pulls by (λ/M)θ. To regularise minibatch training as full-batch training with λ
   * would, use λ·B/M. The reported epoch cost is J of the whole training set either way (see
   * {@link EpochRecord}), or with `epochCost: "running"` the mean of the steps' own losses.
   */
  readonly batchSize?: number;
  /**
   * What each epoch's `cost` and `accuracy` measure (default "full").
   *
   * "full": J of the whole training set at the weights the epoch ended with — core's
   * `costValue(graph, θ, trainingSet)`: the mean per-example loss over its M examples plus, with
   * L2, λ/(2M) Σθ² once — and the accuracy at those weights. With minibatches this is one more
   * forward pass over the training set per epoch (slice by slice, in the set's own order,
   * through buffers the size of a batch).
   *
   * "running": from the passes the epoch's steps made anyway, with no pass of its own: each
   * example's loss at the weights of the step that used it (before that step's update), their
   * mean over the M examples, plus, with L2, λ/(2M) Σθ² at the weights the epoch ended with; the
   * accuracy counts each example at the same weights as its loss (a compiled engine, which keeps
   * no outputs, runs a forward pass of each batch for it). This is what Keras and PyTorch loops
   * report: cheaper, and it lags the weights the epoch ended with by up to an epoch, so early
   * stopping and stall detection compare these running values.
   *
   * Full batch measures J at the epoch's last weights either way: that pass is the next
   * epoch's gradient pass, so it costs nothing.
   */
  readonly epochCost?: EpochCost;
  /** Default: a resumed run's own rule (`resume.optimizer`), else "sgd" ({@link resumedOptimizer}). */
  readonly optimizer?: OptimizerName | OptimizerSpec;
  /** Seed of the shuffling and validation split (default 0); they draw from its stream `seedStream(seed, "train")`. */
  readonly seed?: number;
  /** Shuffle the examples every epoch (default true; full batch never shuffles). */
  readonly shuffle?: boolean;
  /** A validation set, evaluated after every epoch: a batch, or `{ x, y }` as rows. */
  readonly validation?: ExampleData;
  /** Hold out this fraction of the data (after a seeded shuffle) as the validation set. */
  readonly validationSplit?: number;
  /** Report accuracy (default: when the targets are classes). */
  readonly accuracy?: boolean;
  /** Monitors the epoch records (measured after each epoch's updates); the restored weights are the best record's. */
  readonly earlyStopping?: EarlyStopping;
  /** Called after every epoch with its record; the network then holds the weights the record measured. */
  readonly onEpoch?: EpochCallback<M>;
  /**
   * Stall detection (default on; false: off). A stall is a stretch of `window` epochs (default a
   * tenth of the run, at least 50) whose cost stays within `tolerance` (default 1e-4, relative)
   * of where the stretch began, ending while the model is poor: accuracy no better than always
   * predicting the most common class, or without accuracy a cost still above `costRatio` (0.5) of
   * the first epoch's. Found at most once per run: that epoch's record gets `stalled: true`,
   * `onStall` is called, and the result's `stall` describes it.
   */
  readonly stall?: StallOptions | false;
  /** Called once when training is found stalled (see `stall`). */
  readonly onStall?: StallCallback<M>;
  /** Gradient executor (default "auto"). */
  readonly engine?: EngineKind | "auto";
  /**
   * Kernels of a layered network's matrix products (default "auto": WebAssembly SIMD where the
   * host runs it, else plain JavaScript; "js" forces plain JavaScript). Both train to the same
   * numbers, bit for bit. A GraphModel's engine has no matrix products and ignores it.
   */
  readonly kernels?: KernelChoice;
  /**
   * Arithmetic of a layered network's matrix products (default "float64"; "float32": WebAssembly
   * SIMD in single precision, faster, and no longer the float64 numbers — see `EngineOptions.dtype`).
   * A GraphModel's engine (compiled code, float64) ignores it.
   */
  readonly dtype?: Dtype;
  readonly resume?: ResumeState;
}

/** What {@link train} returns; the network holds the trained parameters. */
export interface TrainResult {
  readonly history: readonly EpochRecord[];
  readonly stopReason: StopReason;
  /** Epoch after whose updates the network's parameters are (its record measured them). */
  readonly finalEpoch: number;
  /** State to resume from (optimizer, generator, epochs done). */
  readonly resume: Required<ResumeState>;
  /** The stall found in this run (its record carries `stalled: true`), or null. */
  readonly stall: Stall | null;
}

function positiveInt(name: string, v: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new OptionError(`${name} must be a whole number ≥ 1, got ${show(v)}.`, v);
  return v;
}

/** The options of {@link train} have the types they say (ranges are checked where they are used). */
function checkOptions<M extends TrainableModel>(options: TrainOptions<M>): TrainOptions<M> {
  const o = optionsObject("The training options", options);
  const flag = (name: string, v: unknown) => {
    if (v !== undefined && typeof v !== "boolean")
      throw new OptionError(`${name} is true or false, got ${show(v)}.`, v);
  };
  flag("shuffle", o.shuffle);
  flag("accuracy", o.accuracy);
  callback("onEpoch", o.onEpoch);
  callback("onStall", o.onStall);
  if (o.engine !== undefined) checkEngineKind(o.engine);
  if (o.kernels !== undefined) checkKernelChoice(o.kernels);
  if (o.dtype !== undefined) checkDtype(o.dtype);
  if (o.epochCost !== undefined) oneOf(EPOCH_COSTS, o.epochCost, "epoch cost");
  if (o.validationSplit !== undefined && typeof o.validationSplit !== "number")
    throw new OptionError(
      `validationSplit is a fraction between 0 and 1, got ${show(o.validationSplit)}.`,
      o.validationSplit,
    );
  const stop = o.earlyStopping;
  if (stop !== undefined) {
    optionsObject("earlyStopping", stop);
    if (
      stop.minDelta !== undefined &&
      (typeof stop.minDelta !== "number" || !Number.isFinite(stop.minDelta) || stop.minDelta < 0)
    ) {
      throw new OptionError(
        `earlyStopping.minDelta must be a finite number ≥ 0, got ${show(stop.minDelta)}.`,
        stop.minDelta,
      );
    }
    if (stop.monitor !== undefined) oneOf(["cost", "validationCost"] as const, stop.monitor, "monitored metric");
    flag("earlyStopping.restoreBest", stop.restoreBest);
  }
  const r = o.resume;
  if (r !== undefined) {
    optionsObject("resume", r);
    if (r.epochs !== undefined && (typeof r.epochs !== "number" || !Number.isInteger(r.epochs) || r.epochs < 0))
      throw new OptionError(`resume.epochs must be a whole number ≥ 0, got ${show(r.epochs)}.`, r.epochs);
  }
  return o;
}

/**
 * Trains a model in place: a layered {@link Network} (on the matrix form or compiled code) or a
 * {@link GraphModel} of any graph (on core's compiled code). The data is a batch, or `{ x, y }`
 * as rows (one per example). Parameters the model marks as frozen (`setFrozen`, kept in saved
 * models) are left exactly as they are by every update rule, its state and the L2 pull; their
 * gradients are computed as before.
 */
export function train<M extends TrainableModel>(
  network: M,
  examples: ExampleData,
  options: TrainOptions<M>,
): TrainResult {
  if (!(network instanceof Network) && !(network instanceof GraphModel)) {
    throw new OptionError(
      `train needs a Network (Network.create or Network.fromParameters) or a GraphModel (GraphModel.create); got ${kindOf(network)} ${show(network, 40)}.`,
      network,
    );
  }
  const model: Trainable = network;
  options = checkOptions(options);
  const epochs = positiveInt("epochs", options.epochs);
  const lr = options.learningRate;
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0)
    throw new OptionError(`The learning rate must be a finite number > 0, got ${show(lr)}.`, lr);
  const stallRule = checkStallOptions(options.stall);
  const nIn = model.inputCount;
  const nOut = model.outputCount;
  const data = model.checked(examples, "The training data");
  // two streams from the seed: the validation split (the same when a run is resumed) and shuffling
  // the seed's training stream, so one seed given to builtinDataset, Network.create and train drives three independent streams
  const root = seedStream(options.seed ?? 0, "train");
  const splitRng = new Random(root.uint32());
  const rng =
    options.resume?.random !== undefined ? Random.fromState(options.resume.random) : new Random(root.uint32());
  let trainSet = data;
  let validation = options.validation === undefined ? null : model.checked(options.validation, "The validation data");
  if (options.validationSplit !== undefined && options.validationSplit !== 0) {
    if (validation !== null) throw new OptionError("Give a validation set or a validation split, not both.");
    const s = splitValidation(data, nIn, nOut, options.validationSplit, splitRng);
    trainSet = s.train;
    validation = s.validation;
  }
  const M = trainSet.m;
  const B = Math.min(positiveInt("batch size", options.batchSize ?? M), M);
  const full = B === M;
  const shuffle = !full && (options.shuffle ?? true);
  const runningCost = !full && options.epochCost === "running";
  const wantAcc = options.accuracy ?? isClassification(trainSet.y, M, nOut);
  const valAcc = validation !== null && (options.accuracy ?? isClassification(validation.y, validation.m, nOut));
  const stopRule = options.earlyStopping;
  if (stopRule !== undefined) positiveInt("patience", stopRule.patience);
  const monitor = stopRule?.monitor ?? (validation !== null ? "validationCost" : "cost");
  if (monitor === "validationCost" && validation === null)
    throw new OptionError("Early stopping on validationCost needs validation data.");

  const n = model.parameterCount;
  const frozen = model.frozenMask();
  // the rule asked for, else the resumed run's own, else sgd
  const opt = createOptimizer(
    resumedOptimizer(options.optimizer, options.resume?.optimizer),
    n,
    options.resume?.optimizer,
    frozen,
  );
  // the loop's arrays are its own, of the right sizes: the step needs no checks
  const rule = (opt as Optimizer & { readonly [UNCHECKED]?: Optimizer })[UNCHECKED] ?? opt;
  // sized for the run's batches up front (a cached engine is reused as it is, and grows on demand)
  const engine: TrainingEngine = model.engine({
    kind: options.engine ?? "auto",
    kernels: options.kernels ?? "auto",
    dtype: options.dtype ?? "float64",
    capacity: B,
  });
  if (running.has(network))
    throw new OptionError(
      "This network is already being trained (train() was called from inside a callback of another train() on it).",
    );
  running.add(network);
  try {
    // buffers are kept per network and reused by the next call: repeated short runs allocate nothing
    const ws = workspace(network);
    let cur = ws.f64("a", n);
    let next = ws.f64("b", n);
    const grad = ws.f64("grad", n);
    network.parameters(cur);
    // minibatches are gathered into two preallocated batches: full size and the last, shorter one
    const order = ws.u32("order", M);
    for (let i = 0; i < M; i++) order[i] = i;
    const own = full
      ? null
      : { full: ws.batch("full", B, nIn, nOut), rest: M % B === 0 ? null : ws.batch("rest", M % B, nIn, nOut) };
    // their inputs go straight into the engine's own input memory where it has one (WebAssembly),
    // which its run then reads in place: one copy of each example, not two (chosen every epoch)
    const gather =
      own === null
        ? null
        : {
            full: { m: B, x: own.full.x, y: own.full.y },
            rest: own.rest === null ? null : { m: own.rest.m, x: own.rest.x, y: own.rest.y },
          };
    // wide examples are copied a row at a time by TypedArray.set, through views on the set's rows made once
    const rows = gather !== null && nIn >= ROW_VIEW_MIN ? rowsOf(trainSet.x, M, nIn) : null;
    // the full measure reads the training set in place, slice by slice in its own order (views made once)
    const slices = full || runningCost ? null : slicesOf(trainSet, B, nIn, nOut);
    const done = options.resume?.epochs ?? 0;
    const log = new HistoryLog(done + 1, {
      accuracy: wantAcc,
      validation: validation !== null,
      validationAccuracy: valAcc,
    });
    let stopReason: StopReason = "epochs";
    const best = {
      value: Infinity,
      epoch: done,
      theta: stopRule !== undefined && stopRule.restoreBest !== false ? ws.f64("best", n) : null,
    };
    let finalEpoch = done + epochs;
    const watch = stallRule === false ? null : stallWatch(stallRule, epochs, wantAcc, trainSet, nOut, cur, frozen, lr);
    let stall: Stall | null = null;

    // Full batch: the pass that measures an epoch's weights is a gradient pass, whose gradient is
    // the next epoch's first step (at the same weights), so measuring costs nothing extra.
    let ready = false;
    let readyCost = Number.NaN;
    const steps = Math.ceil(M / B);

    for (let ep = done + 1; ep <= done + epochs; ep++) {
      if (shuffle) {
        // each epoch's order depends only on the generator's state (so a resumed run continues exactly)
        for (let i = 0; i < M; i++) order[i] = i;
        rng.shuffle(order);
      }
      if (gather !== null) {
        const into = engine[INPUT_BUFFER](B);
        gather.full.x = into ?? own!.full.x;
        if (gather.rest !== null) gather.rest.x = into ?? own!.rest!.x;
      }
      // a running epoch adds up its steps' losses (each with its batch's 1/m taken out) and correct counts
      let lossSum = 0;
      let correct = 0;
      for (let start = 0, step = 1; start < M; start += B, step++) {
        const m = Math.min(B, M - start);
        const batch =
          gather === null
            ? trainSet
            : fill(m === B ? gather.full : gather.rest!, trainSet, rows, order, start, nIn, nOut);
        let J = readyCost;
        if (ready) ready = false;
        else {
          // each step descends J of its own batch: mean loss over its m examples + λ/(2m) Σθ²
          J = engine[UNCHECKED](cur, batch, grad);
          if (!Number.isFinite(J)) throw diverged(network, cur, ep, step, "cost", J, lr, log);
        }
        if (runningCost) {
          lossSum += m * engine[LAST_LOSS](cur, m);
          if (wantAcc)
            correct += countCorrect(
              engine.gradientKeepsOutputs ? engine.outputs : engine.forward(cur, batch.x, m),
              batch.y,
              m,
              nOut,
            );
        }
        if (!Number.isFinite(rule.step(cur, grad, next, lr)))
          throw diverged(network, cur, ep, step, "weights", J, lr, log);
        const t = cur;
        cur = next;
        next = t;
      }
      // the epoch's metrics: J and accuracy over the whole training set at the weights the epoch
      // ended with — with L2, the term λ/(2M) Σθ² of the M examples, once (running: see epochCost)
      let cost: number;
      if (gather === null) {
        cost = engine[UNCHECKED](cur, trainSet, grad);
        ready = true;
        readyCost = cost;
        if (wantAcc)
          correct = countCorrect(
            engine.gradientKeepsOutputs ? engine.outputs : engine.forward(cur, trainSet.x, M),
            trainSet.y,
            M,
            nOut,
          );
      } else if (slices === null) {
        cost = lossSum / M + engine.batchTerm(cur, M);
      } else {
        // a forward pass slice by slice, at most B examples at a time (no buffer grows to the whole set)
        cost = 0;
        for (const slice of slices) {
          cost += engine[UNCHECKED_LOSS](cur, slice, M);
          if (wantAcc) correct += countCorrect(engine.outputs, slice.y, slice.m, nOut);
        }
        cost += engine.batchTerm(cur, M);
      }
      if (!Number.isFinite(cost)) throw diverged(network, cur, ep, steps, "cost", cost, lr, log);
      const acc = correct / M;
      let vCost = Number.NaN;
      let vAcc = Number.NaN;
      if (validation !== null) {
        vCost = engine.cost(cur, validation);
        if (!Number.isFinite(vCost)) throw diverged(network, cur, ep, steps, "cost", vCost, lr, log);
        if (valAcc) vAcc = countCorrect(engine.outputs, validation.y, validation.m, nOut) / validation.m;
      }
      log.push(cost, acc, vCost, vAcc);
      let stopOnStall = false;
      if (watch !== null && stall === null) {
        stall = watch.epoch(ep, cost, acc);
        if (stall !== null) {
          log.markStalled();
          if (options.onStall !== undefined) {
            network.setParameters(cur);
            const r = options.onStall(stall, network);
            stopOnStall = r === false || r === "stop";
          }
        }
      }
      if (options.onEpoch !== undefined) {
        network.setParameters(cur);
        const r = options.onEpoch(log.record(log.length - 1), network);
        if (r === false || r === "stop") {
          stopReason = "callback";
          finalEpoch = ep;
          break;
        }
      }
      if (stopOnStall) {
        stopReason = "stalled";
        finalEpoch = ep;
        break;
      }
      if (stopRule !== undefined) {
        // the monitored value was measured at cur: these are the weights to keep if it is the best
        const value = monitor === "cost" ? cost : vCost;
        if (value < best.value - (stopRule.minDelta ?? 0)) {
          best.value = value;
          best.epoch = ep;
          best.theta?.set(cur);
        } else if (ep - best.epoch >= stopRule.patience) {
          stopReason = "early-stopping";
          finalEpoch = ep;
          if (best.theta !== null) {
            cur = best.theta;
            finalEpoch = best.epoch;
          }
          break;
        }
      }
    }
    network.setParameters(cur);
    return {
      history: log.records(),
      stopReason,
      finalEpoch,
      resume: { optimizer: opt.state(), random: rng.state(), epochs: done + log.length },
      stall,
    };
  } finally {
    running.delete(network);
  }
}
const running = new WeakSet<Trainable>();

/**
 * The stall watch of a run: a flat stretch of `window` epochs (default a tenth of the run, at
 * least 50) while accuracy is at most the most common class's share, or, without accuracy, while
 * the cost is at least half the first epoch's.
 */
function stallWatch(
  rule: StallOptions,
  epochs: number,
  wantAcc: boolean,
  trainSet: Batch,
  nOut: number,
  theta: Float64Array,
  frozen: Uint8Array | null,
  lr: number,
): StallWatch {
  const window = rule.window ?? Math.max(STALL_MIN_WINDOW, Math.ceil(epochs / 10));
  const poor = wantAcc ? (rule.accuracy ?? majorityShare(trainSet.y, trainSet.m, nOut)) : null;
  // the largest starting |θ| among the parameters training moves
  let scale = 0;
  for (let i = 0; i < theta.length; i++)
    if (frozen === null || frozen[i] === 0) scale = Math.max(scale, Math.abs(theta[i]!));
  return new StallWatch(
    window,
    rule.tolerance ?? STALL_TOLERANCE,
    poor,
    rule.costRatio ?? STALL_COST_RATIO,
    wantAcc && rule.accuracy === undefined,
    scale,
    lr,
  );
}

/** A preallocated minibatch (x may be longer than m examples: an engine's input buffer). */
interface Gathered {
  readonly m: number;
  x: Float64Array;
  readonly y: Float64Array;
}

/** Training buffers of one network, reused from call to call while their sizes fit. */
class Workspace {
  private readonly arrays = new Map<string, Float64Array | Uint32Array>();
  private readonly batches = new Map<string, Gathered>();
  f64(key: string, n: number): Float64Array {
    const a = this.arrays.get(key);
    if (a instanceof Float64Array && a.length === n) return a;
    const b = allocate(n);
    this.arrays.set(key, b);
    return b;
  }
  u32(key: string, n: number): Uint32Array {
    const a = this.arrays.get(key);
    if (a instanceof Uint32Array && a.length === n) return a;
    const b = new Uint32Array(n);
    this.arrays.set(key, b);
    return b;
  }
  batch(key: string, m: number, nIn: number, nOut: number): Gathered {
    const g = this.batches.get(key);
    if (g !== undefined && g.m === m && g.x.length === m * nIn && g.y.length === m * nOut) return g;
    const h = { m, x: new Float64Array(m * nIn), y: new Float64Array(m * nOut) };
    this.batches.set(key, h);
    return h;
  }
}

const workspaces = new WeakMap<Trainable, Workspace>();
function workspace(network: Trainable): Workspace {
  let w = workspaces.get(network);
  if (w === undefined) {
    w = new Workspace();
    workspaces.set(network, w);
  }
  return w;
}

/** The training set as consecutive slices of at most B examples: views on its arrays, no copies. */
function slicesOf(data: Batch, B: number, nIn: number, nOut: number): Batch[] {
  const out: Batch[] = [];
  for (let start = 0; start < data.m; start += B) {
    const end = Math.min(data.m, start + B);
    out.push({
      m: end - start,
      x: data.x.subarray(start * nIn, end * nIn),
      y: data.y.subarray(start * nOut, end * nOut),
    });
  }
  return out;
}

/** Inputs per example from which a row is copied by TypedArray.set (a block copy) rather than a loop. */
const ROW_VIEW_MIN = 32;

/** Views on each example's inputs, made once per input array (and dropped with it). */
const rowViews = new WeakMap<Float64Array, Float64Array[]>();
function rowsOf(X: Float64Array, M: number, nIn: number): Float64Array[] {
  let rows = rowViews.get(X);
  if (rows === undefined || rows.length !== M || rows[0]!.length !== nIn) {
    rows = [];
    for (let e = 0; e < M; e++) rows.push(X.subarray(e * nIn, (e + 1) * nIn));
    rowViews.set(X, rows);
  }
  return rows;
}

/** Copies the examples order[start … start + m) into a preallocated batch (the inputs through `rows` when given). */
function fill(
  g: Gathered,
  data: Batch,
  rows: readonly Float64Array[] | null,
  order: Uint32Array,
  start: number,
  nIn: number,
  nOut: number,
): Batch {
  const { x, y, m } = g;
  const X = data.x;
  const Y = data.y;
  for (let i = 0; i < m; i++) {
    const e = order[start + i]!;
    if (rows !== null) x.set(rows[e]!, i * nIn);
    else for (let k = 0, s = e * nIn, d = i * nIn; k < nIn; k++) x[d + k] = X[s + k]!;
    for (let k = 0, s = e * nOut, d = i * nOut; k < nOut; k++) y[d + k] = Y[s + k]!;
  }
  return g;
}

function diverged(
  network: Trainable,
  last: Float64Array,
  epoch: number,
  step: number,
  cause: "cost" | "weights",
  cost: number,
  lr: number,
  log: HistoryLog,
): DivergenceError {
  network.setParameters(last);
  return new DivergenceError(epoch, step, cause, cost, last.slice(), lr, log.records());
}
