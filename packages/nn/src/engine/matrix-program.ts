/**
 * Runs core's matrix-form derivation of a layered network on typed arrays: the forward steps
 * Z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾A⁽ˡ⁾ + b⁽ˡ⁾, A⁽ˡ⁺¹⁾ = f(Z⁽ˡ⁺¹⁾), then the backward steps in the order
 * `matrixForm(graph).backward` lists them (δ⁽ᴸ⁾, ∂J/∂Θ⁽ᴸ⁻¹⁾, δ⁽ᴸ⁻¹⁾, …). Each step's tensor
 * expression is planned once per batch size (see {@link Planner}); buffers are allocated for a
 * capacity of examples up front, so a run allocates nothing.
 *
 * The matrix products run on the plain-JS kernels or on WebAssembly SIMD ({@link KernelChoice}).
 * With WebAssembly the buffers are views on one WebAssembly.Memory sized for them up front, and
 * the parameters, the inputs and the gradient are copied in and out of it around each run; the
 * numbers are the same to the bit either way.
 */
import {
  type Batch,
  type Expr,
  type Graph,
  graphIndex,
  ids,
  type MatrixForm,
  matrixForm,
  parameterIds,
  requireLayers,
  show,
  type TExpr,
  TooLargeError,
} from "@chainrule/core";
import { float64, optionsObject, UNCHECKED_LOSS } from "../check.js";
import { OptionError } from "../errors.js";
import {
  type BatchCostKernel,
  type CompiledMap,
  type CostKernel,
  compileBatchCost,
  compileBatchCostFor,
  compileCost,
  compileMap,
  type MapMode,
} from "../kernels/templates.js";
import {
  checkDtype,
  checkKernelChoice,
  type Dtype,
  JS_KERNELS,
  type KernelChoice,
  WasmArena,
  wasmKernelModule,
} from "../kernels/wasm/backend.js";
import { type PlanContext, Planner } from "./planner.js";
import { type Frame, type Op, type ParamLayer, paramLayers } from "./views.js";

interface Plan {
  readonly forward: readonly Op[];
  readonly backward: readonly Op[];
}

/** Options of a {@link MatrixProgram}. */
export interface MatrixProgramOptions {
  /** Plan the backward steps too (default true). */
  readonly backward?: boolean;
  /**
   * A graph with the same layers whose matrix form gives the forward steps, when `graph`'s own
   * matrix form is not available (softmax with mse: its forward pass is the same as with
   * cross-entropy; only the backward pass differs). Requires `backward: false`.
   */
  readonly forwardGraph?: Graph;
  /**
   * Run a network of these layer sizes, for which `graph` (and `forwardGraph`) is a template: a
   * layered graph of the same depth, activations, cost, biases and λ and the same output width,
   * whose inner layers may be narrower (see `Engine.forLayers`). The matrix form's steps name
   * layers, not neurons, and its element-wise templates are written for neuron 1, so they are the
   * same at every width: a network too large for a per-weight graph runs from a small one.
   */
  readonly sizes?: readonly number[];
  /**
   * Which kernels run the matrix products: "auto" (default) WebAssembly SIMD where the host runs
   * it and the network has at least {@link WASM_MIN_PARAMETERS} parameters, else plain JS; "js";
   * or "wasm" (an OptionError where WebAssembly SIMD is not available).
   * They give the same numbers, bit for bit: the WebAssembly products sum every entry in the
   * plain-JS kernels' order, each product rounded before it is added.
   */
  readonly kernels?: KernelChoice;
  /**
   * The arithmetic of the matrix products: "float64" (default), or "float32" — the WebAssembly
   * kernels round the operands to float32 and multiply and sum in float32, four lanes at a time,
   * for speed over bits (each entry within the error bound of a float32 dot product, about
   * K·2⁻²⁴ of Σ|a·b|); everything else (activations, δ, parameters) stays float64. "float32"
   * needs the WebAssembly kernels: an OptionError with kernels "js" or where WebAssembly SIMD does
   * not run.
   */
  readonly dtype?: Dtype;
}

/**
 * The fewest parameters for which "auto" kernels run on WebAssembly: below it, copying the
 * parameters into the memory and calling into WebAssembly costs more than the products save
 * (measured: a 2-8-1 network's gradient is 1.4× slower on WebAssembly, a 4-16-3 one, 131
 * parameters, 0.75× the time).
 */
export const WASM_MIN_PARAMETERS = 100;

/** The most numbers a program's buffers may hold (1 GB of Float64). */
export const MAX_PROGRAM_BUFFER = 2 ** 27;
const MAX_BUFFER = MAX_PROGRAM_BUFFER;

/** A layered network's matrix form, ready to run on batches of up to `capacity` examples. */
export class MatrixProgram {
  /** Most examples one run can take. */
  readonly capacity: number;
  /** The matrix form this program executes. */
  readonly form: MatrixForm;
  readonly sizes: readonly number[];
  readonly params: readonly ParamLayer[];
  /** Parameters of the network the program runs. */
  readonly parameterCount: number;
  /** Output activations of the last run: m × (outputs), one example per row. */
  readonly outputs: Float64Array;
  private readonly ctx: PlanContext;
  private readonly cost: CostKernel;
  private readonly batchCost: BatchCostKernel;
  private readonly backward: boolean;
  private readonly plans = new Map<number, Plan>();
  private readonly maps = new Map<string, CompiledMap>();
  private readonly frame: Frame;
  private readonly l2: number;
  /** The WebAssembly memory the buffers live in, with the parameters', inputs' and gradient's copies; or null (plain JS). */
  private readonly arena: {
    readonly memory: WasmArena;
    readonly theta: Float64Array;
    readonly grad: Float64Array;
    readonly x: Float64Array;
  } | null;
  /** The kernels the products run on: "wasm" (WebAssembly SIMD) or "js". */
  readonly kernels: "js" | "wasm";
  /** The arithmetic of the products. */
  readonly dtype: Dtype;
  /** The per-example part of J (J without the once-per-batch term) of the last gradient run; NaN before one. */
  lastLoss = Number.NaN;

  constructor(
    readonly graph: Graph,
    capacity: number,
    options: MatrixProgramOptions = {},
  ) {
    if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1)
      throw new OptionError(`A program needs a capacity of at least 1 example, got ${show(capacity)}.`, capacity);
    optionsObject("The program options", options);
    if (options.backward !== undefined && typeof options.backward !== "boolean")
      throw new OptionError(`options.backward is true or false, got ${show(options.backward)}.`, options.backward);
    this.capacity = capacity;
    this.backward = options.backward ?? true;
    const info = requireLayers(graph);
    if (options.forwardGraph !== undefined && this.backward)
      throw new OptionError("A separate forward graph is only for forward-only programs.");
    this.form = matrixForm(options.forwardGraph ?? graph);
    checkLayout(graph, paramLayers(info.sizes, info.bias));
    this.sizes = options.sizes === undefined ? info.sizes : widerSizes(info.sizes, options.sizes);
    this.params = paramLayers(this.sizes, info.bias);
    this.parameterCount = this.params.reduce((t, p) => t + p.to * p.ld, 0);
    const L = this.sizes.length;
    // buffers of n × capacity numbers per layer (z, a and δ): refuse what cannot be allocated
    const entries = this.sizes.slice(1).reduce((t, n) => t + 3 * n * capacity, 0);
    if (entries > MAX_BUFFER) {
      throw new TooLargeError(
        "too-large",
        `A program for ${capacity} examples of a ${this.sizes.join("-")} network needs ${entries} numbers of buffers; the limit is ${MAX_BUFFER}. Use smaller batches.`,
        capacity,
      );
    }
    // identity: A is Z itself (the template is the z symbol and the layer is not a softmax)
    const aliased = (step: MatrixForm["forward"][number]): boolean =>
      step.a.kind === "map" && step.a.activation === "identity" && step.a.template.kind === "sym";
    const arena = makeArena(
      options.kernels,
      options.dtype,
      this.sizes,
      capacity,
      this.backward,
      this.parameterCount,
      (counts) => {
        for (const step of this.form.forward)
          counts.push(...Array<number>(aliased(step) ? 1 : 2).fill(this.sizes[step.layer - 1]! * capacity));
      },
    );
    const alloc = arena === null ? (n: number) => new Float64Array(n) : (n: number) => arena.alloc(n);
    this.arena =
      arena === null
        ? null
        : {
            memory: arena,
            theta: arena.alloc(this.parameterCount),
            grad: arena.alloc(this.backward ? this.parameterCount : 0),
            x: arena.alloc(this.sizes[0]! * capacity),
          };
    this.kernels = arena === null ? "js" : "wasm";
    this.dtype = arena === null ? "float64" : arena.kernels.dtype;
    const z: (Float64Array | null)[] = [null, null];
    const a: (Float64Array | null)[] = [null, null];
    const d: (Float64Array | null)[] = [null, null];
    for (const step of this.form.forward) {
      const n = this.sizes[step.layer - 1]!;
      const zb = alloc(n * capacity);
      z[step.layer] = zb;
      a[step.layer] = aliased(step) ? zb : alloc(n * capacity);
      d[step.layer] = this.backward ? alloc(n * capacity) : null;
    }
    this.outputs = a[L]!;
    // λ of the graph's own cost (a forward-only program's form may come from another graph)
    const l2 = graphIndex(graph).cost.l2;
    this.l2 = l2;
    this.ctx = {
      sizes: this.sizes,
      params: this.params,
      z,
      a,
      d,
      lse: alloc(capacity),
      theta: "theta",
      grad: "grad",
      l2,
      mapKernel: (t, mode) => this.mapKernel(t, mode),
      kernels: arena === null ? JS_KERNELS : arena.kernels,
      alloc,
    };
    this.cost = compileCost(graph).kernel;
    this.batchCost =
      this.sizes === info.sizes || l2 === 0
        ? compileBatchCost(graph).kernel
        : compileBatchCostFor(graph, weightPositions(this.params)).kernel;
    this.frame = {
      theta: new Float64Array(0),
      grad: new Float64Array(0),
      x: new Float64Array(0),
      y: new Float64Array(0),
    };
  }

  /**
   * The program's own copy of the inputs in its WebAssembly memory (capacity × inputs): a run
   * whose inputs are already there reads them in place instead of copying them in. Null with the
   * plain-JS kernels, which read the caller's array itself.
   */
  get inputBuffer(): Float64Array | null {
    return this.arena === null ? null : this.arena.x;
  }

  /** Runs the forward steps on m examples (x: m × inputs, one example per row). */
  forward(theta: Float64Array, x: Float64Array, m: number): void {
    const f = this.bind(theta, x, null, m);
    run(this.plan(m).forward, f);
  }

  /** J over a batch: forward steps, then the cost (and the L2 term). */
  evaluate(theta: Float64Array, batch: Batch): number {
    const m = checkedBatch(batch).m;
    return this.loss(theta, batch, m) + this.batchTerm(theta, m);
  }

  /** J and every ∂J/∂θ (written into grad, in core's parameter order) over a batch. */
  gradient(theta: Float64Array, batch: Batch, grad: Float64Array): number {
    if (!this.backward) throw new OptionError("This program was planned without its backward steps.");
    const m = checkedBatch(batch).m;
    const f = this.bind(theta, batch.x, batch.y, m);
    float64("The gradient array", grad, theta.length);
    const inside = this.arena === null || this.arena.memory.holds(grad);
    f.grad = inside ? grad : this.arena.grad;
    const plan = this.plan(m);
    run(plan.forward, f);
    const loss = this.lossOfOutputs(batch, m);
    this.lastLoss = loss;
    const J = loss + this.batchTerm(theta, m);
    run(plan.backward, f);
    if (!inside) grad.set(f.grad);
    return J;
  }

  /**
   * The per-example costs of a batch's examples summed, each with the batch size taken as
   * `total` (its 1/total): J without the L2 term for total = batch.m, or a slice's share of J over
   * `total` examples. Runs the forward steps (the outputs are left in {@link outputs}).
   */
  loss(theta: Float64Array, batch: Batch, total: number): number {
    checkedBatch(batch);
    this.bind(theta, batch.x, batch.y, batch.m);
    if (typeof total !== "number" || !(total >= batch.m))
      throw new OptionError(
        `A slice of ${batch.m} examples is part of a batch of at least ${batch.m}, not ${show(total)}.`,
        total,
      );
    this.forward(theta, batch.x, batch.m);
    return this.lossOfOutputs(batch, total);
  }

  /** {@link MatrixProgram.loss} without its argument checks, for nn's training loop. */
  [UNCHECKED_LOSS](theta: Float64Array, batch: Batch, total: number): number {
    const f = this.stage(theta, batch.x, batch.m);
    f.y = batch.y;
    run(this.plan(batch.m).forward, f);
    return this.lossOfOutputs(batch, total);
  }

  /**
   * The once-per-batch term of J for a batch of m examples: core's `costForm(graph).batchCost`
   * (the L2 term λ/(2m) Σθ² over the weights; 0 without L2), compiled.
   */
  batchTerm(theta: Float64Array, m: number): number {
    float64("The parameters", theta, this.parameterCount);
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1)
      throw new OptionError(`The batch size m is a whole number ≥ 1, got ${show(m)}.`, m);
    return this.batchCost(theta, m, this.l2);
  }

  /** Σ of the per-example costs of the last forward run's m examples, with 1/total inside. */
  private lossOfOutputs(batch: Batch, total: number): number {
    return this.cost(this.ctx.z[this.sizes.length]!, this.outputs, batch.y, this.ctx.lse, batch.m, total);
  }

  private bind(theta: Float64Array, x: Float64Array, y: Float64Array | null, m: number): Frame {
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > this.capacity) {
      throw new OptionError(`A run takes 1…${this.capacity} examples (the program's capacity); got ${show(m)}.`, m);
    }
    float64("The parameters", theta, this.parameterCount);
    const nIn = this.sizes[0]!;
    const nOut = this.sizes[this.sizes.length - 1]!;
    if (float64("The inputs", x).length < m * nIn)
      throw new OptionError(`${m} examples need ${m * nIn} inputs (${nIn} each), got ${x.length}.`, x.length);
    if (y !== null && float64("The targets", y).length < m * nOut)
      throw new OptionError(`${m} examples need ${m * nOut} targets (${nOut} each), got ${y.length}.`, y.length);
    const f = this.stage(theta, x, m);
    if (y !== null) f.y = y;
    return f;
  }

  /**
   * Binds the parameters and m examples' inputs: the arrays themselves, or with WebAssembly
   * kernels their copies in the arena's memory (unless they are already in it).
   */
  private stage(theta: Float64Array, x: Float64Array, m: number): Frame {
    const f = this.frame;
    const s = this.arena;
    if (s === null || s.memory.holds(theta)) f.theta = theta;
    else {
      s.theta.set(theta);
      f.theta = s.theta;
    }
    if (s === null || s.memory.holds(x)) f.x = x;
    else {
      const n = m * this.sizes[0]!;
      s.x.set(x.length === n ? x : x.subarray(0, n));
      f.x = s.x;
    }
    return f;
  }

  private plan(m: number): Plan {
    let p = this.plans.get(m);
    if (p !== undefined) return p;
    const fwd = new Planner(this.ctx, m);
    for (const step of this.form.forward) {
      fwd.into(step.z, fwd.layer("z", step.layer), false);
      if (this.ctx.a[step.layer] !== this.ctx.z[step.layer]) fwd.into(step.a, fwd.layer("a", step.layer), false);
    }
    const bwd = new Planner(this.ctx, m);
    if (this.backward) {
      for (const step of this.form.backward) {
        if (step.kind === "delta") bwd.into(step.value, bwd.layer("d", step.layer), false);
        else {
          const p = this.params[step.layer - 1]!;
          bwd.into(
            step.weights,
            { slot: "grad", off: p.off + (p.bias ? 1 : 0), rows: p.to, cols: p.from, rs: p.ld, cs: 1 },
            false,
          );
          if (step.biases !== null)
            bwd.into(step.biases, { slot: "grad", off: p.off, rows: p.to, cols: 1, rs: p.ld, cs: 1 }, false);
        }
      }
    }
    p = { forward: fwd.ops, backward: bwd.ops };
    this.plans.set(m, p);
    return p;
  }

  private mapKernel(t: TExpr & { kind: "map" }, mode: MapMode): CompiledMap {
    const key = `${t.layer}:${t.role}:${mode}:${(t.template as Expr).id}`;
    let k = this.maps.get(key);
    if (k === undefined) {
      k = compileMap(t.template, t.layer, mode);
      this.maps.set(key, k);
    }
    return k;
  }
}

/** Runs a plan's steps in order (an indexed loop: a run allocates nothing, not even an iterator). */
function run(ops: readonly Op[], f: Frame): void {
  for (let i = 0; i < ops.length; i++) ops[i]!(f);
}

/**
 * The WebAssembly arena for a program's buffers (`buffers` pushes the sizes of its z, a buffers;
 * δ, the parameters, the gradient and the inputs are counted here), or null for the plain-JS
 * kernels: when asked for "js", or under "auto" when WebAssembly SIMD is not available, the
 * network is small (fewer than {@link WASM_MIN_PARAMETERS} parameters) or the memory cannot be had.
 */
function makeArena(
  choice: KernelChoice | undefined,
  dtypeChoice: Dtype | undefined,
  sizes: readonly number[],
  capacity: number,
  backward: boolean,
  parameters: number,
  buffers: (counts: number[]) => void,
): WasmArena | null {
  const want = checkKernelChoice(choice ?? "auto");
  const dtype = checkDtype(dtypeChoice ?? "float64");
  const single = dtype === "float32";
  if (single && want === "js")
    throw new OptionError(
      'dtype "float32" runs on the WebAssembly kernels; the JS kernels compute in float64 only. Use kernels "auto" or "wasm", or dtype "float64".',
      choice,
    );
  if (want === "js" || (want === "auto" && !single && parameters < WASM_MIN_PARAMETERS)) return null;
  const module = wasmKernelModule();
  if (module === null) {
    if (want === "auto" && !single) return null;
    throw new OptionError(
      `${single ? 'dtype: "float32"' : 'kernels: "wasm"'} needs WebAssembly with SIMD (Node 20, current browsers); this host does not run it. Use ${single ? 'dtype "float64"' : 'kernels "auto" or "js"'}.`,
      single ? dtypeChoice : choice,
    );
  }
  const counts: number[] = [];
  buffers(counts);
  if (backward) for (const n of sizes.slice(1)) counts.push(n * capacity);
  counts.push(parameters, backward ? parameters : 0, sizes[0]! * capacity, capacity);
  const entries = counts.reduce((t, n) => t + n, 0);
  try {
    // inner dimensions: a layer's width (forward, δ) or the batch (∂J/∂Θ sums over examples)
    return new WasmArena(module, entries, counts.length, Math.max(...sizes, capacity), dtype, capacity);
  } catch (e) {
    if (want === "auto" && !single && e instanceof RangeError) return null;
    throw new TooLargeError(
      "too-large",
      `The WebAssembly kernels could not have a memory for ${entries} numbers (${e instanceof Error ? e.message : String(e)}). Use kernels "auto" or "js", or smaller batches.`,
      entries,
    );
  }
}

/**
 * The sizes a template graph runs for: as many layers as the template, each ≥ 1, the same output
 * width (the cost is written out per output), at most 2^53 − 1 parameters.
 */
function widerSizes(template: readonly number[], sizes: unknown): readonly number[] {
  const L = template.length;
  if (
    !Array.isArray(sizes) ||
    sizes.length !== L ||
    sizes.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < 1)
  ) {
    throw new OptionError(
      `options.sizes are ${L} layer sizes (whole numbers ≥ 1), as many as the template's layers; got ${show(sizes)}.`,
      sizes,
    );
  }
  if (sizes[L - 1] !== template[L - 1]) {
    throw new OptionError(
      `options.sizes end in ${show(sizes[L - 1])} outputs, the template in ${template[L - 1]}; a template has the network's output width (its cost is written out per output).`,
      sizes,
    );
  }
  // parameter positions are 32-bit (and no typed array holds more)
  const n = paramLayers(sizes as number[], true).reduce((t, p) => t + p.to * p.ld, 0);
  if (!(n < 2 ** 31))
    throw new TooLargeError(
      "too-large",
      `A ${sizes.join("-")} network has ${n} parameters; a program runs at most 2^31 − 1.`,
      n,
    );
  return Object.freeze([...(sizes as number[])]);
}

/** Positions of the weights (not the biases) in the parameter vector, in parameter order. */
function weightPositions(params: readonly ParamLayer[]): Int32Array {
  const n = params.reduce((t, p) => t + p.to * p.from, 0);
  const out = new Int32Array(n);
  let i = 0;
  for (const p of params) {
    for (let j = 0; j < p.to; j++) for (let k = 0; k < p.from; k++) out[i++] = p.off + j * p.ld + (p.bias ? 1 : 0) + k;
  }
  return out;
}

/** Checks that core's parameter order is the [b | Θ] row layout the kernels assume. */
function checkLayout(graph: Graph, params: readonly ParamLayer[]): void {
  const order = parameterIds(graph);
  let i = 0;
  params.forEach((p, li) => {
    for (let j = 1; j <= p.to; j++) {
      for (let k = p.bias ? 0 : 1; k <= p.from; k++) {
        if (order[i++] !== ids.theta(li + 1, j, k)) {
          throw new Error(`chainrule: parameter ${i - 1} is ${order[i - 1]}, expected ${ids.theta(li + 1, j, k)}`);
        }
      }
    }
  });
  if (i !== order.length) throw new Error("chainrule: unexpected parameters in a layered graph");
}

/** A batch { m, x, y } with a whole m ≥ 1 (the program checks the arrays against its layers). */
function checkedBatch(batch: Batch): Batch {
  if (
    typeof batch !== "object" ||
    batch === null ||
    typeof batch.m !== "number" ||
    !Number.isInteger(batch.m) ||
    batch.m < 1
  ) {
    throw new OptionError(`A batch is { m, x, y } with m ≥ 1 examples, got ${show(batch, 40)}.`, batch);
  }
  return batch;
}
