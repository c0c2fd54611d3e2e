/**
 * Parsing and checking of option values shared by the verbs: layer lists, activations, costs,
 * parameter addresses, integers, numbers and choices from a list. Each failure is a one-line
 * UsageError that quotes what was given short (core's `quote`); numbers are decimal only.
 */
import {
  ACTIVATIONS,
  type ActivationName,
  COSTS,
  type CostName,
  isActivation,
  isCost,
  type LayerSpec,
  MAX_SEED,
  quote,
  unknownName,
} from "@chainrule/core";
import { ENGINE_KINDS, type FrozenSpec } from "@chainrule/nn";
import { UsageError } from "./errors.js";
import type { OptionSpec, ValuesOf } from "./verb.js";

/** The most layers --layers takes. */
const MAX_LAYERS = 1000;

/** `--layers 2,2,2` → [2, 2, 2]; every entry a whole number ≥ 1, at least two layers. */
export function parseLayers(text: string | undefined, option = "--layers"): number[] {
  if (text === undefined || text.trim() === "") throw new UsageError(`${option} is required, e.g. ${option} 2,2,2.`);
  const given = `${option} ${quote(text)}`;
  const parts = text.split(",", MAX_LAYERS + 1);
  if (parts.length > MAX_LAYERS)
    throw new UsageError(`${given}: more than ${MAX_LAYERS} layers; the limit is ${MAX_LAYERS}.`);
  const sizes = parts.map((p, i) => {
    const t = p.trim();
    if (t === "") throw new UsageError(`${given}: entry ${i + 1} is empty; give sizes like 2,2,2.`);
    if (!/^\d+$/.test(t)) throw new UsageError(`${given}: ${quote(t)} is not a whole number; give sizes like 2,2,2.`);
    const n = Number(t);
    if (n < 1) throw new UsageError(`${given}: layer ${i + 1} has ${n} neurons; every layer needs at least 1.`);
    if (n > 100_000)
      throw new UsageError(
        `${given}: layer ${i + 1} has ${t.length > 12 ? "more than 100000" : n} neurons; the limit is 100000.`,
      );
    return n;
  });
  if (sizes.length < 2)
    throw new UsageError(`${given}: a network needs at least two layers (input and output), e.g. 2,2,2.`);
  return sizes;
}

/** `--activation sigmoid` or `relu,softmax` (one per non-input layer), in any letter case (`ReLU`). */
export function parseActivation(text: string | undefined, layers: number): ActivationName | ActivationName[] {
  if (text === undefined) return "sigmoid";
  const names = text.split(",", MAX_LAYERS + 1).map((s): ActivationName => {
    const n = s.trim().toLowerCase();
    if (!isActivation(n)) throw unknownName("activation", n, ACTIVATIONS);
    return n;
  });
  const only = names[0];
  if (names.length === 1 && only !== undefined) {
    if (only === "softmax") return [...Array.from({ length: layers - 2 }, () => "sigmoid" as const), "softmax"];
    return only;
  }
  if (names.length !== layers - 1) {
    throw new UsageError(
      `--activation ${quote(text)}: give one activation, or one per non-input layer (${layers - 1} for ${layers} layers).`,
    );
  }
  return names;
}

/** `--cost mse` etc., in any letter case (`MSE`). */
export function parseCost(text: string | undefined, fallback: CostName = "mse"): CostName {
  if (text === undefined) return fallback;
  const name = text.trim().toLowerCase();
  if (!isCost(name)) throw unknownName("cost", text, COSTS);
  return name;
}

/**
 * One of a list of names (`--format`, `--engine`, `--form`…), or a UsageError in the words of
 * core's `unknownName`: the known names, and the closest one when it is close.
 */
export function parseChoice<N extends string>(
  text: string | undefined,
  option: string,
  known: readonly N[],
  fallback: N,
  what = option.replace(/^--/, ""),
): N {
  if (text === undefined) return fallback;
  const found = known.find((k) => k === text);
  if (found !== undefined) return found;
  throw new UsageError(`${option}: ${unknownName(what, text, known).message}`);
}

/** `--engine auto|matrix|compiled`: the gradient executor, from nn's list of engine choices (one check for every verb). */
export function parseEngine(v: { readonly engine?: string | undefined }): (typeof ENGINE_KINDS)[number] {
  return parseChoice(v.engine, "--engine", ENGINE_KINDS, "auto");
}

/** --seed: a whole number 0…2³²−1 (core's MAX_SEED), `fallback` when left out — one check for every verb. */
export function parseSeed(values: { readonly seed?: string | undefined }, fallback = 0): number {
  return parseInteger(values.seed, "--seed", fallback, 0, MAX_SEED);
}

/** A whole number option within bounds. */
export function parseInteger(
  text: string | undefined,
  option: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${option} ${quote(text)} is not a whole number.`);
  const t = text.trim();
  const n = Number(t);
  if (n < min || n > max)
    throw new UsageError(
      `${option} ${t.length > 20 ? quote(t, 20) : n} is out of range; use ${min}…${max === Number.MAX_SAFE_INTEGER ? "" : max}.`,
    );
  return n;
}

/** Decimal notation: digits, an optional sign, point and exponent (no hex, no Infinity, no blanks). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number option within bounds, written in decimal notation (0x10 or Infinity are refused). */
export function parseNumber(
  text: string | undefined,
  option: string,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  if (text === undefined) return fallback;
  const t = text.trim();
  if (!DECIMAL.test(t))
    throw new UsageError(`${option} ${quote(text)} is not a number: write it in decimal, e.g. 0.01, -2 or 1e-3.`);
  const n = Number(t);
  if (!Number.isFinite(n)) throw new UsageError(`${option} ${quote(text)} is too large for a 64-bit float.`);
  if (n < min || n > max)
    throw new UsageError(`${option} ${t.length > 20 ? quote(t, 20) : n} is out of range (${min} to ${max}).`);
  return n;
}

/**
 * `--param l,j,k` → [l, j, k]. `option` and `others` (what else the option takes) word the error
 * for other options that take addresses.
 */
export function parseParam(text: string, option = "--param", others = `"all"`): [number, number, number] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new UsageError(
      `${option} ${quote(text)}: give l,j,k (layer, to-neuron, from-neuron; k = 0 is the bias), e.g. 1,1,1, or ${others}.`,
    );
  }
  const address = parts.map(Number) as [number, number, number];
  if (!address.every((n) => Number.isSafeInteger(n)))
    throw new UsageError(`${option} ${quote(text)}: each of l, j, k is a whole number below 2^53.`);
  return address;
}

/**
 * `--freeze biases`, `--freeze l,j,k;l,j,k…` or `--freeze none` → what nn's `Network.setFrozen`
 * takes (none: null). Whether the addresses exist is the network's check.
 */
export function parseFreeze(text: string): FrozenSpec | null {
  const t = text.trim();
  if (t === "biases" || t === "none") return t === "none" ? null : t;
  return t.split(";", 100_001).map((a) => parseParam(a, "--freeze", `"biases" or "none"; several as "1,1,1;2,1,0"`));
}

/** The layer spec from --layers, --activation, --cost, --no-bias, --l2. */
export function layerSpec(v: ValuesOf<typeof NETWORK_OPTIONS>): LayerSpec {
  const sizes = parseLayers(v.layers);
  return {
    sizes,
    activation: parseActivation(v.activation, sizes.length),
    cost: parseCost(v.cost, defaultCost(v.activation)),
    bias: !v["no-bias"],
    l2: parseNumber(v.l2, "--l2", 0, 0),
  };
}

/** cross-entropy for a softmax output, else mse. */
function defaultCost(activation: string | undefined): CostName {
  return activation !== undefined && activation.split(",").at(-1)?.trim().toLowerCase() === "softmax"
    ? "cross-entropy"
    : "mse";
}

/** The network options most verbs share. */
export const NETWORK_OPTIONS = {
  layers: { type: "string", value: "2,2,2", description: "neurons per layer, input first" },
  activation: {
    type: "string",
    value: "sigmoid",
    description: "one activation, or one per non-input layer (relu,softmax)",
  },
  cost: { type: "string", value: "mse", description: "mse | cross-entropy | binary-cross-entropy" },
  "no-bias": { type: "boolean", description: "leave out the bias parameters θ_j0" },
  l2: { type: "string", value: "λ", description: "L2 strength λ in λ/(2m) Σθ² (default 0)" },
} as const satisfies Record<string, OptionSpec>;
