/**
 * The numbers of any graph — skip connections, tied parameters, several outputs: J and ∂J/∂θ
 * from core's compiled straight-line code (`compile`: the forward form and the δ table, each δ
 * computed once), and the outputs and the per-example costs from the same forward form, emitted
 * by core's code emitter with the same runtime helpers, so J here is J there bit for bit.
 */
import {
  ArgumentError,
  type Batch,
  type Compiled,
  Emitter,
  type Expr,
  flowOf,
  forwardForm,
  type Graph,
  graphIndex,
  JS_SYNTAX,
  namesOf,
  perGraph,
  RUNTIME,
  type Sym,
  show,
} from "@chainrule/core";
import { batchArgument, float64, INPUT_BUFFER, LAST_LOSS, UNCHECKED, UNCHECKED_LOSS } from "../check.js";
import { OptionError } from "../errors.js";
import { compiledOf } from "./engine.js";

/**
 * Runs the forward pass of m examples, writing the outputs (m × outputs) into `out`; with targets,
 * returns Σ over the examples of the per-example cost, whose 1/m factor reads `total`.
 */
type ForwardFn = (
  theta: Float64Array,
  x: Float64Array,
  y: Float64Array | null,
  total: number,
  count: number,
  out: Float64Array,
) => number;
/** J's once-per-batch term (L2) for a batch of m examples. */
type BatchFn = (theta: Float64Array, m: number) => number;

/** The most parameters a graph engine compiles (compiled code grows with the graph). */
export const GRAPH_MAX_PARAMETERS = 20_000;

// Identifiers of the generated code that no graph quantity can take: namesOf gives node names in
// [A-Za-z0-9_] only, and reserves theta, x, y, m, e and J; `$` names are the program's own.
const HEADER = `"use strict";\nconst { sigmoid, softplus, fnOp } = rt;`;

/** The emitted forward program of a graph and its batch term, with their sources (for reading). */
interface ForwardProgram {
  readonly outputs: ForwardFn;
  readonly loss: ForwardFn;
  readonly batch: BatchFn;
  readonly source: string;
}

/** Emits one forward function: outputs only, or outputs and Σ of the per-example cost. */
function emitForward(graph: Graph, withCost: boolean): string {
  const idx = graphIndex(graph);
  const names = namesOf(graph);
  const fwd = forwardForm(graph);
  const { syms } = flowOf(graph);
  const symName = (s: Sym) => names.sym(s);
  // the target sums Σy of softmax groups read targets: only the cost needs them
  const steps = withCost ? fwd.order : fwd.order.filter((s) => s.ref.kind !== "ysum");
  const roots: Expr[] = steps.flatMap((s) => fwd.definitions.get(s) ?? []);
  if (withCost) roots.push(fwd.stableCost);
  const em = new Emitter(
    JS_SYNTAX,
    symName,
    () => {
      throw new ArgumentError("invalid-argument", "The forward form reads no δ.");
    },
    roots,
    "t",
    "    ",
  );
  for (const s of steps) {
    if (s.ref.kind === "lse") {
      // log Σ exp z with the maximum subtracted, as core's compiler writes it
      const zs = fwd.lse.get(s)!.map(symName);
      const mx = `${names.sym(s)}_max`;
      em.lines.push(`    const ${mx} = Math.max(${zs.join(", ")});`);
      const sum = zs.map((z) => `Math.exp(${z} - ${mx})`).join(" + ");
      em.lines.push(`    const ${names.sym(s)} = (Number.isFinite(${mx}) ? ${mx} + Math.log(0 + ${sum}) : ${mx});`);
      continue;
    }
    const def = fwd.definitions.get(s)!;
    em.lines.push(`    const ${names.sym(s)} = ${em.code(def)};`);
    if (def.kind !== "sym") em.name(def, names.sym(s));
  }
  // J's code may name temporaries of its own: emit it before the lines are copied out
  const cost = withCost ? em.code(fwd.stableCost) : null;
  const nIn = idx.inputs.length;
  const nOut = idx.cost.outputs.length;
  const nY = idx.targets.length;
  const out: string[] = [
    HEADER,
    `return function (theta, x, y, m, $count, $out) {`,
    `  const lambda = ${idx.cost.l2};`,
  ];
  idx.params.forEach((p, i) => {
    out.push(`  const ${names.sym(syms.get(p)!)} = theta[${i}];`);
  });
  out.push(`  let J = 0;`, `  for (let e = 0; e < $count; e++) {`);
  idx.inputs.forEach((id, i) => {
    out.push(`    const ${names.sym(syms.get(id)!)} = x[e * ${nIn} + ${i}];`);
  });
  if (withCost)
    idx.targets.forEach((id, i) => {
      out.push(`    const ${names.sym(syms.get(id)!)} = y[e * ${nY} + ${i}];`);
    });
  out.push(...em.lines);
  idx.cost.outputs.forEach((o, j) => {
    out.push(`    $out[e * ${nOut} + ${j}] = ${names.sym(syms.get(o)!)};`);
  });
  if (cost !== null) out.push(`    J += ${cost};`);
  out.push(`  }`, `  return J;`, `};`);
  return out.join("\n");
}

/** Emits J's once-per-batch term as a function of θ and m. */
function emitBatch(graph: Graph): string {
  const idx = graphIndex(graph);
  const names = namesOf(graph);
  const { syms } = flowOf(graph);
  const fwd = forwardForm(graph);
  const em = new Emitter(
    JS_SYNTAX,
    (s) => names.sym(s),
    () => "0",
    [fwd.batchCost],
    "b",
    "  ",
  );
  const code = em.code(fwd.batchCost);
  const body = [HEADER, `return function (theta, m) {`, `  const lambda = ${idx.cost.l2};`];
  idx.params.forEach((p, i) => {
    body.push(`  const ${names.sym(syms.get(p)!)} = theta[${i}];`);
  });
  body.push(...em.lines, `  return ${code};`, `};`);
  return body.join("\n");
}

/** The forward program of a graph, emitted once per graph object. */
const forwardProgram = perGraph((graph): ForwardProgram => {
  const sources = [emitForward(graph, false), emitForward(graph, true), emitBatch(graph)] as const;
  const make = (src: string) => new Function("rt", src)(RUNTIME) as unknown;
  return {
    outputs: make(sources[0]) as ForwardFn,
    loss: make(sources[1]) as ForwardFn,
    batch: make(sources[2]) as BatchFn,
    source: sources.join("\n\n"),
  };
});

/** Runs a graph's derivation on batches. Not safe to share between concurrent runs. */
export class GraphEngine {
  /** Always compiled code: core's compiler for J and ∂J/∂θ. */
  readonly kind = "compiled";
  readonly parameterCount: number;
  readonly inputCount: number;
  readonly outputCount: number;
  private readonly compiled: Compiled;
  private readonly program: ForwardProgram;
  private out: Float64Array;
  /** J of the last gradient run. */
  private lastJ = Number.NaN;

  constructor(readonly graph: Graph) {
    const idx = graphIndex(graph);
    this.parameterCount = idx.params.length;
    if (this.parameterCount > GRAPH_MAX_PARAMETERS) {
      throw new OptionError(
        `The graph has ${this.parameterCount} parameters; a graph model runs on compiled straight-line code, limited to ${GRAPH_MAX_PARAMETERS}. Train large layered networks as a Network (on the matrix form).`,
        this.parameterCount,
      );
    }
    this.inputCount = idx.inputs.length;
    this.outputCount = idx.cost.outputs.length;
    this.compiled = compiledOf(graph);
    this.program = forwardProgram(graph);
    this.out = new Float64Array(64 * this.outputCount);
  }

  /** The generated forward and batch-term code (core's `compile` source is `compile(graph).source`). */
  get source(): string {
    return this.program.source;
  }

  /** J over a batch, writing every ∂J/∂θ into grad (core's parameter order). */
  gradient(theta: Float64Array, batch: Batch, grad: Float64Array): number {
    this.check(theta, batch);
    float64("The gradient array", grad, this.parameterCount);
    this.lastJ = this.compiled.run(theta, batch, grad, false);
    return this.lastJ;
  }

  /** {@link GraphEngine.gradient} without its argument checks, for nn's training loop. */
  [UNCHECKED](theta: Float64Array, batch: Batch, grad: Float64Array): number {
    this.lastJ = this.compiled.run(theta, batch, grad, false);
    return this.lastJ;
  }

  /** The per-example part of the last gradient run's J: that J less its once-per-batch term at the run's θ and m. */
  [LAST_LOSS](theta: Float64Array, m: number): number {
    return this.lastJ - this.program.batch(theta, m);
  }

  /** Compiled code reads the batch's own arrays: no buffer to gather into. */
  [INPUT_BUFFER](_m: number): Float64Array | null {
    return null;
  }

  /** J over a batch (forward pass and cost); leaves the outputs in {@link outputs}. */
  cost(theta: Float64Array, batch: Batch): number {
    this.check(theta, batch);
    return this[UNCHECKED_LOSS](theta, batch, batch.m) + this.program.batch(theta, batch.m);
  }

  /**
   * The per-example costs of a batch summed with 1/`total` inside: a slice's share of J over a
   * larger batch of `total` examples (without the L2 term, {@link batchTerm}).
   */
  loss(theta: Float64Array, batch: Batch, total: number): number {
    this.check(theta, batch);
    if (typeof total !== "number" || !Number.isInteger(total) || total < batch.m)
      throw new OptionError(
        `The total is a whole number of examples ≥ the batch's ${batch.m}, got ${show(total)}.`,
        total,
      );
    return this[UNCHECKED_LOSS](theta, batch, total);
  }

  /** {@link GraphEngine.loss} without its argument checks, for nn's training loop. */
  [UNCHECKED_LOSS](theta: Float64Array, batch: Batch, total: number): number {
    return this.program.loss(theta, batch.x, batch.y, total, batch.m, this.fit(batch.m));
  }

  /** J's once-per-batch term (L2) for a batch of m examples. */
  batchTerm(theta: Float64Array, m: number): number {
    float64("The parameters", theta, this.parameterCount);
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1)
      throw new OptionError(`A batch has m ≥ 1 examples, got ${show(m)}.`, m);
    return this.program.batch(theta, m);
  }

  /**
   * Runs the forward pass and returns the outputs (m × outputs, one example per row, in the
   * cost's output order). The returned array is the engine's buffer: read it before the next run.
   */
  forward(theta: Float64Array, x: Float64Array, m: number): Float64Array {
    float64("The parameters", theta, this.parameterCount);
    float64("The inputs", x);
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || x.length < m * this.inputCount) {
      throw new OptionError(
        `A forward pass takes m ≥ 1 examples of ${this.inputCount} inputs; got m = ${show(m)} and ${x.length} numbers.`,
        m,
      );
    }
    const out = this.fit(m);
    this.program.outputs(theta, x, null, m, m, out);
    return out;
  }

  /** The outputs of the last forward pass or cost (m × outputs). */
  get outputs(): Float64Array {
    return this.out;
  }

  /** The compiled gradient does not leave outputs behind: accuracy takes a forward pass. */
  get gradientKeepsOutputs(): boolean {
    return false;
  }

  /** The output buffer, grown to m examples. */
  private fit(m: number): Float64Array {
    if (m * this.outputCount > this.out.length)
      this.out = new Float64Array(Math.max(m, 2 * (this.out.length / this.outputCount)) * this.outputCount);
    return this.out;
  }

  private check(theta: Float64Array, batch: Batch): void {
    float64("The parameters", theta, this.parameterCount);
    batchArgument("The batch", batch, this.inputCount, this.outputCount);
  }
}
