/**
 * A builder for any DAG of x, y, θ, z, a and J nodes.
 */
import { GraphError } from "../errors.js";
import { kindOf, quote, show } from "../messages.js";
import { type ActivationName, activation as checkActivation } from "../registry/activations.js";
import { type CostName, cost as checkCost } from "../registry/costs.js";
import type { Graph, GraphNode, Label, NodeKind } from "./types.js";
import { buildGraph } from "./validate.js";

const OWNER: unique symbol = Symbol("chainrule.owner");

/** A reference to a node being built; only valid with the builder that made it. */
export interface NodeHandle<K extends NodeKind = NodeKind> {
  readonly id: string;
  readonly kind: K;
  readonly [OWNER]: object;
}

/** Anything that names a node: a handle from the same builder, or the node's id. */
export type NodeRef<K extends NodeKind = NodeKind> = NodeHandle<K> | string;

/** A GraphError unless `v` is an array; `what` names it. */
function list(v: unknown, what: string): void {
  if (!Array.isArray(v))
    throw new GraphError("invalid-graph", `Give ${what} as a list; got ${kindOf(v)} ${show(v, 40)}.`, v);
}

/** Options of {@link GraphBuilder.z}. */
export interface ZOptions {
  readonly bias?: NodeRef<"param">;
  readonly label?: Label;
}

/**
 * Builds any DAG of x, y, θ, z, a and J nodes. Nodes are added in order (a node can only read
 * nodes added before it, so cycles cannot be expressed); {@link build} validates and freezes.
 *
 * @example
 * const b = new GraphBuilder();
 * const x = b.input("x"), y = b.target("y"), w = b.param("w");
 * const a = b.activate("a", "sigmoid", b.z("z", [[w, x]]));
 * b.cost("mse", [a], [y]);
 * const graph = b.build();
 */
export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly owner = {};

  private add<K extends NodeKind>(node: GraphNode & { kind: K }): NodeHandle<K> {
    if (typeof node.id !== "string" || node.id.length === 0)
      throw new GraphError(
        "invalid-graph",
        `Node names must be non-empty strings; got ${kindOf(node.id)} ${show(node.id, 40)}.`,
        node.id,
      );
    if (this.nodes.has(node.id)) {
      throw new GraphError(
        "duplicate-name",
        `A node named ${quote(node.id)} already exists; give each node a unique name.`,
        node.id,
      );
    }
    const label: unknown = node.label;
    if (
      label !== undefined &&
      (typeof label !== "object" || label === null || !Number.isInteger((label as { j?: unknown }).j))
    ) {
      throw new GraphError(
        "invalid-graph",
        `The label of ${quote(node.id)} is { layer?, j, k? } of whole numbers; got ${show(label)}.`,
        label,
      );
    }
    this.nodes.set(node.id, node);
    return { id: node.id, kind: node.kind, [OWNER]: this.owner };
  }

  private ref(r: NodeRef, role: string): string {
    if (typeof r === "string") {
      if (!this.nodes.has(r))
        throw new GraphError(
          "dangling-input",
          `No node ${quote(r)} has been added yet (needed as ${role}); add it before using it.`,
          r,
        );
      return r;
    }
    if (typeof r !== "object" || r === null) {
      throw new GraphError(
        "invalid-graph",
        `${role[0]!.toUpperCase()}${role.slice(1)} is a node of this builder or its name; got ${kindOf(r)} ${show(r, 40)}.`,
        r,
      );
    }
    if (r[OWNER] !== this.owner) {
      throw new GraphError(
        "foreign-node",
        `Node ${typeof r.id === "string" ? quote(r.id) : show(r, 40)} belongs to another graph; use nodes of this builder (or their names).`,
        r.id,
      );
    }
    return r.id;
  }

  /** An input x. */
  input(id: string, label?: Label): NodeHandle<"input"> {
    return this.add({ kind: "input", id, ...(label ? { label } : {}) });
  }
  /** A target y. */
  target(id: string, label?: Label): NodeHandle<"target"> {
    return this.add({ kind: "target", id, ...(label ? { label } : {}) });
  }
  /** A parameter θ (weight by default). */
  param(id: string, role: "weight" | "bias" = "weight", label?: Label): NodeHandle<"param"> {
    return this.add({ kind: "param", id, role, ...(label ? { label } : {}) });
  }
  /** z = Σ θ · input (+ bias), from [param, input] pairs. */
  z(
    id: string,
    terms: readonly (readonly [NodeRef<"param">, NodeRef<"input" | "a">])[],
    options: ZOptions = {},
  ): NodeHandle<"z"> {
    list(terms, `the terms of ${show(id, 40)}: [weight, input] pairs`);
    const ts = Array.from(terms, (t) => {
      if (!Array.isArray(t) || t.length !== 2)
        throw new GraphError(
          "invalid-graph",
          `A term of ${show(id, 40)} is a [weight, input] pair; got ${show(t)}.`,
          t,
        );
      return { param: this.ref(t[0], "a weight"), input: this.ref(t[1], "an input") };
    });
    const opts = options ?? {};
    if (typeof opts !== "object")
      throw new GraphError(
        "invalid-graph",
        `The options of ${show(id, 40)} are { bias?, label? }; got ${show(opts)}.`,
        opts,
      );
    const bias = opts.bias === undefined ? null : this.ref(opts.bias, "a bias");
    return this.add({ kind: "z", id, terms: ts, bias, ...(opts.label ? { label: opts.label } : {}) });
  }
  /** a = f(z) for an element-wise activation. */
  activate(id: string, fn: ActivationName, z: NodeRef<"z">, label?: Label): NodeHandle<"a"> {
    checkActivation(fn);
    if (fn === "softmax")
      throw new GraphError(
        "invalid-graph",
        `softmax runs over a group of z nodes; use builder.softmax([...ids], [...zs]) for ${show(id, 40)}.`,
        id,
      );
    return this.add({
      kind: "a",
      id,
      activation: fn,
      z: this.ref(z, "a weighted sum"),
      group: null,
      ...(label ? { label } : {}),
    });
  }
  /** a_i = softmax_i(z_1 … z_n): one a node per z, all over the same group. */
  softmax(ids: readonly string[], zs: readonly NodeRef<"z">[], labels?: readonly Label[]): NodeHandle<"a">[] {
    list(ids, "softmax's names");
    list(zs, "softmax's z nodes");
    if (labels !== undefined) list(labels, "softmax's labels");
    if (ids.length !== zs.length || ids.length === 0) {
      throw new GraphError(
        "invalid-graph",
        `softmax needs one name per z node; got ${ids.length} names for ${zs.length} z nodes.`,
        ids,
      );
    }
    const group = Array.from(zs, (z) => this.ref(z, "a softmax input"));
    if (new Set(group).size !== group.length) {
      throw new GraphError(
        "invalid-graph",
        `softmax group of ${show(ids[0], 40)} lists a z node twice; each z of the group appears once.`,
        group,
      );
    }
    return Array.from(ids, (id, i) => {
      const label = labels?.[i];
      return this.add({ kind: "a", id, activation: "softmax", z: group[i]!, group, ...(label ? { label } : {}) });
    });
  }
  /** The cost J over outputs paired with targets; `l2` adds λ/(2m) Σ θ² over weights. */
  cost(
    kind: CostName,
    outputs: readonly NodeRef<"a">[],
    targets: readonly NodeRef<"target">[],
    options: { id?: string; l2?: number } = {},
  ): NodeHandle<"cost"> {
    checkCost(kind);
    list(outputs, "the cost's outputs");
    list(targets, "the cost's targets");
    if (typeof options !== "object" || options === null)
      throw new GraphError("invalid-graph", `The cost's options are { id?, l2? }; got ${show(options)}.`, options);
    const l2: unknown = options.l2 ?? 0;
    if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0)
      throw new GraphError("invalid-graph", `L2 strength must be a finite number ≥ 0, got ${show(l2)}.`, l2);
    return this.add({
      kind: "cost",
      id: options.id ?? "J",
      cost: kind,
      outputs: Array.from(outputs, (o) => this.ref(o, "an output")),
      targets: Array.from(targets, (t) => this.ref(t, "a target")),
      l2,
    });
  }
  /** Validates and returns the immutable graph. */
  build(): Graph {
    // own data properties for every id (even "__proto__" or "constructor")
    return buildGraph({ nodes: Object.fromEntries(this.nodes), layers: null });
  }
}
