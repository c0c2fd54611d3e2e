/**
 * The WebAssembly SIMD matrix products, generated instruction by instruction (see encode.ts): for
 * each orientation of {@link gemmNT}, {@link gemmTN} and {@link gemmNN} a function
 * `(M, N, K, a, lda, b, ldb, c, ldc, acc, w)` over byte addresses a, b, c of Float64 matrices in
 * the imported memory (leading dimensions in entries; w: scratch of {@link scratchBytes}), with
 * double-precision (f64x2) arithmetic, or single-precision (f32x4; `nn32`, `tn32`, `nt32`):
 *
 *   nn  C = A · B    A[i,p] at a + 8(i·lda + p)   B[p,j] at b + 8(p·ldb + j)
 *   tn  C = Aᵀ · B   A[p,i] at a + 8(p·lda + i)   B[p,j] at b + 8(p·ldb + j)
 *   nt  C = A · Bᵀ   A[i,p] at a + 8(i·lda + p)   B[j,p] at b + 8(j·ldb + p)
 *
 * In double precision every entry of C is Σ_p A[i,p]·B[p,j] summed in the order p = 0, 1, …,
 * K − 1 from +0, each product rounded, then added (there is no fused multiply-add here), and with
 * `acc` added to C last — exactly what the plain-JS tiles compute, so the two agree to the bit.
 * SIMD runs across independent entries of C (two or four columns of a row), never across p: a
 * register tile of rows × vectors of C is kept in v128 locals while p streams, with one splat of
 * A[i,p] per row and one load of B[p, j…] per vector.
 *
 * B is read from packed panels: each panel of columns is copied into w first (K × width, p
 * outermost), so a tile reads it contiguously whatever B's leading dimension (rows a power of two
 * apart would otherwise share a handful of cache sets); A's rows are streamed in place, tn's
 * after A is transposed into w. The single columns left over read B in place.
 *
 * The single-precision kernels round A and B to float32 as they copy them into w (A's rows too),
 * multiply and sum in float32 (four lanes), and widen each sum to float64 for C (with `acc`, the
 * addition to C is in float64): speed over bits, within the error bound of a float32 dot product.
 */
import { encodeModule, FunctionBuilder, type Local, type MemoryOp, type PlainOp } from "./encode.js";

/**
 * An arithmetic of the kernels. The operands and C are always Float64 in memory; `mixed` kernels
 * round A and B to float32 as they copy them into w and compute in float32 (C gets each sum
 * widened back to float64).
 */
interface Elem {
  readonly suffix: "" | "32";
  readonly mixed: boolean;
  /** Bytes of one number in the arithmetic (in w), its log2, and lanes of a v128. */
  readonly size: 4 | 8;
  readonly shift: 2 | 3;
  readonly lanes: 2 | 4;
  readonly scalar: "f64" | "f32";
  readonly load: MemoryOp;
  readonly store: MemoryOp;
  readonly splat: MemoryOp;
  readonly add: PlainOp;
  readonly mul: PlainOp;
  readonly vadd: PlainOp;
  readonly vmul: PlainOp;
}

const F64: Elem = {
  suffix: "",
  mixed: false,
  size: 8,
  shift: 3,
  lanes: 2,
  scalar: "f64",
  load: "f64.load",
  store: "f64.store",
  splat: "v128.load64_splat",
  add: "f64.add",
  mul: "f64.mul",
  vadd: "f64x2.add",
  vmul: "f64x2.mul",
};

const F32: Elem = {
  suffix: "32",
  mixed: true,
  size: 4,
  shift: 2,
  lanes: 4,
  scalar: "f32",
  load: "f32.load",
  store: "f32.store",
  splat: "v128.load32_splat",
  add: "f32.add",
  mul: "f32.mul",
  vadd: "f32x4.add",
  vmul: "f32x4.mul",
};

/** Register tile of the full panels: rows of C × vectors of C per row. */
export interface TileShape {
  readonly rows: number;
  readonly vectors: number;
}

/** The register tiles the kernels use (f64: 4 × 4 entries; f32: 4 × 8). */
export const TILES: { readonly f64: TileShape; readonly f32: TileShape } = {
  f64: { rows: 4, vectors: 2 },
  f32: { rows: 4, vectors: 2 },
};

/** The three products: C = A·B, Aᵀ·B, A·Bᵀ. */
export type Orientation = "nn" | "tn" | "nt";

/** The locals a tile reads its operands from. */
interface TileArgs {
  readonly e: Elem;
  readonly rows: number;
  /** Vectors of C per row; 0: one scalar column. */
  readonly vectors: number;
  /** A's row i (e.size bytes per entry) and the bytes to row i + 1. */
  readonly pa: Local;
  readonly lda8: Local;
  /** B[0, j]: the packed panel (e.size bytes per entry), or for one scalar column B itself (Float64). */
  readonly pb: Local;
  /** Bytes from B[p, j] to B[p + 1, j]. */
  readonly bstep: Local;
  readonly pc: Local;
  readonly ldc8: Local;
  readonly K: Local;
  readonly acc: Local;
}

/** C[rows × width] (+)= the tile's products: accumulators in locals while p streams. */
function emitTile(f: FunctionBuilder, t: TileArgs): void {
  const { e, rows } = t;
  const vec = t.vectors > 0;
  const nv = vec ? t.vectors : 1;
  const type = vec ? "v128" : e.scalar;
  const acc: Local[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: Local[] = [];
    for (let v = 0; v < nv; v++) {
      const l = f.local(type);
      if (vec) f.v128zero();
      else if (e.scalar === "f64") f.f64(0);
      else f.f32(0);
      f.set(l);
      row.push(l);
    }
    acc.push(row);
  }
  // A's pointers, one per row (lda8 apart)
  const ap: Local[] = [];
  for (let r = 0; r < rows; r++) {
    const l = f.local("i32");
    if (r === 0) f.get(t.pa);
    else
      f.get(ap[r - 1]!)
        .get(t.lda8)
        .op("i32.add");
    f.set(l);
    ap.push(l);
  }
  const bp = f.local("i32");
  f.get(t.pb).set(bp);
  const k = f.local("i32");
  f.get(t.K).set(k);
  const b: Local[] = [];
  for (let v = 0; v < nv; v++) b.push(f.local(type));
  const a = f.local(type);
  f.block().get(k).op("i32.eqz").brIf(0);
  f.loop();
  for (let v = 0; v < nv; v++) {
    f.get(bp);
    if (vec) f.mem("v128.load", v * 16, e.shift);
    else if (e.mixed) f.mem("f64.load").op("f32.demote_f64");
    else f.mem(e.load);
    f.set(b[v]!);
  }
  for (let r = 0; r < rows; r++) {
    f.get(ap[r]!);
    f.mem(vec ? e.splat : e.load);
    f.set(a);
    for (let v = 0; v < nv; v++) {
      f.get(acc[r]![v]!)
        .get(a)
        .get(b[v]!)
        .op(vec ? e.vmul : e.mul)
        .op(vec ? e.vadd : e.add)
        .set(acc[r]![v]!);
    }
  }
  for (const p of ap) f.get(p).i32(e.size).op("i32.add").set(p);
  f.get(bp).get(t.bstep).op("i32.add").set(bp);
  f.get(k).i32(1).op("i32.sub").tee(k).brIf(0);
  f.end().end();
  // store into C (Float64; acc: C + c, as the JS tiles add)
  const cp = f.local("i32");
  const put = (add: boolean, offset: number, value: () => void, vector: boolean): void => {
    f.get(cp);
    if (add) {
      f.get(cp).mem(vector ? "v128.load" : "f64.load", offset, 3);
      value();
      f.op(vector ? "f64x2.add" : "f64.add");
    } else value();
    f.mem(vector ? "v128.store" : "f64.store", offset, 3);
  };
  const store = (add: boolean): void => {
    f.get(t.pc).set(cp);
    for (let r = 0; r < rows; r++) {
      if (r > 0) f.get(cp).get(t.ldc8).op("i32.add").set(cp);
      for (let v = 0; v < nv; v++) {
        const c = acc[r]![v]!;
        if (!e.mixed) put(add, v * 16, () => f.get(c), vec);
        else if (!vec) put(add, 0, () => f.get(c).op("f64.promote_f32"), false);
        else {
          // four float32 lanes widen to two f64x2: lanes 0–1, then 2–3 moved down
          put(add, v * 32, () => f.get(c).op("f64x2.promote_low_f32x4"), true);
          put(
            add,
            v * 32 + 16,
            () =>
              f
                .get(c)
                .get(c)
                .shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15])
                .op("f64x2.promote_low_f32x4"),
            true,
          );
        }
      }
    }
  };
  f.get(t.acc).if();
  store(true);
  f.else();
  store(false);
  f.end();
}

/**
 * Packs B's panel of `width` columns starting at `src` into w, K × width with p outermost:
 * w[p·width + x] = B[p, j + x] (rounded to float32 for mixed kernels). nt reads the panel's
 * columns from B's rows (B[j + x, p] at src + x·ldb8 + 8p); nn and tn copy B's rows (B[p, j + x]
 * at src + p·ldb8 + 8x).
 */
function emitPack(
  f: FunctionBuilder,
  e: Elem,
  o: Orientation,
  width: number,
  src: Local,
  ldb8: Local,
  w: Local,
  K: Local,
): void {
  const gather = o === "nt";
  const s: Local[] = [];
  for (let x = 0; x < (gather ? width : 1); x++) {
    const l = f.local("i32");
    if (x === 0) f.get(src);
    else
      f.get(s[x - 1]!)
        .get(ldb8)
        .op("i32.add");
    f.set(l);
    s.push(l);
  }
  const dst = f.local("i32");
  const k = f.local("i32");
  f.get(w).set(dst).get(K).set(k);
  f.block().get(k).op("i32.eqz").brIf(0).loop();
  const one = (from: Local, offset: number, x: number): void => {
    f.get(dst).get(from).mem("f64.load", offset);
    if (e.mixed) f.op("f32.demote_f64");
    f.mem(e.store, x * e.size);
  };
  if (gather) {
    for (let x = 0; x < width; x++) {
      one(s[x]!, 0, x);
      f.get(s[x]!).i32(8).op("i32.add").set(s[x]!);
    }
  } else {
    if (e.mixed) for (let x = 0; x < width; x++) one(s[0]!, 8 * x, x);
    else
      for (let v = 0; v < (width * e.size) / 16; v++)
        f.get(dst)
          .get(s[0]!)
          .mem("v128.load", v * 16, 3)
          .mem("v128.store", v * 16, 3);
    f.get(s[0]!).get(ldb8).op("i32.add").set(s[0]!);
  }
  f.get(dst)
    .i32(width * e.size)
    .op("i32.add")
    .set(dst);
  f.get(k).i32(1).op("i32.sub").tee(k).brIf(0);
  f.end().end();
}

/**
 * Copies A (Float64) into t as M rows of K entries of the arithmetic: t[i·K + p] = A[i, p], from
 * A[i, p] at a + i·lda8 + 8p, or with `transposed` (tn) at a + p·lda8 + 8i.
 */
function emitCopyA(
  f: FunctionBuilder,
  e: Elem,
  transposed: boolean,
  M: Local,
  K: Local,
  a: Local,
  lda8: Local,
  t: Local,
): void {
  const i = f.local("i32");
  const k = f.local("i32");
  const src = f.local("i32");
  const dst = f.local("i32");
  // bytes from A[i, p] to A[i, p + 1] and to A[i + 1, 0]
  const step = f.local("i32");
  const row = f.local("i32");
  if (transposed) f.get(lda8).set(step).i32(8).set(row);
  else f.i32(8).set(step).get(lda8).set(row);
  f.get(t).set(dst);
  f.i32(0).set(i);
  f.block().loop();
  f.get(i).get(M).op("i32.ge_s").brIf(1);
  f.get(a).get(i).get(row).op("i32.mul").op("i32.add").set(src);
  f.get(K).set(k);
  f.block().get(k).op("i32.eqz").brIf(0).loop();
  f.get(dst).get(src).mem("f64.load");
  if (e.mixed) f.op("f32.demote_f64");
  f.mem(e.store);
  f.get(src).get(step).op("i32.add").set(src);
  f.get(dst).i32(e.size).op("i32.add").set(dst);
  f.get(k).i32(1).op("i32.sub").tee(k).brIf(0);
  f.end().end();
  f.get(i).i32(1).op("i32.add").set(i);
  f.br(0).end().end();
}

/**
 * One exported product `${orientation}${suffix}`. All three run one register kernel: A's rows
 * streamed (in place, or from w: tn's Aᵀ, and every A of a mixed kernel, copied there first, past
 * the panel), B's panels packed into w.
 */
function emitKernel(o: Orientation, e: Elem, shape: TileShape): FunctionBuilder {
  const f = new FunctionBuilder(`${o}${e.suffix}`, Array<"i32">(11).fill("i32"));
  const [M, N, K, a, lda, b, ldb, c, ldc, acc, w] = Array.from({ length: 11 }, (_, i) => f.param(i));
  const bytes = (x: Local): Local => {
    const l = f.local("i32");
    f.get(x).i32(3).op("i32.shl").set(l);
    return l;
  };
  const lda8 = bytes(lda!);
  const ldb8 = bytes(ldb!);
  const ldc8 = bytes(ldc!);
  const full = shape.vectors * e.lanes;
  if (o === "tn" || e.mixed) {
    // A's rows into w past the widest panel (K × full entries)
    const t = f.local("i32");
    f.get(w!)
      .get(K!)
      .i32(full * e.size)
      .op("i32.mul")
      .op("i32.add")
      .set(t);
    emitCopyA(f, e, o === "tn", M!, K!, a!, lda8, t);
    f.get(t).set(a!);
    f.get(K!).i32(e.shift).op("i32.shl").set(lda8);
  }
  const j = f.local("i32");
  const i = f.local("i32");
  const pa = f.local("i32");
  const pb = f.local("i32");
  const pc = f.local("i32");
  const bstep = f.local("i32");
  f.i32(0).set(j);
  const panels = [shape.vectors, ...(shape.vectors > 1 ? [1] : []), 0];
  for (const vectors of panels) {
    const width = vectors > 0 ? vectors * e.lanes : 1;
    // while j + width ≤ N
    f.block().loop();
    f.get(j).i32(width).op("i32.add").get(N!).op("i32.gt_s").brIf(1);
    // B's panel and its step per p
    const src = f.local("i32");
    if (o === "nt") f.get(b!).get(j).get(ldb8).op("i32.mul").op("i32.add").set(src);
    else f.get(b!).get(j).i32(3).op("i32.shl").op("i32.add").set(src);
    if (vectors > 0) {
      emitPack(f, e, o, width, src, ldb8, w!, K!);
      f.get(w!).set(pb);
      f.i32(width * e.size).set(bstep);
    } else {
      f.get(src).set(pb);
      if (o === "nt") f.i32(8).set(bstep);
      else f.get(ldb8).set(bstep);
    }
    f.i32(0).set(i);
    for (const rows of shape.rows > 1 ? [shape.rows, 1] : [1]) {
      // while i + rows ≤ M
      f.block().loop();
      f.get(i).i32(rows).op("i32.add").get(M!).op("i32.gt_s").brIf(1);
      f.get(a!).get(i).get(lda8).op("i32.mul").op("i32.add").set(pa);
      f.get(c!).get(i).get(ldc8).op("i32.mul").op("i32.add").get(j).i32(3).op("i32.shl").op("i32.add").set(pc);
      emitTile(f, { e, rows, vectors, pa, lda8, pb, bstep, pc, ldc8, K: K!, acc: acc! });
      f.get(i).i32(rows).op("i32.add").set(i);
      f.br(0).end().end();
    }
    f.get(j).i32(width).op("i32.add").set(j);
    f.br(0).end().end();
  }
  return f;
}

/** The module's bytes: nn, tn, nt (f64x2) and nn32, tn32, nt32 (f32x4 arithmetic), importing `env.memory`. */
export function gemmModuleBytes(
  tiles: { readonly f64: TileShape; readonly f32: TileShape } = TILES,
): Uint8Array<ArrayBuffer> {
  const fns: FunctionBuilder[] = [];
  for (const [e, shape] of [
    [F64, tiles.f64],
    [F32, tiles.f32],
  ] as const)
    for (const o of ["nn", "tn", "nt"] as const) fns.push(emitKernel(o, e, shape));
  return encodeModule(fns);
}

/**
 * Bytes of scratch (w) a call needs: K × (the widest panel) for B's packed panel, and M × K more
 * for A's rows where they are copied (tn's Aᵀ, and A of the float32 kernels).
 */
export function scratchBytes(o: Orientation, precision: "f64" | "f32", M: number, K: number): number {
  const size = precision === "f64" ? 8 : 4;
  const shape = TILES[precision];
  const panel = K * (precision === "f64" ? 2 : 4) * shape.vectors;
  return size * (panel + (o === "tn" || precision === "f32" ? M * K : 0));
}
