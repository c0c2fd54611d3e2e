/**
 * The WebAssembly SIMD backend of the matrix products: the generated module (gemm-module.ts)
 * compiled once, and instantiated on one WebAssembly.Memory per {@link WasmArena} — the memory a
 * matrix program allocates its buffers from, so the products read and write them in place. The
 * memory is sized once, up front, and never grown (growing would detach every view on it).
 *
 * The products keep the plain-JS kernels' cache blocking ({@link blockedNT} and its siblings)
 * and their order of summation, so they give the same numbers bit for bit; an operand outside
 * the arena's memory (or an inner dimension wider than the scratch) runs the plain-JS kernel,
 * which is therefore both the fallback and the oracle.
 */
import { oneOf } from "@chainrule/core";
import {
  blockedNN,
  blockedNT,
  blockedTN,
  type Gemm,
  gemmNNUnchecked,
  gemmNTUnchecked,
  gemmTNUnchecked,
} from "../matmul.js";
import { tileNN, tileNT, tileTN } from "../tiles.js";
import { gemmModuleBytes, scratchBytes } from "./gemm-module.js";

/** The kernel choices of a matrix program: "auto" picks WebAssembly SIMD where it runs. */
export const KERNEL_CHOICES = ["auto", "js", "wasm"] as const;

/** Which kernels run a program's matrix products. */
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** Checks a kernel choice: one of {@link KERNEL_CHOICES}, or an UnknownNameError naming them. */
export function checkKernelChoice(name: string): KernelChoice {
  return oneOf(KERNEL_CHOICES, name, "kernels");
}

/** The arithmetic of the matrix products: double precision, or single (WebAssembly only). */
export type Dtype = "float64" | "float32";

/** The dtype choices. */
export const DTYPES = ["float64", "float32"] as const;

/** Checks a dtype: one of {@link DTYPES}, or an UnknownNameError naming them. */
export function checkDtype(name: string): Dtype {
  return oneOf(DTYPES, name, "dtype");
}

/** The matrix products a plan runs (unchecked: the planner's operands are in range). */
export interface GemmKernels {
  readonly name: "js" | "wasm";
  readonly dtype: Dtype;
  readonly gemmNT: Gemm;
  readonly gemmTN: Gemm;
  readonly gemmNN: Gemm;
}

/** The plain-JS kernels (matmul.ts). */
export const JS_KERNELS: GemmKernels = Object.freeze({
  name: "js",
  dtype: "float64",
  gemmNT: gemmNTUnchecked,
  gemmTN: gemmTNUnchecked,
  gemmNN: gemmNNUnchecked,
});

/** The exports of the kernel module: byte addresses, leading dimensions in entries. */
interface Exports {
  readonly nn: WasmGemm;
  readonly tn: WasmGemm;
  readonly nt: WasmGemm;
  readonly nn32: WasmGemm;
  readonly tn32: WasmGemm;
  readonly nt32: WasmGemm;
}
type WasmGemm = (
  M: number,
  N: number,
  K: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acc: number,
  w: number,
) => void;

/** The most bytes an arena's memory may have (the kernels address it with 32-bit offsets). */
export const MAX_ARENA_BYTES = 2 ** 31;
const PAGE = 65536;
/** Buffers start on a cache line. */
const ALIGN = 64;

/** A compiled WebAssembly module (opaque here). */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}

/** The part of the WebAssembly JavaScript API used here (ES2022's library does not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  compile(bytes: Uint8Array<ArrayBuffer>): Promise<WasmModule>;
  readonly Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  readonly Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}

/** The host's WebAssembly, if it has one. */
const wasmApi = (): WasmApi | undefined => (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: WasmModule | null | "pending" | undefined;
let moduleBytes: Uint8Array<ArrayBuffer> | undefined;
const kernelBytes = (): Uint8Array<ArrayBuffer> => {
  moduleBytes ??= gemmModuleBytes();
  return moduleBytes;
};

/**
 * The compiled kernel module, or null where WebAssembly or its SIMD instructions are not
 * available (WebAssembly.validate refuses the module). Compiled synchronously on first use; where
 * the host refuses that (browsers limit synchronous compilation on their main thread), it is
 * compiled in the background and null is returned until it is ready — the plain-JS kernels run
 * meanwhile, with the same numbers.
 */
export function wasmKernelModule(): WasmModule | null {
  if (compiled === "pending") return null;
  if (compiled !== undefined) return compiled;
  const W = wasmApi();
  const bytes = kernelBytes();
  if (W === undefined || !W.validate(bytes)) {
    compiled = null;
    return null;
  }
  try {
    compiled = new W.Module(bytes);
  } catch {
    compiled = "pending";
    W.compile(bytes).then(
      (m) => {
        compiled = m;
      },
      () => {
        compiled = null;
      },
    );
    return null;
  }
  return compiled;
}

/** True when this host runs WebAssembly SIMD (the kernel module validates). */
export function wasmSimdSupported(): boolean {
  const W = wasmApi();
  return W?.validate(kernelBytes()) === true;
}

/**
 * Float64Arrays carved from one WebAssembly.Memory of a fixed size, and the SIMD kernels
 * instantiated on it. The memory never grows, so the views stay valid for the arena's life.
 */
export class WasmArena {
  /** The products: WebAssembly where all three operands are in this memory, plain JS otherwise. */
  readonly kernels: GemmKernels;
  private readonly buffer: ArrayBuffer;
  private used: number;

  /**
   * A memory for `entries` numbers (in `buffers` buffers: each is rounded up to a cache line) and
   * the scratch of products whose inner dimension is at most `maxK` (and, for float32, whose A
   * has at most `maxM` rows). Throws a RangeError when that is more than {@link MAX_ARENA_BYTES}
   * or the host cannot allocate it.
   */
  constructor(module: WasmModule, entries: number, buffers: number, maxK: number, dtype: Dtype = "float64", maxM = 0) {
    // the packed panels of inner dimensions up to maxK, and A's copy: for tn (f64) up to 2^15
    // entries (the most that gemmTN's blocking passes a tile with the default caches) or 2 × maxK,
    // for float32 up to 2^16 entries or maxM × maxK
    const scratchK = Math.max(1, maxK);
    const single = dtype === "float32";
    const copied = single ? Math.max(2 ** 16, maxM * scratchK) : Math.max(2 ** 15, 2 * scratchK);
    const scratch = Math.ceil((scratchBytes("nt", "f64", 0, scratchK) + (single ? 4 : 8) * copied) / ALIGN) * ALIGN;
    const bytes = entries * 8 + buffers * ALIGN + scratch + ALIGN;
    if (!(bytes <= MAX_ARENA_BYTES)) throw new RangeError(`${bytes} bytes is more than a kernel memory holds`);
    const W = wasmApi()!;
    const memory = new W.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const ex = new W.Instance(module, { env: { memory } }).exports as unknown as Exports;
    this.buffer = memory.buffer;
    const w = 0;
    this.used = scratch;
    const buf = this.buffer;
    const inMemory = (A: Float64Array, B: Float64Array, C: Float64Array): boolean =>
      A.buffer === buf && B.buffer === buf && C.buffer === buf;
    // a block whose scratch does not fit runs the plain-JS tile (the same numbers in double
    // precision; for float32, more exact ones)
    const [fnt, ftn, fnn] = single ? [ex.nt32, ex.tn32, ex.nn32] : [ex.nt, ex.tn, ex.nn];
    const fits = (M: number, K: number, copiesA: boolean) => K <= scratchK && (!copiesA || M * K <= copied);
    const nt: Gemm = (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
      if (!fits(M, K, single)) tileNT(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      else
        fnt(
          M,
          N,
          K,
          A.byteOffset + 8 * ao,
          lda,
          B.byteOffset + 8 * bo,
          ldb,
          C.byteOffset + 8 * co,
          ldc,
          acc ? 1 : 0,
          w,
        );
    };
    const tn: Gemm = (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
      if (!fits(M, K, true)) tileTN(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      else
        ftn(
          M,
          N,
          K,
          A.byteOffset + 8 * ao,
          lda,
          B.byteOffset + 8 * bo,
          ldb,
          C.byteOffset + 8 * co,
          ldc,
          acc ? 1 : 0,
          w,
        );
    };
    const nn: Gemm = (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
      if (!fits(M, K, single)) tileNN(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      else
        fnn(
          M,
          N,
          K,
          A.byteOffset + 8 * ao,
          lda,
          B.byteOffset + 8 * bo,
          ldb,
          C.byteOffset + 8 * co,
          ldc,
          acc ? 1 : 0,
          w,
        );
    };
    this.kernels = Object.freeze({
      name: "wasm",
      dtype,
      gemmNT: (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
        if (inMemory(A, B, C)) blockedNT(nt, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
        else gemmNTUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      },
      gemmTN: (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
        if (inMemory(A, B, C)) blockedTN(tn, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
        else gemmTNUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      },
      gemmNN: (M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc) => {
        if (inMemory(A, B, C)) blockedNN(nn, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
        else gemmNNUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
      },
    } satisfies GemmKernels);
  }

  /** True when the array is a view on this arena's memory. */
  holds(a: Float64Array): boolean {
    return a.buffer === this.buffer;
  }

  /**
   * A zeroed array of n numbers in the memory, or (when the memory is full) an ordinary
   * Float64Array — correct either way, since products with an operand outside the memory run
   * the plain-JS kernels.
   */
  alloc(n: number): Float64Array {
    const start = Math.ceil(this.used / ALIGN) * ALIGN;
    if (start + 8 * n > this.buffer.byteLength) return new Float64Array(n);
    this.used = start + 8 * n;
    return new Float64Array(this.buffer, start, n);
  }
}
