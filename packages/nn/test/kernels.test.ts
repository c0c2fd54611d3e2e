/** The tiled matrix kernels against the plain triple loop, for every shape, offset and stride. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gemmNN, gemmNT, gemmStrided, gemmTN, OptionError } from "../src/index.js";
import { addColumnVector, rowSums, softmaxColumns } from "../src/kernels/elementwise.js";
import { setCacheSizes } from "../src/kernels/matmul.js";
import { firstMismatch } from "./helpers.js";

const dims = fc.record({
  M: fc.integer({ min: 0, max: 13 }),
  N: fc.integer({ min: 0, max: 13 }),
  K: fc.integer({ min: 0, max: 11 }),
  pad: fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 })),
  off: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.nat({ max: 4 })),
  acc: fc.boolean(),
  seed: fc.integer(),
});

function filled(n: number, seed: number): Float64Array {
  // a small deterministic fill (values in [−1, 1))
  let s = seed | 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    return (s >>> 0) / 2 ** 31 - 1;
  });
}

type Kernel = typeof gemmNT;

/** Runs a kernel and the reference (gemmStrided with the matching strides) on the same inputs. */
function agree(kernel: Kernel, aT: boolean, bT: boolean) {
  return fc.property(dims, ({ M, N, K, pad, off, acc, seed }) => {
    // A is M × K (or K × M when transposed in memory), B is K × N (or N × K)
    const [aRows, aCols] = aT ? [K, M] : [M, K];
    const [bRows, bCols] = bT ? [N, K] : [K, N];
    const lda = aCols + pad[0];
    const ldb = bCols + pad[1];
    const ldc = N + pad[2];
    const A = filled(off[0] + aRows * lda + 1, seed);
    const B = filled(off[1] + bRows * ldb + 1, seed + 1);
    const C0 = filled(off[2] + M * ldc + 1, seed + 2);
    const C1 = C0.slice();
    kernel(M, N, K, A, off[0], lda, B, off[1], ldb, C1, off[2], ldc, acc);
    const C2 = C0.slice();
    gemmStrided(
      M,
      N,
      K,
      A,
      off[0],
      aT ? 1 : lda,
      aT ? lda : 1,
      B,
      off[1],
      bT ? 1 : ldb,
      bT ? ldb : 1,
      C2,
      off[2],
      ldc,
      1,
      acc,
    );
    // same products summed in the same order: equal to the bit; outside the block untouched
    expect(C1).toEqual(C2);
    for (let i = 0; i < C0.length; i++) {
      const r = Math.floor((i - off[2]) / ldc);
      const c = (i - off[2]) % ldc;
      if (i < off[2] || r >= M || c >= N) expect(C1[i]).toBe(C0[i]);
    }
  });
}

describe("matrix kernels", () => {
  it("gemmNT: C = A·Bᵀ", () => fc.assert(agree(gemmNT, false, true), { numRuns: 300 }));
  it("gemmTN: C = Aᵀ·B", () => fc.assert(agree(gemmTN, true, false), { numRuns: 300 }));
  it("gemmNN: C = A·B", () => fc.assert(agree(gemmNN, false, false), { numRuns: 300 }));

  it("cut into cache blocks (tiny caches force it), every product still equals the definition", () => {
    const previous = setCacheSizes({ l1: 256, l2: 2048 });
    try {
      const big = fc.record({
        M: fc.integer({ min: 1, max: 40 }),
        N: fc.integer({ min: 1, max: 60 }),
        K: fc.integer({ min: 1, max: 90 }),
        seed: fc.integer(),
        acc: fc.boolean(),
      });
      fc.assert(
        fc.property(big, fc.constantFrom("NT", "TN", "NN"), ({ M, N, K, seed, acc }, kind) => {
          const aT = kind === "TN";
          const bT = kind === "NT";
          const [lda, ldb] = [(aT ? M : K) + 1, (bT ? K : N) + 2];
          const A = filled((aT ? K : M) * lda, seed);
          const B = filled((bT ? N : K) * ldb, seed + 1);
          const C1 = filled(M * N, seed + 2);
          const C2 = C1.slice();
          const kernel = kind === "NT" ? gemmNT : kind === "TN" ? gemmTN : gemmNN;
          kernel(M, N, K, A, 0, lda, B, 0, ldb, C1, 0, N, acc);
          gemmStrided(M, N, K, A, 0, aT ? 1 : lda, aT ? lda : 1, B, 0, bT ? 1 : ldb, bT ? ldb : 1, C2, 0, N, 1, acc);
          // blocks of the inner dimension are summed separately: equal up to rounding
          expect(firstMismatch(C1, C2, 1e-12)).toBe(-1);
        }),
        { numRuns: 300 },
      );
    } finally {
      setCacheSizes(previous);
    }
  });

  it("setCacheSizes refuses a size below 64 bytes or not finite with an OptionError that names it", () => {
    const before = setCacheSizes({ l1: 48 * 1024, l2: 1024 * 1024 });
    try {
      expect(() => setCacheSizes({ l1: 12, l2: 1024 * 1024 })).toThrow(OptionError);
      expect(() => setCacheSizes({ l1: 12, l2: 1024 * 1024 })).toThrow(
        /^setCacheSizes: l1 must be a finite number of bytes ≥ 64 \(e.g. 48 \* 1024\), got 12.$/,
      );
      expect(() => setCacheSizes({ l1: 4096, l2: Number.NaN })).toThrow(/^setCacheSizes: l2 must be .*, got NaN.$/);
      expect(() => setCacheSizes({ l1: 4096, l2: Number.POSITIVE_INFINITY })).toThrow(/l2 .* got Infinity/);
      // a refused call changes nothing
      expect(setCacheSizes(before)).toEqual({ l1: 48 * 1024, l2: 1024 * 1024 });
    } finally {
      setCacheSizes(before);
    }
  });

  it("gemmStrided is the definition: Σ_p A[i,p] B[p,j]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (M, N, K, seed) => {
          const A = filled(M * K, seed);
          const B = filled(K * N, seed + 7);
          const C = new Float64Array(M * N);
          gemmStrided(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, N, 1, false);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let p = 0; p < K; p++) s += A[i * K + p]! * B[p * N + j]!;
              expect(C[i * N + j]).toBe(s);
            }
          }
        },
      ),
    );
  });
});

describe("element-wise kernels", () => {
  it("softmax columns sum to 1 and their log-sum-exp gives back z", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: -700, max: 700, noNaN: true }), { minLength: 30, maxLength: 30 }),
        (n, m, zs) => {
          const Z = Float64Array.from(zs.slice(0, n * m).concat(new Array(Math.max(0, n * m - zs.length)).fill(0)));
          const A = new Float64Array(n * m);
          const lse = new Float64Array(m);
          softmaxColumns(Z, A, lse, n, m);
          for (let e = 0; e < m; e++) {
            let s = 0;
            for (let j = 0; j < n; j++) {
              s += A[e * n + j]!;
              // log a_j = z_j − lse
              if (A[e * n + j]! > 1e-300)
                expect(Math.abs(Math.log(A[e * n + j]!) - (Z[e * n + j]! - lse[e]!))).toBeLessThan(
                  1e-9 * (1 + Math.abs(Z[e * n + j]!)),
                );
            }
            expect(Math.abs(s - 1)).toBeLessThan(1e-12);
          }
        },
      ),
    );
  });

  it("bias broadcast and row sums match their definitions", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (n, m, seed) => {
        const D = filled(n * m, seed);
        const b = filled(n, seed + 3);
        const out = D.slice();
        addColumnVector(b, { off: 0, rows: n, cols: 1, rs: 1, cs: 1 }, out, { off: 0, rows: n, cols: m, rs: 1, cs: n });
        for (let e = 0; e < m; e++) for (let j = 0; j < n; j++) expect(out[e * n + j]).toBe(D[e * n + j]! + b[j]!);
        const sums = new Float64Array(n);
        rowSums(D, { off: 0, rows: n, cols: m, rs: 1, cs: n }, sums, { off: 0, rows: n, cols: 1, rs: 1, cs: 1 }, false);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let e = 0; e < m; e++) s += D[e * n + j]!;
          expect(sums[j]).toBe(s);
        }
      }),
    );
  });
});
