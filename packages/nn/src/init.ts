/**
 * Initial parameter values. The post's rule: every parameter uniform in [−ε, ε] with ε close to
 * zero, which breaks the symmetry between the neurons of a layer (equal weights would give equal
 * δ terms and equal updates forever). Glorot (uniform, ±√(6/(fan-in + fan-out))) and He (normal,
 * σ = √(2/fan-in)) scale the range to the layer; their biases start at 0.
 */
import { oneOf, show } from "@chainrule/core";
import { allocate, optionsObject } from "./check.js";
import { OptionError } from "./errors.js";
import { Random } from "./random.js";
import { paramLayers } from "./engine/views.js";

/** The initialisation schemes. */
export const INIT_METHODS = ["uniform", "glorot", "he"] as const;
/** An initialisation scheme. */
export type InitMethod = (typeof INIT_METHODS)[number];

/** The post's default ε for uniform initialisation. */
export const DEFAULT_EPSILON = 0.12;

/** How to initialise a network's parameters. */
export interface InitOptions {
  /** Default "uniform" (the post's [−ε, ε]). */
  readonly method?: InitMethod;
  /** ε of the uniform scheme (default {@link DEFAULT_EPSILON}). */
  readonly epsilon?: number;
  /** Seed of the generator (default 0); ignored when `random` is given. */
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
  const method = checkInitMethod(options.method ?? "uniform");
  const eps = options.epsilon ?? DEFAULT_EPSILON;
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0) throw new OptionError(`ε must be a finite number ≥ 0, got ${show(eps)}.`, eps);
  if (options.random !== undefined && !(options.random instanceof Random)) throw new OptionError(`options.random must be a Random generator, got ${show(options.random, 40)}.`, options.random);
  const rng = options.random ?? new Random(options.seed ?? 0);
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new OptionError(`Layer sizes are at least two whole numbers ≥ 1, e.g. [2, 2, 2]; got ${show(sizes)}.`, sizes);
  }
  if (typeof bias !== "boolean") throw new OptionError(`bias is true or false; got ${show(bias)}.`, bias);
  const layers = paramLayers(sizes, bias);
  const total = layers.reduce((s, p) => s + p.to * p.ld, 0);
  const theta = allocate(total);
  for (const p of layers) {
    // Glorot: U(±√(6/(fan-in + fan-out)));  He: N(0, 2/fan-in)
    const limit = Math.sqrt(6 / (p.from + p.to));
    const sigma = Math.sqrt(2 / p.from);
    for (let j = 0; j < p.to; j++) {
      for (let c = 0; c < p.ld; c++) {
        const isBias = bias && c === 0;
        let v: number;
        if (method === "uniform") v = rng.uniform(-eps, eps);
        else if (isBias) v = 0;
        else if (method === "glorot") v = rng.uniform(-limit, limit);
        else v = sigma * rng.normal();
        theta[p.off + j * p.ld + c] = v;
      }
    }
  }
  return theta;
}
