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
  const previous = cache;
  for (const key of ["l1", "l2"] as const) {
    const v = sizes[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 64) {
      throw new OptionError(`setCacheSizes: ${key} must be a finite number of bytes ≥ 64 (e.g. ${key === "l1" ? "48 * 1024" : "1024 * 1024"}), got ${v}.`, v);
    }
  }
  cache = { l1: sizes.l1, l2: sizes.l2 };
  return previous;
}

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + j·ldb + p]. */
export function gemmNT(
  M: number, N: number, K: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
  acc: boolean,
): void {
  // blocks of the inner dimension whose M × KB panel of A fills at most half the L2 cache
  const KB = Math.max(8, Math.floor(cache.l2 / 2 / 8 / Math.max(M, 1)));
  if (K <= KB) {
    tileNT(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  for (let p0 = 0; p0 < K; p0 += KB) tileNT(M, N, Math.min(KB, K - p0), A, ao + p0, lda, B, bo + p0, ldb, C, co, ldc, acc || p0 > 0);
}

/** C[i·ldc + j] (+)= Σ_p A[ao + p·lda + i] · B[bo + p·ldb + j]. */
export function gemmTN(
  M: number, N: number, K: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
  acc: boolean,
): void {
  // blocks of C's rows whose K × MB panel of A (strided rows of A) fits in the L1 cache;
  // each entry still sums its K terms in order
  const lines = Math.max(1, K);
  const MB = Math.max(2, Math.floor(cache.l1 / 8 / lines) & ~1);
  if (M * K * 8 <= cache.l2 / 4 || M <= MB) {
    tileTN(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  for (let i0 = 0; i0 < M; i0 += MB) tileTN(Math.min(MB, M - i0), N, K, A, ao + i0, lda, B, bo, ldb, C, co + i0 * ldc, ldc, acc);
}

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + p·ldb + j]. */
export function gemmNN(
  M: number, N: number, K: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
  acc: boolean,
): void {
  if (K * N * 8 <= cache.l1) {
    tileNN(M, N, K, A, ao, lda, B, bo, ldb, C, co, ldc, acc);
    return;
  }
  // KB × NB blocks of B that fit in the L1 cache, NB a multiple of the tile width 5
  const NB = Math.max(5, Math.min(N, 40));
  const KB = Math.max(8, Math.floor(cache.l1 / 8 / NB));
  for (let j0 = 0; j0 < N; j0 += NB) {
    const nb = Math.min(NB, N - j0);
    for (let p0 = 0; p0 < K; p0 += KB) {
      tileNN(M, nb, Math.min(KB, K - p0), A, ao + p0, lda, B, bo + p0 * ldb + j0, ldb, C, co + j0, ldc, acc || p0 > 0);
    }
  }
}

/**
 * Any strides: C[i·cr + j·cc] (+)= Σ_p A[ao + i·ar + p·ac] · B[bo + p·br + j·bc]. The plain
 * triple loop, for the orientations the tiled kernels do not cover.
 */
export function gemmStrided(
  M: number, N: number, K: number,
  A: Float64Array, ao: number, ar: number, ac: number,
  B: Float64Array, bo: number, br: number, bc: number,
  C: Float64Array, co: number, cr: number, cc: number,
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
