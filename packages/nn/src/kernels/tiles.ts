/**
 * Register-tiled matrix products on Float64Array (row-major, with offsets and leading dimensions):
 * the inner loops of {@link gemmNT}, {@link gemmTN} and {@link gemmNN}. Each keeps a tile of ten
 * accumulators (5 × 2 or 2 × 5 — locals the JIT keeps in registers; 4 × 4 tiles spill) and
 * streams the inner dimension; edges fall back to narrower tiles. With `acc` the result is added
 * to C, otherwise it replaces C. Nothing is allocated.
 */

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + j·ldb + p]. */
export function tileNT(
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
  const M5 = M - (M % 5);
  const N2 = N - (N % 2);
  for (let j = 0; j < N2; j += 2) {
    const b0 = bo + j * ldb;
    const b1 = b0 + ldb;
    for (let i = 0; i < M5; i += 5) {
      const a0 = ao + i * lda,
        a1 = a0 + lda,
        a2 = a1 + lda,
        a3 = a2 + lda,
        a4 = a3 + lda;
      let c00 = 0,
        c01 = 0,
        c10 = 0,
        c11 = 0,
        c20 = 0,
        c21 = 0,
        c30 = 0,
        c31 = 0,
        c40 = 0,
        c41 = 0;
      for (let p = 0; p < K; p++) {
        const x0 = B[b0 + p]!,
          x1 = B[b1 + p]!;
        const y0 = A[a0 + p]!,
          y1 = A[a1 + p]!,
          y2 = A[a2 + p]!,
          y3 = A[a3 + p]!,
          y4 = A[a4 + p]!;
        c00 += y0 * x0;
        c01 += y0 * x1;
        c10 += y1 * x0;
        c11 += y1 * x1;
        c20 += y2 * x0;
        c21 += y2 * x1;
        c30 += y3 * x0;
        c31 += y3 * x1;
        c40 += y4 * x0;
        c41 += y4 * x1;
      }
      let o = co + i * ldc + j;
      store2(C, o, c00, c01, acc);
      o += ldc;
      store2(C, o, c10, c11, acc);
      o += ldc;
      store2(C, o, c20, c21, acc);
      o += ldc;
      store2(C, o, c30, c31, acc);
      o += ldc;
      store2(C, o, c40, c41, acc);
    }
    for (let i = M5; i < M; i++) {
      const a0 = ao + i * lda;
      let c0 = 0,
        c1 = 0;
      for (let p = 0; p < K; p++) {
        const y = A[a0 + p]!;
        c0 += y * B[b0 + p]!;
        c1 += y * B[b1 + p]!;
      }
      store2(C, co + i * ldc + j, c0, c1, acc);
    }
  }
  if (N2 < N) {
    const b0 = bo + N2 * ldb;
    for (let i = 0; i < M; i++) {
      const a0 = ao + i * lda;
      let c = 0;
      for (let p = 0; p < K; p++) c += A[a0 + p]! * B[b0 + p]!;
      const o = co + i * ldc + N2;
      C[o] = acc ? C[o]! + c : c;
    }
  }
}

/** C[i·ldc + j] (+)= Σ_p A[ao + p·lda + i] · B[bo + p·ldb + j]. */
export function tileTN(
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
  const M2 = M - (M % 2);
  const N5 = N - (N % 5);
  for (let j = 0; j < N5; j += 5) {
    for (let i = 0; i < M2; i += 2) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c04 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c14 = 0;
      for (let p = 0, qa = ao + i, qb = bo + j; p < K; p++, qa += lda, qb += ldb) {
        const x0 = B[qb]!,
          x1 = B[qb + 1]!,
          x2 = B[qb + 2]!,
          x3 = B[qb + 3]!,
          x4 = B[qb + 4]!;
        const y0 = A[qa]!,
          y1 = A[qa + 1]!;
        c00 += y0 * x0;
        c01 += y0 * x1;
        c02 += y0 * x2;
        c03 += y0 * x3;
        c04 += y0 * x4;
        c10 += y1 * x0;
        c11 += y1 * x1;
        c12 += y1 * x2;
        c13 += y1 * x3;
        c14 += y1 * x4;
      }
      const o = co + i * ldc + j;
      store5(C, o, c00, c01, c02, c03, c04, acc);
      store5(C, o + ldc, c10, c11, c12, c13, c14, acc);
    }
    if (M2 < M) {
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0,
        c4 = 0;
      for (let p = 0, qa = ao + M2, qb = bo + j; p < K; p++, qa += lda, qb += ldb) {
        const y = A[qa]!;
        c0 += y * B[qb]!;
        c1 += y * B[qb + 1]!;
        c2 += y * B[qb + 2]!;
        c3 += y * B[qb + 3]!;
        c4 += y * B[qb + 4]!;
      }
      store5(C, co + M2 * ldc + j, c0, c1, c2, c3, c4, acc);
    }
  }
  for (let j = N5; j < N; j++) {
    for (let i = 0; i < M; i++) {
      let c = 0;
      for (let p = 0, qa = ao + i, qb = bo + j; p < K; p++, qa += lda, qb += ldb) c += A[qa]! * B[qb]!;
      const o = co + i * ldc + j;
      C[o] = acc ? C[o]! + c : c;
    }
  }
}

/** C[i·ldc + j] (+)= Σ_p A[ao + i·lda + p] · B[bo + p·ldb + j]. */
export function tileNN(
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
  const M2 = M - (M % 2);
  const N5 = N - (N % 5);
  for (let i = 0; i < M2; i += 2) {
    const a0 = ao + i * lda;
    const a1 = a0 + lda;
    for (let j = 0; j < N5; j += 5) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c04 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c14 = 0;
      for (let p = 0, qb = bo + j; p < K; p++, qb += ldb) {
        const x0 = B[qb]!,
          x1 = B[qb + 1]!,
          x2 = B[qb + 2]!,
          x3 = B[qb + 3]!,
          x4 = B[qb + 4]!;
        const y0 = A[a0 + p]!,
          y1 = A[a1 + p]!;
        c00 += y0 * x0;
        c01 += y0 * x1;
        c02 += y0 * x2;
        c03 += y0 * x3;
        c04 += y0 * x4;
        c10 += y1 * x0;
        c11 += y1 * x1;
        c12 += y1 * x2;
        c13 += y1 * x3;
        c14 += y1 * x4;
      }
      const o = co + i * ldc + j;
      store5(C, o, c00, c01, c02, c03, c04, acc);
      store5(C, o + ldc, c10, c11, c12, c13, c14, acc);
    }
  }
  for (let i = 0; i < M; i++) {
    const a0 = ao + i * lda;
    // rows past the 2-row tiles take every column; the others only the columns past the 5-wide tiles
    for (let j = i < M2 ? N5 : 0; j < N; j++) {
      let c = 0;
      for (let p = 0, qb = bo + j; p < K; p++, qb += ldb) c += A[a0 + p]! * B[qb]!;
      const o = co + i * ldc + j;
      C[o] = acc ? C[o]! + c : c;
    }
  }
}

function store2(C: Float64Array, o: number, c0: number, c1: number, acc: boolean): void {
  if (acc) {
    C[o] = C[o]! + c0;
    C[o + 1] = C[o + 1]! + c1;
  } else {
    C[o] = c0;
    C[o + 1] = c1;
  }
}

function store5(
  C: Float64Array,
  o: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  c4: number,
  acc: boolean,
): void {
  if (acc) {
    C[o] = C[o]! + c0;
    C[o + 1] = C[o + 1]! + c1;
    C[o + 2] = C[o + 2]! + c2;
    C[o + 3] = C[o + 3]! + c3;
    C[o + 4] = C[o + 4]! + c4;
  } else {
    C[o] = c0;
    C[o + 1] = c1;
    C[o + 2] = c2;
    C[o + 3] = c3;
    C[o + 4] = c4;
  }
}
