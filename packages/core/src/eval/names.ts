/**
 * Plain identifiers for a graph's quantities, shared by the generated JavaScript and the text
 * program: x_k, y_j, m, lambda, theta_l_j_k, z_l_j, a_l_j, delta_l_j (layered networks use their
 * node ids as they are; other ids are made into identifiers, collisions numbered).
 */
import type { Sym } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";

const RESERVED = new Set(
  [
    // JavaScript
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity Math",
    // names the generated programs and the text grammar use themselves
    "m lambda J exp log tanh erf max theta x y grad e v rt program sigmoid softplus fnOp lseOp powOp",
  ]
    .join(" ")
    .split(" "),
);
/** Temporaries (t1, t_1, b1), chunk functions (part1) and log-sum-exp maxima (…_max) the emitters create. */
const GENERATED = /^(t_?|b|part)\d+$|_max$/;

/** Identifiers for the quantities of one graph. */
export interface Names {
  /** Identifier of a symbol (x, y, θ, z, a, lse, Σy, m, λ). */
  sym(s: Sym): string;
  /** Identifier of the δ of z node `node`. */
  delta(node: string): string;
  /** Identifier of ∂J/∂θ for parameter `param`: dJ_d<theta name>. */
  gradient(param: string): string;
}

/** The identifiers of a graph's quantities (cached per graph object). */
export function namesOf(graph: Graph): Names {
  return namesOfGraph(graph);
}
const namesOfGraph = perGraph((graph: Graph): Names => {
  const used = new Set<string>();
  const byId = new Map<string, string>();
  const fresh = (want: string): string => {
    let base = want.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z_]/.test(base) || RESERVED.has(base) || GENERATED.test(base)) base = `n_${base}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  for (const id of graphIndex(graph).order) byId.set(id, fresh(id));
  const deltas = new Map<string, string>();
  const groupNames = new Map<string, string>();
  const grads = new Map<string, string>();
  const names: Names = {
    sym(s) {
      const r = s.ref;
      switch (r.kind) {
        case "m":
          return "m";
        case "lambda":
          return "lambda";
        case "J":
          return "J";
        case "lse":
        case "ysum": {
          // per softmax group: lse_<first z>, ysum_<first z>
          const key = `${r.kind} ${r.node}`;
          let n = groupNames.get(key);
          if (n === undefined) {
            n = fresh(`${r.kind}_${byId.get(r.node) ?? r.node}`);
            groupNames.set(key, n);
          }
          return n;
        }
        default:
          return byId.get(r.node) ?? fresh(r.node);
      }
    },
    delta(node) {
      let n = deltas.get(node);
      if (n === undefined) {
        const base = byId.get(node) ?? node;
        n = fresh(base.startsWith("z_") ? `delta_${base.slice(2)}` : `delta_${base}`);
        deltas.set(node, n);
      }
      return n;
    },
    gradient(param) {
      let n = grads.get(param);
      if (n === undefined) {
        n = fresh(`dJ_d${byId.get(param) ?? param}`);
        grads.set(param, n);
      }
      return n;
    },
  };
  return names;
});
