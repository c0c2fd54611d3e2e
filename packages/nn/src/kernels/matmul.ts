/**
 * Matrix products on Float64Array, row-major with offsets and leading dimensions, in the three
 * orientations backpropagation needs (C is M × N, the inner dimension has K terms):
 *
 *   gemmNT  C = A · Bᵀ   C[i,j] = Σ_p A[i,p] B[j,p]   (forward: Z = Θ A, examples as rows)
 *   gemmTN  C = Aᵀ · B   C[i,j] = Σ_p A[p,i] B[p,j]   (∂J/∂Θ = δ Aᵀ, summed over examples)
 *   gemmNN  C = A · B    C[i,j] = Σ_p A[i,p] B[p,j]   (δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾, examples as rows)
 *
 * The register-tiled inner kernels live in tiles.ts; here large products are cut into cache
 * blocks, so the panel a tile re-reads stays in cache: the M × K panel of A for gemmNT within
 * half the L2 cache, the K × (block of M) panel of A for gemmTN and the K × N block of B for
 * gemmNN within the L1 cache. Products that already fit run as one block.
 */
import { show } from "@chainrule/core";
import { OptionError } from "../errors.js";
import { tileNN, tileNT, tileTN } from "./tiles.js";

/** Cache sizes the blocking assumes, in bytes. */
export interface CacheSizes {
  readonly l1: number;
  readonly l2: number;
}

let cache: CacheSizes = { l1: 48 * 1024, l2: 1024 * 1024 };

/** Sets the cache sizes the blocking assumes (default: 48 KB L1 data cache, 1 MB L2 per core). */
export function setCacheSizes(sizes: CacheSizes): CacheSizes {
  if (typeof sizes !== "object" || sizes === null)
    throw new OptionError(`setCacheSizes takes { l1, l2 } in bytes, got ${show(sizes, 40)}.`, sizes);
  const previous = cache;
  for (const key of ["l1", "l2"] as const) {
    const v = sizes[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 64) {
      throw new OptionError(
        `setCacheSizes: ${key} must be a finite number of bytes ≥ 64 (e.g. ${key === "l1" ? "48 * 1024" : "1024 * 1024"}), got ${show(v)}.`,
        v,
      );
    }
  }
  cache = { l1: sizes.l1, l2: sizes.l2 };
  return previous;
}

/** A whole number ≥ 0 (a size, an offset or a stride). */
const whole = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * Checks a kernel's arguments: sizes, offsets and strides whole numbers ≥ 0, and each matrix
 * (array, offset, row stride, column stride, rows, columns) inside its Float64Array.
 */
function checkKernel(
  name: string,
  M: number,
  N: number,
  K: number,
  acc: boolean,
  ...mats: readonly (readonly [string, Float64Array, number, number, number, number, number])[]
): void {
  if (!whole(M) || !whole(N) || !whole(K))
    throw new OptionError(`${name}: the sizes M, N, K are whole numbers ≥ 0, got ${show([M, N, K])}.`, [M, N, K]);
  if (typeof acc !== "boolean") throw new OptionError(`${name}: acc is true or false, got ${show(acc)}.`, acc);
  for (const [label, a, off, rs, cs, rows, cols] of mats) {
    if (!(a instanceof Float64Array))
      throw new OptionError(`${name}: ${label} must be a Float64Array, got ${show(a, 40)}.`, a);
    if (!whole(off) || !whole(rs) || !whole(cs))
      throw new OptionError(
        `${name}: the offset and strides of ${label} are whole numbers ≥ 0, got ${show([off, rs, cs])}.`,
        [off, rs, cs],
      );
    if (rows > 0 && cols > 0 && off + (rows - 1) * rs + (cols - 1) * cs >= a.length) {
      throw new OptionError(
        `${name}: ${label} (${rows} × ${cols} from offset ${off}, strides ${rs} and ${cs}) runs past its ${a.length} entries.`,
        label,
      );
    }
  }
}

/**
 * A matrix product of one orientation over row-major operands with offsets and leading
 * dimensions, C (+)= op(A) · op(B): the signature of the tiles (tiles.ts), of the WebAssembly
 * tiles, and of the blocked products built on either.
 */
export type Gemm = (
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
) => void;

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + j·ldb + p]. */
export function gemmNTUnchecked(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  blockedNT(tileNT, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/**
 * gemmNT's cache blocking around any tile of its orientation. The blocks of the inner dimension
 * decide where each entry's sum is cut (a block's sum is added to C before the next block's
 * starts), so two tiles that sum each block in the order p = 0, 1, … give the same bits here.
 */
export function blockedNT(
  tile: Gemm,
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  // blocks of the inner dimension whose M × KB panel of A fills at most half the L2 cache
  const KB = Math.max(8, Math.floor(cache.l2 / 2 / 8 / Math.max(M, 1)));
  if (K <= KB) {
    tile(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  for (let p0 = 0; p0 < K; p0 += KB)
    tile(M, N, Math.min(KB, K - p0), A, ao + p0, lda, B, bo + p0, ldb, C, co, ldc, acc || p0 > 0);
}

/** C[i·ldc + j] (+)= Σ_p A[ao + p·lda + i] · B[bo + p·ldb + j]. */
export function gemmTNUnchecked(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  blockedTN(tileTN, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/** gemmTN's cache blocking (of C's rows only: each entry's sum is never cut) around any tile of its orientation. */
export function blockedTN(
  tile: Gemm,
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  // blocks of C's rows whose K × MB panel of A (strided rows of A) fits in the L1 cache;
  // each entry still sums its K terms in order
  const lines = Math.max(1, K);
  const MB = Math.max(2, Math.floor(cache.l1 / 8 / lines) & ~1);
  if (M * K * 8 <= cache.l2 / 4 || M <= MB) {
    tile(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  for (let i0 = 0; i0 < M; i0 += MB)
    tile(Math.min(MB, M - i0), N, K, A, ao + i0, lda, B, bo, ldb, C, co + i0 * ldc, ldc, acc);
}

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + p·ldb + j]. */
export function gemmNNUnchecked(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  blockedNN(tileNN, M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/**
 * gemmNN's cache blocking around any tile of its orientation; like {@link blockedNT}, its blocks
 * of the inner dimension decide where each entry's sum is cut.
 */
export function blockedNN(
  tile: Gemm,
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  if (K * N * 8 <= cache.l1) {
    tile(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  // KB × NB blocks of B that fit in the L1 cache, NB a multiple of the tile width 5
  const NB = Math.max(5, Math.min(N, 40));
  const KB = Math.max(8, Math.floor(cache.l1 / 8 / NB));
  for (let j0 = 0; j0 < N; j0 += NB) {
    const nb = Math.min(NB, N - j0);
    for (let p0 = 0; p0 < K; p0 += KB) {
      tile(M, nb, Math.min(KB, K - p0), A, ao + p0, lda, B, bo + p0 * ldb + j0, ldb, C, co + j0, ldc, acc || p0 > 0);
    }
  }
}

/**
 * Any strides: C[i·cr + j·cc] (+)= Σ_p A[ao + i·ar + p·ac] · B[bo + p·br + j·bc]. The plain
 * triple loop, for the orientations the tiled kernels do not cover.
 */
export function gemmStridedUnchecked(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  ar: number,
  ac: number,
  B: Float64Array,
  bo: number,
  br: number,
  bc: number,
  C: Float64Array,
  co: number,
  cr: number,
  cc: number,
  acc: boolean,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let c = 0;
      for (let p = 0; p < K; p++) c += A[ao + i * ar + p * ac]! * B[bo + p * br + j * bc]!;
      const o = co + i * cr + j * cc;
      C[o] = acc ? C[o]! + c : c;
    }
  }
}

/** gemmNT, with its arguments checked (sizes, offsets, strides, and every matrix inside its array). */
export function gemmNT(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  checkKernel(
    "gemmNT",
    M,
    N,
    K,
    acc,
    ["A", A, ao, lda, 1, M, K],
    ["B", B, bo, ldb, 1, N, K],
    ["C", C, co, ldc, 1, M, N],
  );
  gemmNTUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/** gemmTN, with its arguments checked (sizes, offsets, strides, and every matrix inside its array). */
export function gemmTN(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  checkKernel(
    "gemmTN",
    M,
    N,
    K,
    acc,
    ["A", A, ao, lda, 1, K, M],
    ["B", B, bo, ldb, 1, K, N],
    ["C", C, co, ldc, 1, M, N],
  );
  gemmTNUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/** gemmNN, with its arguments checked (sizes, offsets, strides, and every matrix inside its array). */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  lda: number,
  B: Float64Array,
  bo: number,
  ldb: number,
  C: Float64Array,
  co: number,
  ldc: number,
  acc: boolean,
): void {
  checkKernel(
    "gemmNN",
    M,
    N,
    K,
    acc,
    ["A", A, ao, lda, 1, M, K],
    ["B", B, bo, ldb, 1, K, N],
    ["C", C, co, ldc, 1, M, N],
  );
  gemmNNUnchecked(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
}

/** gemmStrided, with its arguments checked. */
export function gemmStrided(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  ar: number,
  ac: number,
  B: Float64Array,
  bo: number,
  br: number,
  bc: number,
  C: Float64Array,
  co: number,
  cr: number,
  cc: number,
  acc: boolean,
): void {
  checkKernel(
    "gemmStrided",
    M,
    N,
    K,
    acc,
    ["A", A, ao, ar, ac, M, K],
    ["B", B, bo, br, bc, K, N],
    ["C", C, co, cr, cc, M, N],
  );
  gemmStridedUnchecked(M, N, K, A, ao, ar, ac, B, bo, br, bc, C, co, cr, cc, acc);
}
