/**
 * A small WebAssembly binary writer: just what nn's generated kernels use (one imported memory,
 * functions of i32/f32/f64/v128 values, structured control flow, loads and stores, and the SIMD
 * lane arithmetic of the base SIMD proposal — no relaxed SIMD, no fused multiply-add). The kernels
 * are written as TypeScript that emits instructions ({@link FunctionBuilder}); {@link encodeModule}
 * lays the functions out as a module. Nothing here reads or writes files, so the bytes are made
 * wherever the kernels run (node or a browser) and no assembler or toolchain is needed.
 */

/** A value type of the functions' parameters, results and locals. */
export type ValType = "i32" | "f32" | "f64" | "v128";

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Plain opcodes (no immediates), by their text-format names. */
const PLAIN = {
  "i32.eqz": [0x45],
  "i32.eq": [0x46],
  "i32.ne": [0x47],
  "i32.lt_s": [0x48],
  "i32.lt_u": [0x49],
  "i32.gt_s": [0x4a],
  "i32.gt_u": [0x4b],
  "i32.le_s": [0x4c],
  "i32.le_u": [0x4d],
  "i32.ge_s": [0x4e],
  "i32.ge_u": [0x4f],
  "i32.add": [0x6a],
  "i32.sub": [0x6b],
  "i32.mul": [0x6c],
  "i32.and": [0x71],
  "i32.shl": [0x74],
  "f32.add": [0x92],
  "f32.mul": [0x94],
  "f64.add": [0xa0],
  "f64.mul": [0xa2],
  "f32.demote_f64": [0xb6],
  "f64.promote_f32": [0xbb],
  "f32x4.splat": simd(0x13),
  "f64x2.splat": simd(0x14),
  "f32x4.demote_f64x2_zero": simd(0x5e),
  "f64x2.promote_low_f32x4": simd(0x5f),
  "f32x4.add": simd(0xe4),
  "f32x4.mul": simd(0xe6),
  "f64x2.add": simd(0xf0),
  "f64x2.mul": simd(0xf2),
  drop: [0x1a],
  return: [0x0f],
} as const;

/** Memory instructions (an alignment hint and an offset follow), with their natural alignment (log2 bytes). */
const MEMORY = {
  "f32.load": [[0x2a], 2],
  "f64.load": [[0x2b], 3],
  "f32.store": [[0x38], 2],
  "f64.store": [[0x39], 3],
  "v128.load": [simd(0x00), 4],
  "v128.load32_splat": [simd(0x09), 2],
  "v128.load64_splat": [simd(0x0a), 3],
  "v128.store": [simd(0x0b), 4],
  "v128.load64_zero": [simd(0x5d), 3],
} as const;

/** A plain instruction's name. */
export type PlainOp = keyof typeof PLAIN;
/** A load or store instruction's name. */
export type MemoryOp = keyof typeof MEMORY;

function simd(op: number): number[] {
  return [0xfd, ...unsigned(op)];
}

/** Unsigned LEB128. */
function unsigned(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function signed(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const name = (s: string): number[] => {
  const b = utf8(s);
  return [...unsigned(b.length), ...b];
};
const vector = (items: readonly number[][]): number[] => [...unsigned(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...unsigned(body.length), ...body];

/** A local variable (or parameter) of a function, by index. */
export type Local = number & { readonly __local: unique symbol };

/**
 * The body of one function, written instruction by instruction: `f.get(x).get(y).op("i32.add")`.
 * Control instructions nest like the text format (`block`, `loop`, `if` … `end`); `br` depths
 * count outward from the innermost open block.
 */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];
  private depth = 0;

  constructor(
    /** Exported under this name (or internal when null). */
    readonly exportName: string | null,
    readonly params: readonly ValType[],
    readonly results: readonly ValType[] = [],
  ) {}

  /** Parameter i. */
  param(i: number): Local {
    if (!(i >= 0 && i < this.params.length)) throw new RangeError(`no parameter ${i}`);
    return i as Local;
  }

  /** A new local of a type. */
  local(type: ValType): Local {
    this.locals.push(type);
    return (this.params.length + this.locals.length - 1) as Local;
  }

  /** The locals' declarations, grouped by runs of one type. */
  declarations(): number[][] {
    const groups: number[][] = [];
    let i = 0;
    while (i < this.locals.length) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...unsigned(j - i), VALTYPE[this.locals[i]!]]);
      i = j;
    }
    return groups;
  }

  op(name: PlainOp): this {
    this.code.push(...PLAIN[name]);
    return this;
  }
  /** A load or store at `offset` bytes past the address on the stack (alignment hint: the element's). */
  mem(name: MemoryOp, offset = 0, align?: number): this {
    const [bytes, natural] = MEMORY[name];
    this.code.push(...bytes, ...unsigned(Math.min(align ?? natural, natural)), ...unsigned(offset));
    return this;
  }
  get(l: Local): this {
    this.code.push(0x20, ...unsigned(l));
    return this;
  }
  set(l: Local): this {
    this.code.push(0x21, ...unsigned(l));
    return this;
  }
  tee(l: Local): this {
    this.code.push(0x22, ...unsigned(l));
    return this;
  }
  i32(n: number): this {
    this.code.push(0x41, ...signed(n));
    return this;
  }
  f64(x: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, true);
    this.code.push(0x44, ...b);
    return this;
  }
  f32(x: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, x, true);
    this.code.push(0x43, ...b);
    return this;
  }
  /** i8x16.shuffle of the two v128 on the stack: byte k of the result is byte lanes[k] of their 32. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !(Number.isInteger(l) && l >= 0 && l < 32)))
      throw new RangeError("a shuffle takes 16 byte lanes from 0 to 31");
    this.code.push(0xfd, ...unsigned(0x0d), ...lanes);
    return this;
  }
  /** v128.const with all sixteen bytes zero (+0.0 in every lane). */
  v128zero(): this {
    this.code.push(0xfd, ...unsigned(0x0c), ...new Array<number>(16).fill(0));
    return this;
  }
  block(): this {
    this.depth++;
    this.code.push(0x02, 0x40);
    return this;
  }
  loop(): this {
    this.depth++;
    this.code.push(0x03, 0x40);
    return this;
  }
  if(): this {
    this.depth++;
    this.code.push(0x04, 0x40);
    return this;
  }
  else(): this {
    this.code.push(0x05);
    return this;
  }
  end(): this {
    if (this.depth === 0) throw new Error("end without an open block");
    this.depth--;
    this.code.push(0x0b);
    return this;
  }
  br(depth: number): this {
    this.code.push(0x0c, ...unsigned(depth));
    return this;
  }
  brIf(depth: number): this {
    this.code.push(0x0d, ...unsigned(depth));
    return this;
  }

  /** The encoded body (locals and code), checking that every block was closed. */
  body(): number[] {
    if (this.depth !== 0) throw new Error(`${this.depth} blocks left open in ${this.exportName ?? "a function"}`);
    const content = [...vector(this.declarations()), ...this.code, 0x0b];
    return [...unsigned(content.length), ...content];
  }
}

/**
 * A module of these functions, importing one memory as `env.memory` (at least `minPages` pages
 * of 64 KiB) and exporting each function that has an export name.
 */
export function encodeModule(functions: readonly FunctionBuilder[], minPages = 1): Uint8Array<ArrayBuffer> {
  const types: string[] = [];
  const typeOf = functions.map((f) => {
    const key = `${f.params.join(",")}->${f.results.join(",")}`;
    let i = types.indexOf(key);
    if (i < 0) {
      i = types.length;
      types.push(key);
    }
    return i;
  });
  const typeEntries = types.map((key) => {
    const [ps, rs] = key.split("->") as [string, string];
    const list = (s: string): number[][] => (s === "" ? [] : s.split(",").map((t) => [VALTYPE[t as ValType]]));
    return [0x60, ...vector(list(ps)), ...vector(list(rs))];
  });
  const imports = [[...name("env"), ...name("memory"), 0x02, 0x00, ...unsigned(minPages)]];
  const exports = functions.flatMap((f, i) =>
    f.exportName === null ? [] : [[...name(f.exportName), 0x00, ...unsigned(i)]],
  );
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(typeEntries)),
    ...section(2, vector(imports)),
    ...section(3, vector(typeOf.map((t) => unsigned(t)))),
    ...section(7, vector(exports)),
    ...section(10, vector(functions.map((f) => f.body()))),
  ];
  return Uint8Array.from(bytes);
}
