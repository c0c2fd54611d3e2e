/**
 * Turns tensor expressions of core's matrix form into operations on typed arrays. Every TExpr
 * kind has a rule; products pick the tiled kernel that matches the operands' strides, a
 * transpose is free (strides swap), `plus` with a bias column is a broadcast, `hadamard` with a
 * `map` is one fused pass, and anything else is materialised into a buffer allocated here, at
 * planning time — running a plan allocates nothing.
 */
import { assertNever, type TExpr } from "@chainrule/core";
import {
  addColumnVector,
  axpyInto,
  copyInto,
  hadamardInPlace,
  rowSums,
  scaleInPlace,
  softmaxColumns,
} from "../kernels/elementwise.js";
import { gemmStridedUnchecked as gemmStrided } from "../kernels/matmul.js";
import { type CompiledMap, compileScalar, type MapMode } from "../kernels/templates.js";
import type { GemmKernels } from "../kernels/wasm/backend.js";
import {
  biasesOf,
  columns,
  type Op,
  type Operand,
  type ParamLayer,
  resolver,
  type Slot,
  transposed,
  weightsOf,
} from "./views.js";

/** What a plan needs to know about the program it plans for. */
export interface PlanContext {
  /** Neurons per layer, input layer first. */
  readonly sizes: readonly number[];
  readonly params: readonly ParamLayer[];
  /** Buffers of layers 2…L by layer number: sums Z, activations A (may be Z), δ. */
  readonly z: readonly (Float64Array | null)[];
  readonly a: readonly (Float64Array | null)[];
  readonly d: readonly (Float64Array | null)[];
  /** Log-sum-exp of each example's softmax column (output layer). */
  readonly lse: Float64Array;
  /** Slot that holds parameters read by the plan, and the one gradients are written to. */
  readonly theta: Slot;
  readonly grad: Slot;
  readonly l2: number;
  /** Compiled templates, shared by every plan of a program. */
  mapKernel(template: TExpr & { kind: "map" }, mode: MapMode): CompiledMap;
  /** The kernels of the products (plain JS, or WebAssembly on the program's memory). */
  readonly kernels: GemmKernels;
  /** A zeroed buffer of n numbers for an intermediate value (in the program's memory when it has one). */
  alloc(n: number): Float64Array;
}

/** Plans the operations for one batch size m. */
export class Planner {
  /** The planned operations, in order. */
  readonly ops: Op[] = [];
  constructor(
    private readonly ctx: PlanContext,
    private readonly m: number,
  ) {}

  /** Z, A or δ of layer l (l = 1: the input batch for A). */
  layer(kind: "z" | "a" | "d", l: number): Operand {
    const n = this.ctx.sizes[l - 1]!;
    if (kind === "a" && l === 1) return columns("x", n, this.m);
    const buf = (kind === "z" ? this.ctx.z : kind === "a" ? this.ctx.a : this.ctx.d)[l];
    if (buf === null || buf === undefined) throw new Error(`chainrule: no ${kind} buffer for layer ${l}`);
    return columns(buf, n, this.m);
  }

  /** Rows and columns of a tensor expression. */
  shape(t: TExpr): readonly [number, number] {
    const { sizes, params } = this.ctx;
    switch (t.kind) {
      case "weights":
        return [params[t.layer - 1]!.to, params[t.layer - 1]!.from];
      case "biases":
        return [params[t.layer - 1]!.to, 1];
      case "activations":
      case "sums":
      case "delta":
      case "map":
        return [sizes[t.layer - 1]!, this.m];
      case "targets":
        return [sizes[sizes.length - 1]!, this.m];
      case "matmul":
        return [this.shape(t.left)[0], this.shape(t.right)[1]];
      case "transpose": {
        const [r, c] = this.shape(t.arg);
        return [c, r];
      }
      case "hadamard":
      case "plus":
        return this.shape(t.left);
      case "scale":
        return this.shape(t.arg);
      case "sum-examples":
        return [this.shape(t.arg)[0], 1];
      default:
        return assertNever(t);
    }
  }

  /** The operand a leaf (or a transposed leaf) reads directly, or null. */
  leaf(t: TExpr): Operand | null {
    switch (t.kind) {
      case "weights":
        return weightsOf(this.ctx.params[t.layer - 1]!, this.ctx.theta);
      case "biases":
        return biasesOf(this.ctx.params[t.layer - 1]!, this.ctx.theta);
      case "activations":
        return this.layer("a", t.layer);
      case "sums":
        return this.layer("z", t.layer);
      case "delta":
        return this.layer("d", t.layer);
      case "targets":
        return columns("y", this.ctx.sizes[this.ctx.sizes.length - 1]!, this.m);
      case "transpose": {
        const o = this.leaf(t.arg);
        return o === null ? null : transposed(o);
      }
      default:
        return null;
    }
  }

  /** An operand holding t's value: a leaf, or a buffer t is computed into first. */
  operand(t: TExpr): Operand {
    const o = this.leaf(t);
    if (o !== null) return o;
    if (t.kind === "transpose") return transposed(this.operand(t.arg));
    const [rows, cols] = this.shape(t);
    const tmp = columns(this.ctx.alloc(rows * cols), rows, cols);
    this.into(t, tmp, false);
    return tmp;
  }

  /** Plans dest (+)= t. */
  into(t: TExpr, dest: Operand, acc: boolean): void {
    switch (t.kind) {
      case "matmul":
        this.gemm(this.operand(t.left), this.operand(t.right), dest, acc);
        return;
      case "transpose":
        // (dest)ᵀ (+)= arg
        this.into(t.arg, transposed(dest), acc);
        return;
      case "plus": {
        this.into(t.left, dest, acc);
        const r = this.leaf(t.right);
        if (r !== null && r.cols === 1 && dest.cols !== 1) this.broadcast(r, dest);
        else this.into(t.right, dest, true);
        return;
      }
      case "hadamard":
        if (acc) break;
        this.into(t.left, dest, false);
        this.multiplyBy(t.right, dest);
        return;
      case "scale": {
        const f = compileScalar(t.factor)(this.m, this.ctx.l2);
        if (acc) {
          const s = this.operand(t.arg);
          const [gs, gd] = [resolver(s.slot), resolver(dest.slot)];
          this.ops.push((fr) => axpyInto(f, gs(fr), s, gd(fr), dest));
        } else {
          this.into(t.arg, dest, false);
          const gd = resolver(dest.slot);
          this.ops.push((fr) => scaleInPlace(f, gd(fr), dest));
        }
        return;
      }
      case "sum-examples": {
        const s = this.operand(t.arg);
        const [gs, gd] = [resolver(s.slot), resolver(dest.slot)];
        this.ops.push((fr) => rowSums(gs(fr), s, gd(fr), dest, acc));
        return;
      }
      case "map":
        if (acc || !this.isColumns(dest, t.layer)) break;
        this.map(t, dest, "set");
        return;
      case "weights":
      case "biases":
      case "activations":
      case "sums":
      case "delta":
      case "targets":
        break;
      default:
        assertNever(t);
    }
    // general case: the value as an operand, then copied (or added) into dest
    const s = this.operand(t);
    const [gs, gd] = [resolver(s.slot), resolver(dest.slot)];
    this.ops.push((fr) => copyInto(gs(fr), s, gd(fr), dest, acc));
  }

  /** dest ⊙= t. */
  private multiplyBy(t: TExpr, dest: Operand): void {
    if (t.kind === "map" && this.isColumns(dest, t.layer)) {
      this.map(t, dest, "multiply");
      return;
    }
    const s = this.operand(t);
    const [gs, gd] = [resolver(s.slot), resolver(dest.slot)];
    this.ops.push((fr) => hadamardInPlace(gs(fr), s, gd(fr), dest));
  }

  /** True when dest is layer l's n × m layout from its start (so entry i of the map is entry i of dest). */
  private isColumns(dest: Operand, l: number): boolean {
    const n = this.ctx.sizes[l - 1]!;
    return (
      dest.off === 0 && dest.rows === n && dest.cols === this.m && dest.rs === 1 && (dest.cs === n || this.m === 1)
    );
  }

  /** An element-wise map over layer t.layer into dest (softmax: the column-wise group op). */
  private map(t: TExpr & { kind: "map" }, dest: Operand, mode: MapMode): void {
    const l = t.layer;
    const n = this.ctx.sizes[l - 1]!;
    const m = this.m;
    const Z = this.ctx.z[l]!;
    const gd = resolver(dest.slot);
    if (t.role === "activation" && t.activation === "softmax") {
      if (mode !== "set" || dest.slot !== this.ctx.a[l])
        throw new Error("chainrule: softmax writes its layer's activations");
      const lse = this.ctx.lse;
      const A = this.ctx.a[l]!;
      this.ops.push(() => softmaxColumns(Z, A, lse, n, m));
      return;
    }
    const A = l === 1 ? null : this.ctx.a[l]!;
    const { kernel, reads } = this.ctx.mapKernel(t, mode);
    const lambda = this.ctx.l2;
    const total = n * m;
    const none = new Float64Array(0);
    const gy = reads.y || reads.ysum ? resolver("y") : () => none;
    this.ops.push((fr) => kernel(Z, A ?? none, gy(fr), gd(fr), total, m, lambda));
  }

  /** dest[:, c] += b. */
  private broadcast(b: Operand, dest: Operand): void {
    const [gb, gd] = [resolver(b.slot), resolver(dest.slot)];
    this.ops.push((fr) => addColumnVector(gb(fr), b, gd(fr), dest));
  }

  /** C (+)= L · R with the kernel that fits the strides. */
  private gemm(L: Operand, R: Operand, C: Operand, acc: boolean): void {
    // make C row-major (unit column stride): Cᵀ = Rᵀ Lᵀ
    if (C.cs !== 1 && C.rs === 1) [L, R, C] = [transposed(R), transposed(L), transposed(C)];
    const M = C.rows;
    const N = C.cols;
    const K = L.cols;
    const [ga, gb, gc] = [resolver(L.slot), resolver(R.slot), resolver(C.slot)];
    const a = L.cs === 1 ? "N" : L.rs === 1 ? "T" : "S";
    const b = R.cs === 1 ? "N" : R.rs === 1 ? "T" : "S";
    const ldc = C.rs;
    const { gemmNT, gemmTN, gemmNN } = this.ctx.kernels;
    if (C.cs === 1 && a === "N" && b === "T") {
      this.ops.push((f) => gemmNT(M, N, K, ga(f), L.off, L.rs, gb(f), R.off, R.cs, gc(f), C.off, ldc, acc));
    } else if (C.cs === 1 && a === "T" && b === "N") {
      this.ops.push((f) => gemmTN(M, N, K, ga(f), L.off, L.cs, gb(f), R.off, R.rs, gc(f), C.off, ldc, acc));
    } else if (C.cs === 1 && a === "N" && b === "N") {
      this.ops.push((f) => gemmNN(M, N, K, ga(f), L.off, L.rs, gb(f), R.off, R.rs, gc(f), C.off, ldc, acc));
    } else {
      this.ops.push((f) =>
        gemmStrided(M, N, K, ga(f), L.off, L.rs, L.cs, gb(f), R.off, R.rs, R.cs, gc(f), C.off, C.rs, C.cs, acc),
      );
    }
  }
}
