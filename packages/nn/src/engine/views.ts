/**
 * Where the matrices of a layered network live while a program runs. Parameters and their
 * gradients share core's parameter order, which for layer l is a row-major n₍ₗ₊₁₎ × (n₍ₗ₎ + 1)
 * block [b | Θ⁽ˡ⁾] (bias in column 0 when there are biases); activations, sums and δ are n × m
 * with one example per contiguous column — the layout of a batch's rows, so the input batch is
 * A⁽¹⁾ and its targets are Y without copying.
 */
import type { Strided } from "../kernels/elementwise.js";

/** The arrays a run binds: parameters, gradient output, inputs and targets. */
export interface Frame {
  theta: Float64Array;
  grad: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

/** A buffer that is bound per run, or one the program owns. */
export type Slot = "theta" | "grad" | "x" | "y" | Float64Array;

/** A strided matrix in a slot. */
export interface Operand extends Strided {
  readonly slot: Slot;
}

/** One planned operation of a program. */
export type Op = (f: Frame) => void;

/** Reads a slot's array from a frame (resolved once, when an op is planned). */
export function resolver(slot: Slot): (f: Frame) => Float64Array {
  switch (slot) {
    case "theta":
      return (f) => f.theta;
    case "grad":
      return (f) => f.grad;
    case "x":
      return (f) => f.x;
    case "y":
      return (f) => f.y;
    default:
      return () => slot;
  }
}

/** The transpose of an operand: the same entries with rows and columns swapped. */
export function transposed(o: Operand): Operand {
  return { slot: o.slot, off: o.off, rows: o.cols, cols: o.rows, rs: o.cs, cs: o.rs };
}

/** An n × m matrix with one example per contiguous column, at the start of a slot. */
export function columns(slot: Slot, n: number, m: number): Operand {
  return { slot, off: 0, rows: n, cols: m, rs: 1, cs: n };
}

/** Geometry of parameter layer l (1-based) inside the parameter vector. */
export interface ParamLayer {
  /** Neurons in layer l (inputs of the block) and l + 1 (outputs). */
  readonly from: number;
  readonly to: number;
  /** Offset of the block and its row length (from + 1 with biases, else from). */
  readonly off: number;
  readonly ld: number;
  readonly bias: boolean;
}

/** The parameter layers of a network of the given sizes, in core's parameter order. */
export function paramLayers(sizes: readonly number[], bias: boolean): ParamLayer[] {
  const out: ParamLayer[] = [];
  let off = 0;
  for (let l = 1; l < sizes.length; l++) {
    const from = sizes[l - 1]!;
    const to = sizes[l]!;
    const ld = from + (bias ? 1 : 0);
    out.push({ from, to, off, ld, bias });
    off += to * ld;
  }
  return out;
}

/** Θ⁽ˡ⁾ as an operand of a parameter-shaped slot (theta or grad). */
export function weightsOf(p: ParamLayer, slot: Slot): Operand {
  return { slot, off: p.off + (p.bias ? 1 : 0), rows: p.to, cols: p.from, rs: p.ld, cs: 1 };
}

/** b⁽ˡ⁾ (a column) as an operand of a parameter-shaped slot. */
export function biasesOf(p: ParamLayer, slot: Slot): Operand {
  return { slot, off: p.off, rows: p.to, cols: 1, rs: p.ld, cs: 1 };
}
