/**
 * `chainrule train`: gradient descent on the derived gradients, from a model file or a fresh
 * network, on a CSV file or a built-in dataset; metrics every epoch (a progress bar on a terminal,
 * JSON lines with --json, a few plain lines when piped); the trained model saved atomically.
 * Frozen parameters (--freeze, or those a --model was saved with) are left as they are.
 *
 * The save is proved possible before the first epoch: --save names a regular file, a new one or a
 * link to one (never a folder, pipe or device, nor the --data file; the --model file is fine:
 * retraining in place), its folder takes a temporary file, and the model as it stands, with the
 * history it carries, can be written as JSON.
 */

import { ACTIVATION_TABLE, ACTIVATIONS, ChainruleError, quote } from "@chainrule/core";
import {
  builtinDataset,
  checkInitMethod,
  checkOptimizerName,
  DEFAULT_EPSILON,
  defaultNetworkSpec,
  type EpochRecord,
  formatModel,
  INIT_METHODS,
  type Model,
  ModelFileError,
  Network,
  NonFiniteError,
  OPTIMIZERS,
  type OptimizerName,
  type OptimizerSpec,
  type OptimizerState,
  OptionError,
  type RandomState,
  resumedOptimizer,
  resumeOf,
  type TrainOptions,
  type TrainResult,
  train,
} from "@chainrule/nn";
import { checkOutput, type OutputOptions, writeFileAtomic } from "@chainrule/nn/node";
import { NETWORK_OPTIONS, parseEngine, parseFreeze, parseInteger, parseNumber, parseSeed } from "../args.js";
import { UsageError } from "../errors.js";
import { guardTrain, MAX_WORK_OPTION } from "../guards.js";
import { dataSource, freshSpec, loadData, loadModel, MODEL_OPTIONS } from "../nn-input.js";
import { epochReporter, percent } from "../progress.js";
import { verb } from "../verb.js";

/** The activations whose layers "auto" starts with this scheme (core's registry). */
const initFamily = (init: "glorot" | "he") => ACTIVATIONS.filter((a) => ACTIVATION_TABLE[a].init === init).join(", ");

/** The `train` verb. */
export const trainVerb = verb({
  name: "train",
  summary: "train a network by gradient descent on the derived gradients and save it",
  examples: [
    "chainrule train --dataset xor --layers 2,3,1 --epochs 2000 --lr 5 --epsilon 1 --save xor.json",
    "chainrule train --model model.json --data data.csv --epochs 100 --lr 0.1 --batch-size 32 --optimizer adam --save trained.json",
    "chainrule train --dataset iris --layers 4,8,3 --activation tanh,softmax --epochs 200 --lr 0.01 --optimizer adam --validation 0.2 --json",
    "chainrule train --model post.json --data post.csv --epochs 10000 --lr 0.5 --freeze biases --save trained.json",
    'chainrule train --model model.json --data data.csv --epochs 100 --lr 0.1 --freeze "1,1,0;2,1,1" --save trained.json',
  ],
  options: {
    ...MODEL_OPTIONS,
    ...NETWORK_OPTIONS,
    init: {
      type: "string",
      value: INIT_METHODS.join("|"),
      description: `initialisation of a new network: auto picks per layer Glorot (${initFamily("glorot")}) or He (${initFamily("he")}); uniform is the post's [−ε, ε]`,
      default: "auto",
    },
    epsilon: {
      type: "string",
      value: "ε",
      description: "range of the uniform initialisation [−ε, ε]; giving it means --init uniform",
      default: String(DEFAULT_EPSILON),
    },
    epochs: { type: "string", value: "N", description: "passes over the data (required)" },
    lr: { type: "string", value: "η", description: "learning rate (required)" },
    "batch-size": {
      type: "string",
      value: "B",
      description: "examples per step (default: all, full batch; 1: stochastic)",
    },
    optimizer: {
      type: "string",
      value: OPTIMIZERS.join("|"),
      description: "update rule (a resumed run keeps its saved one)",
      default: "sgd",
    },
    momentum: {
      type: "string",
      value: "μ",
      description: "momentum coefficient (with --optimizer momentum; a resumed run keeps its saved μ)",
      default: "0.9",
    },
    seed: {
      type: "string",
      value: "S",
      description:
        "one seed for data generation, initialisation and shuffling (each its own stream; the API given the same seed builds the same model)",
      default: "0",
    },
    validation: { type: "string", value: "fraction", description: "hold out this fraction of the data for validation" },
    patience: { type: "string", value: "epochs", description: "stop early after this many epochs without improvement" },
    freeze: {
      type: "string",
      value: "biases|l,j,k;…|none",
      description:
        'parameters training leaves as they are: every bias, or θ⁽ˡ⁾_jk by address (k = 0: the bias), e.g. "1,1,0;2,1,1"; saved with the model. A --model keeps the set it was saved with unless --freeze is given (none: train every parameter)',
    },
    engine: { type: "string", value: "auto|matrix|compiled", description: "gradient executor", default: "auto" },
    ...MAX_WORK_OPTION,
    json: { type: "boolean", description: "one JSON line per epoch, then a summary line" },
    save: {
      type: "string",
      value: "out.json",
      description:
        "write the trained model here, atomically (checked before training: a regular or new file, or a link to one, in a writable folder; never the --data file, but --model's own file is fine)",
    },
  },
  run(values, io) {
    // every option value first
    const epochs = parseInteger(values.epochs, "--epochs", -1, 1, 100_000_000);
    if (epochs === -1) throw new UsageError("--epochs N is required");
    if (values.lr === undefined) throw new UsageError("--lr η is required");
    const lr = parseNumber(values.lr, "--lr", 0, Number.MIN_VALUE, Number.MAX_VALUE);
    const batchSize =
      values["batch-size"] === undefined ? undefined : parseInteger(values["batch-size"], "--batch-size", 0, 1);
    const optimizerGiven = values.optimizer === undefined ? undefined : checkOptimizerName(values.optimizer);
    const mu = values.momentum === undefined ? undefined : parseNumber(values.momentum, "--momentum", 0.9, 0, 1);
    const seed = parseSeed(values);
    const validation =
      values.validation === undefined ? undefined : parseNumber(values.validation, "--validation", 0, 0, 0.99);
    const patience = values.patience === undefined ? undefined : parseInteger(values.patience, "--patience", 0, 1);
    const init = checkInitMethod(values.init ?? (values.epsilon !== undefined ? "uniform" : "auto"));
    const epsilon = parseNumber(values.epsilon, "--epsilon", DEFAULT_EPSILON, 0);
    const engine = parseEngine(values);
    const freezeText = values.freeze;
    const freeze = freezeText === undefined ? undefined : parseFreeze(freezeText);
    const json = values.json === true;
    const save = values.save;
    const source = dataSource(values);
    const spec = freshSpec(values);
    if (values.model !== undefined && spec !== null) throw new UsageError("give --model or --layers, not both");
    if (values.model !== undefined && (values.init !== undefined || values.epsilon !== undefined)) {
      throw new UsageError("--init and --epsilon set up a new network; a --model file brings its own weights");
    }
    if (values.epsilon !== undefined && init !== "uniform") {
      throw new UsageError(
        `--epsilon is the range of the uniform initialisation; --init ${init} sets its own scale from the layer sizes (leave out --epsilon)`,
      );
    }
    // the save target is proved writable before any work starts; it must not be the data it learns from
    const saveOptions: OutputOptions = {
      option: "--save",
      inputs: source.kind === "file" ? [{ option: "--data", path: source.path }] : [],
    };
    if (save !== undefined) checkOutput(save, saveOptions);

    // one seed for data, initialisation and training: each draws from its own stream of it, as through the API
    const initOptions = init === "uniform" ? { method: init, epsilon, seed } : { method: init, seed };
    const model = values.model !== undefined ? loadModel(values).model : null;
    // a model saved with its training state continues that run, by nn's rule for resuming: its
    // update rule and settings unless the options name them, and only those
    const previous = model?.training;
    const resume = resumeOf(previous);
    const modelPath = values.model;
    const resumed = (asked: OptimizerSpec | OptimizerName | undefined): OptimizerSpec => {
      try {
        return resumedOptimizer(asked, resume?.optimizer);
      } catch (e) {
        // the saved run's words, under the model file's name
        if (e instanceof OptionError) throw new UsageError(`${modelPath}: ${e.message}`);
        throw e;
      }
    };
    const optimizerName = resumed(optimizerGiven).name;
    if (mu !== undefined && optimizerName !== "momentum") {
      throw new UsageError(
        `--momentum is the coefficient of --optimizer momentum; the optimizer here is ${optimizerName} (give --optimizer momentum, or leave out --momentum)`,
      );
    }
    // μ left out: 0.9 for a new run, the saved μ for a resumed one
    const optimizer = resumed(mu !== undefined ? { name: "momentum", momentum: mu } : { name: optimizerName });
    let network: Network;
    if (model !== null) network = model.network;
    else if (spec !== null) network = Network.create(spec, initOptions);
    else if (source.kind === "dataset") {
      // a built-in dataset's default network, the explorer's too: one hidden layer of 8 tanh neurons, the classifier output
      network = Network.create(defaultNetworkSpec(builtinDataset(source.name, { seed })), initOptions);
    } else throw new UsageError("--model m.json or --layers is required (or --dataset for a default network)");
    // --freeze replaces the frozen set a --model was saved with; without it, that set stays
    if (freeze !== undefined && freezeText !== undefined) {
      try {
        network.setFrozen(freeze);
      } catch (e) {
        // an address outside the network, or biases it does not have: the network's words, under the option's name
        if (e instanceof ChainruleError) throw new UsageError(`--freeze ${quote(freezeText)}: ${e.message}`);
        throw e;
      }
    }
    const data = loadData(source, network, model?.classes, seed, false, modelPath ?? "--layers");
    // the engine and one epoch estimated from the sizes, refused before any work when too large
    guardTrain(network.layerSpec(), data.m, values);
    const classes = model?.classes ?? data.classes;

    // the model file as it stands must be writable too: a resumed history with a value JSON cannot hold fails now, not after training
    const savedModel = (
      epochsDone: number,
      history: readonly EpochRecord[],
      state?: { readonly optimizer: OptimizerState; readonly random: RandomState },
    ): Model => ({
      network,
      ...(classes !== undefined ? { classes } : {}),
      training: {
        epochs: epochsDone,
        ...(state !== undefined ? { optimizer: state.optimizer, random: state.random } : {}),
        settings: { learningRate: lr, optimizer: optimizerName, batchSize: batchSize ?? data.m, seed },
        history,
      },
    });
    if (save !== undefined) {
      try {
        formatModel(savedModel(resume?.epochs ?? 0, resume !== undefined ? (previous?.history ?? []) : [], resume));
      } catch (e) {
        if (e instanceof NonFiniteError) {
          throw new ModelFileError(
            modelPath ?? "the model",
            `${e.message} A saved model cannot hold it, so --save ${save} would fail after training; fix or remove that entry, or remove the "training" field to start a new run.`,
          );
        }
        throw e;
      }
    }

    const first = (resume?.epochs ?? 0) + 1;
    const report = epochReporter(io, json, first, epochs);
    const options: TrainOptions = {
      epochs,
      learningRate: lr,
      optimizer,
      seed,
      engine,
      onEpoch: (r) => void report.epoch(r),
      // once per run, when the cost has stayed flat while accuracy is poor: the likely causes, on stderr
      onStall: (stall) => void io.err(`chainrule: warning: ${stall.message}`),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(validation !== undefined && validation > 0 ? { validationSplit: validation } : {}),
      ...(patience !== undefined ? { earlyStopping: { patience } } : {}),
      ...(resume !== undefined ? { resume } : {}),
    };
    let result: TrainResult;
    try {
      result = train(network, data, options);
    } finally {
      report.stop();
    }
    const history = [...(resume !== undefined ? (previous?.history ?? []) : []), ...result.history];
    if (save !== undefined)
      writeFileAtomic(save, formatModel(savedModel(result.resume.epochs, history, result.resume)), saveOptions);
    // the summary is the record of the epoch whose weights the network holds (the best one when early stopping restored it)
    const last = result.history.at(-1)!;
    const final = result.history.find((r) => r.epoch === result.finalEpoch) ?? last;
    const restored = final.epoch !== last.epoch;
    const summary = {
      done: true,
      epochs: result.history.length,
      stopReason: result.stopReason,
      finalEpoch: final.epoch,
      ...(result.stall !== null ? { stalledAt: result.stall.epoch } : {}),
      cost: final.cost,
      ...(final.accuracy !== undefined ? { accuracy: final.accuracy } : {}),
      ...(final.validationCost !== undefined ? { validationCost: final.validationCost } : {}),
      ...(final.validationAccuracy !== undefined ? { validationAccuracy: final.validationAccuracy } : {}),
      ...(save !== undefined ? { saved: save } : {}),
    };
    if (json) io.out(JSON.stringify(summary));
    else {
      const stop = result.stopReason === "epochs" ? "" : ` (stopped early: ${result.stopReason})`;
      const at = restored ? `; the weights of epoch ${final.epoch}, the best, were restored: ` : ": ";
      const figures = [`cost ${final.cost.toPrecision(6)}`];
      if (final.accuracy !== undefined) figures.push(`accuracy ${percent(final.accuracy)}`);
      if (final.validationCost !== undefined) figures.push(`validation cost ${final.validationCost.toPrecision(6)}`);
      if (final.validationAccuracy !== undefined)
        figures.push(`validation accuracy ${percent(final.validationAccuracy)}`);
      io.out(
        `trained ${network.spec.sizes.join("-")} for ${result.history.length} epochs${stop}${at}${figures.join(", ")}${save !== undefined ? `; saved ${save}` : ""}`,
      );
    }
  },
});
