/**
 * Checks of what people type into the controls. Each check returns the value or a one-line message
 * for the control; the page shows the message next to it and keeps the last valid state. Network
 * checks end with core's own: the activations and the cost are validated by building the same
 * network at most two neurons wide, so the page refuses exactly what the library refuses.
 */
import { ChainruleError, layeredInfo, layeredParameterCount, layeredParamRanges } from "@chainrule/core";
import type { NetworkState } from "./state.js";

/** How large a network the explorer derives; beyond these the page would stop being interactive. */
export const LIMITS = {
  /** Neurons in one layer. */
  neurons: 1000,
  /** Layers, input and output included. */
  layers: 8,
  /** Parameters of the whole network (784-128-10 has 101,770). */
  parameters: 200_000,
  /** Typed-in weights: one input box per parameter, so only for small networks. */
  typedParameters: 64,
} as const;

/** A checked value or the message to show. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

/** `2, 3, 2` → [2, 3, 2]: whole numbers of neurons, 1 to 1000 each, 2 to 8 layers. */
export function checkSizes(text: string): Checked<number[]> {
  const parts = text.split(/[,\s]+/).filter((p) => p !== "");
  if (parts.length === 0) return fail("Give the neurons per layer, input first, e.g. 2, 2, 2.");
  const sizes: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (!/^[+-]?\d+(\.\d+)?$/.test(p))
      return fail(`"${p}" is not a number; give whole numbers of neurons, e.g. 2, 3, 2.`);
    const n = Number(p);
    if (!Number.isInteger(n)) return fail(`Layer ${i + 1}: ${p} is not a whole number of neurons.`);
    if (n < 1) return fail(`Layer ${i + 1} has ${n} neurons; every layer needs at least 1.`);
    if (n > LIMITS.neurons)
      return fail(`Layer ${i + 1} has ${n} neurons; the explorer draws layers of up to ${LIMITS.neurons}.`);
    sizes.push(n);
  }
  if (sizes.length < 2) return fail("A network needs at least two layers (input and output), e.g. 2, 2.");
  if (sizes.length > LIMITS.layers) return fail(`${sizes.length} layers; the explorer takes up to ${LIMITS.layers}.`);
  return ok(sizes);
}

/** 101770 → "101,770". */
export function grouped(n: number | string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The explorer's limits, then core's verdict on a network; null when it is fine. */
export function networkProblem(n: NetworkState): string | null {
  if (n.sizes.length < 2 || n.sizes.length > LIMITS.layers)
    return `A network here has 2 to ${LIMITS.layers} layers; this one has ${n.sizes.length}.`;
  const wide = n.sizes.findIndex((s) => !Number.isInteger(s) || s < 1 || s > LIMITS.neurons);
  if (wide >= 0) return `Layer ${wide + 1} has ${n.sizes[wide]} neurons; every layer needs 1 to ${LIMITS.neurons}.`;
  if (n.activations.length !== n.sizes.length - 1)
    return `Give one activation per layer after the input (${n.sizes.length - 1}).`;
  const count = layeredParameterCount(n.sizes, n.bias);
  if (count > LIMITS.parameters) {
    return `This network has ${grouped(count)} parameters; the explorer derives networks of up to ${grouped(LIMITS.parameters)}.`;
  }
  try {
    // core checks activations and cost from the layers alone, as building the graph would
    layeredInfo({ sizes: n.sizes, activation: [...n.activations], cost: n.cost, bias: n.bias });
    return null;
  } catch (e) {
    if (e instanceof ChainruleError) return e.message;
    throw e;
  }
}

/** A whole number within bounds; `what` names it in the message. */
export function checkWhole(text: string, what: string, min: number, max: number): Checked<number> {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return fail(`${what}: "${text}" is not a whole number.`);
  const n = Number(t);
  if (n < min || n > max) return fail(`${what} must be ${min} to ${max}; got ${n}.`);
  return ok(n);
}

/** A finite number within optional bounds. */
export function checkNumber(text: string, what: string, min = -Infinity, max = Infinity): Checked<number> {
  const t = text.trim();
  const n = Number(t);
  if (t === "" || !Number.isFinite(n)) return fail(`${what}: "${text}" is not a number.`);
  if (n < min || n > max) return fail(`${what} must be between ${min} and ${max}; got ${n}.`);
  return ok(n);
}

/** Where θ⁽ˡ⁾_jk can point in this network, for the message when it cannot (core's words). */
export function paramRange(n: NetworkState, l: number): string {
  return `${layeredParamRanges(n, l)}.`;
}

/** Hidden layers of the train tab: `8, 8` → [8, 8]; empty for none; up to 4 layers of up to 64 neurons. */
export function checkHidden(text: string): Checked<number[]> {
  const parts = text.split(/[,\s]+/).filter((p) => p !== "");
  if (parts.length > 4) return fail(`${parts.length} hidden layers; the train tab takes up to 4.`);
  const sizes: number[] = [];
  for (const p of parts) {
    const r = checkWhole(p, "A hidden layer", 1, 64);
    if (!r.ok) return r;
    sizes.push(r.value);
  }
  return ok(sizes);
}
