/**
 * The scalar operations both the interpreter and the generated code call, so that the two agree
 * to the last bit wherever their operation order is the same.
 */
import { ArgumentError, lookup } from "../errors.js";
import { type FnName, FUNCTIONS, sigmoid, softplus } from "../expr/functions.js";
import { kindOf } from "../messages.js";

/** b^e with the exact operations the compiler emits: b·b for 2, 1/b for −1, √b for ½. */
export function powOp(b: number, e: number): number {
  if (typeof b !== "number" || typeof e !== "number")
    throw new ArgumentError("invalid-argument", `powOp takes two numbers; got ${kindOf(b)} and ${kindOf(e)}.`, [b, e]);
  if (e === 2) return b * b;
  if (e === -1) return 1 / b;
  if (e === 0.5) return Math.sqrt(b);
  return b ** e;
}

/** f⁽ⁿ⁾(x) for a function of the table. */
export function fnOp(fn: FnName, order: number, x: number): number {
  if (typeof x !== "number" || typeof order !== "number")
    throw new ArgumentError(
      "invalid-argument",
      `fnOp takes a derivative order and a number; got ${kindOf(order)} and ${kindOf(x)}.`,
      x,
    );
  return (
    typeof fn === "string" && Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : lookup(FUNCTIONS, fn, "function")
  ).value(order, x);
}

/** log Σ exp(zᵢ), with the maximum subtracted so that no exp overflows. */
export function lseOp(z: ArrayLike<number>): number {
  if (typeof z !== "object" || z === null)
    throw new ArgumentError("invalid-argument", `lseOp takes a list of numbers; got ${kindOf(z)}.`, z);
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (typeof v !== "number")
      throw new ArgumentError("invalid-argument", `lseOp takes numbers; entry ${i} is ${kindOf(v)}.`, v);
    if (v > max) max = v;
  }
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < z.length; i++) s += Math.exp(z[i]! - max);
  return max + Math.log(s);
}

/** The helpers generated code receives, by the name it calls them. */
export const RUNTIME = { powOp, fnOp, lseOp, sigmoid, softplus } as const;
