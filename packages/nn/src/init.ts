/**
 * Initial parameter values. The post's rule: every parameter uniform in [−ε, ε] with ε close to
 * zero, which breaks the symmetry between the neurons of a layer (equal weights would give equal
 * δ terms and equal updates forever). Glorot (uniform, ±√(6/(fan-in + fan-out))) and He (normal,
 * σ = √(2/fan-in)) scale the range to the layer; their biases start at 0. The default, "auto",
 * picks per layer the scale its activation needs (core's activation table: He for the ReLU
 * family, Glorot otherwise), as Keras and PyTorch users expect: a small fixed ε shrinks the
 * signal and its δ terms layer by layer, and a sigmoid network started that way can sit on a
 * plateau for thousands of epochs.
 */
import {
  ACTIVATION_TABLE,
  type ActivationName,
  isActivation,
  layeredParameterCount,
  oneOf,
  show,
} from "@chainrule/core";
import { allocate, optionsObject } from "./check.js";
import { paramLayers } from "./engine/views.js";
import { OptionError } from "./errors.js";
import { Random, seedStream } from "./random.js";

/** The initialisation schemes. */
export const INIT_METHODS = ["auto", "uniform", "glorot", "he"] as const;
/** An initialisation scheme. */
export type InitMethod = (typeof INIT_METHODS)[number];

/** The post's default ε for uniform initialisation. */
export const DEFAULT_EPSILON = 0.12;

/** How to initialise a network's parameters. */
export interface InitOptions {
  /**
   * Default "auto": Glorot or He per layer, as its activation needs; "uniform" is the post's
   * [−ε, ε] (and the default when only `epsilon` is given).
   */
  readonly method?: InitMethod;
  /** ε of the uniform scheme (default {@link DEFAULT_EPSILON}); giving it alone means "uniform". */
  readonly epsilon?: number;
  /**
   * The activation of each layer after the input, which "auto" reads (Network.create passes its
   * own). Without it "auto" is Glorot everywhere.
   */
  readonly activations?: readonly ActivationName[];
  /** Seed (default 0): initialisation draws from its stream, `seedStream(seed, "init")`; ignored when `random` is given. */
  readonly seed?: number;
  /** A generator to draw from (so one seed can drive initialisation and training). */
  readonly random?: Random;
}

/** Checks an initialisation method name. */
export function checkInitMethod(name: string): InitMethod {
  return oneOf(INIT_METHODS, name, "initialisation");
}

/**
 * Fills a parameter vector (core's order: per layer, per neuron j, bias then weights) for a
 * network of the given sizes. Draws in parameter order, so the same seed gives the same values.
 */
export function initialParameters(sizes: readonly number[], bias: boolean, options: InitOptions = {}): Float64Array {
  optionsObject("The initialisation options", options);
  const method = checkInitMethod(options.method ?? (options.epsilon !== undefined ? "uniform" : "auto"));
  const eps = options.epsilon ?? DEFAULT_EPSILON;
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0)
    throw new OptionError(`ε must be a finite number ≥ 0, got ${show(eps)}.`, eps);
  if (options.epsilon !== undefined && method !== "uniform") {
    throw new OptionError(
      `ε is the range of the uniform initialisation; "${method}" sets its scale from the layer sizes (leave out epsilon, or use method "uniform").`,
      eps,
    );
  }
  if (options.random !== undefined && !(options.random instanceof Random))
    throw new OptionError(
      `options.random must be a Random generator, got ${show(options.random, 40)}.`,
      options.random,
    );
  const rng = options.random ?? seedStream(options.seed ?? 0, "init");
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new OptionError(`Layer sizes are at least two whole numbers ≥ 1, e.g. [2, 2, 2]; got ${show(sizes)}.`, sizes);
  }
  if (typeof bias !== "boolean") throw new OptionError(`bias is true or false; got ${show(bias)}.`, bias);
  const acts = options.activations;
  if (acts !== undefined && (!Array.isArray(acts) || acts.length !== sizes.length - 1 || !acts.every(isActivation))) {
    throw new OptionError(
      `activations are one activation name per layer after the input (${sizes.length - 1} here); got ${show(acts)}.`,
      acts,
    );
  }
  const layers = paramLayers(sizes, bias);
  const theta = allocate(layeredParameterCount(sizes, bias));
  layers.forEach((p, l) => {
    // Glorot: U(±√(6/(fan-in + fan-out)));  He: N(0, 2/fan-in)
    const limit = Math.sqrt(6 / (p.from + p.to));
    const sigma = Math.sqrt(2 / p.from);
    const scheme = method === "auto" ? (acts === undefined ? "glorot" : ACTIVATION_TABLE[acts[l]!].init) : method;
    // drawn in parameter order, a run of draws at a time: uniform draws every parameter of the
    // layer (biases too); Glorot and He leave each row's bias at 0 and draw its weights
    if (scheme === "uniform") rng.fillUniform(theta, -eps, eps, p.off, p.off + p.to * p.ld);
    else {
      for (let j = 0; j < p.to; j++) {
        const row = p.off + j * p.ld;
        const first = bias ? row + 1 : row;
        if (scheme === "glorot") rng.fillUniform(theta, -limit, limit, first, row + p.ld);
        else rng.fillNormal(theta, sigma, first, row + p.ld);
      }
    }
  });
  return theta;
}
