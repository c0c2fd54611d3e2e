/** `chainrule derive`: ∂J/∂θ of a network in the chain, local or δ form, as text or JSON. */
import {
  chainForm,
  deltaForm,
  exprToJson,
  type Graph,
  layered,
  layeredParamId,
  type ProgramForm,
  parameterIds,
  paramId,
  textProgram,
} from "@chainrule/core";
import { latexFragment } from "@chainrule/viz";
import { NETWORK_OPTIONS, parseChoice, parseParam } from "../args.js";
import { UsageError } from "../errors.js";
import { deriveEstimate, graphLimit, guard, layersOf, MAX_WORK_OPTION } from "../guards.js";
import { MODEL_SPEC_OPTION, specOrModel } from "../nn-input.js";
import { type Io, verb } from "../verb.js";

const FORMS = ["chain", "local", "delta"] as const;

/** Renders a derivation of `params` in one form. */
type DeriveRenderer = (graph: Graph, params: readonly string[], form: ProgramForm, io: Io) => void;

/** Renderers of a derivation by --format name. */
export const DERIVE_FORMATS = {
  text(graph, params, form, io) {
    io.out(textProgram(graph, params, form).lines.join("\n"));
  },
  json(graph, params, form, io) {
    const d = deltaForm(graph);
    const out =
      form === "delta"
        ? {
            form,
            deltas: d.deltas
              .filter((x) => x.uses > 0)
              .map((x) => ({ node: x.node, uses: x.uses, fused: x.fused, definition: exprToJson(x.definition) })),
            gradients: params.map((p) => ({
              param: p,
              perExample: exprToJson(d.byParam.get(p)!.perExample),
              batch: exprToJson(d.byParam.get(p)!.batch),
            })),
          }
        : {
            form,
            gradients: params.map((p) => {
              const c = chainForm(graph, p);
              // Σ over examples of expr (Σ over paths of Π factors), plus batch once: the L2 term (λ/m)θ, or 0
              return {
                param: p,
                paths: c.terms.map((t) => ({
                  path: t.path,
                  factors: (form === "chain" ? t.partials : t.locals).map(exprToJson),
                })),
                expr: exprToJson(form === "chain" ? c.expr : c.local),
                batch: exprToJson(c.batch),
              };
            }),
          };
    io.out(JSON.stringify(out, null, 2));
  },
  latex(graph, params, form, io) {
    // align* rows in the post's notation, each path in its colour; long path lists are counted
    io.out(latexFragment(graph, params, form, { maxPaths: LATEX_PATHS }));
  },
} as const satisfies { readonly [format: string]: DeriveRenderer };

/** The --format names. */
const FORMATS = ["text", "json", "latex"] as const satisfies readonly (keyof typeof DERIVE_FORMATS)[];

/** Paths the LaTeX format lists per partial before it counts the rest. */
const LATEX_PATHS = 64;

export const deriveVerb = verb({
  name: "derive",
  summary: "derive ∂J/∂θ by the chain rule: chain, local or δ form",
  examples: [
    "chainrule derive --layers 2,2,2 --no-bias --param 1,1,1 --form chain",
    "chainrule derive --layers 2,3,2 --activation tanh,softmax --param all --form delta --format json",
  ],
  options: {
    ...NETWORK_OPTIONS,
    ...MODEL_SPEC_OPTION,
    param: {
      type: "string",
      value: "l,j,k|all",
      description: "which ∂J/∂θ⁽ˡ⁾_jk (k = 0 is the bias), or all",
      default: "all",
    },
    form: {
      type: "string",
      value: "chain|local|delta",
      description: "chain of partials per path, local partials evaluated, or δ terms",
      default: "delta",
    },
    format: {
      type: "string",
      value: "text|json|latex",
      description: "text: a straight-line program; json: expression trees; latex",
      default: "text",
    },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const { spec } = specOrModel(values);
    const form = parseChoice(values.form, "--form", FORMS, "delta");
    const format = parseChoice(values.format, "--format", FORMATS, "text");
    const which = values.param ?? "all";
    // the address and the size of the work from the layer sizes, before the graph is built
    const address = which === "all" ? null : parseParam(which);
    const layers = layersOf(spec);
    if (address !== null) layeredParamId(layers, ...address);
    const { estimate, hard } = deriveEstimate(layers, form, format, address?.[0] ?? null, LATEX_PATHS);
    guard(`derive of ${layers.name}`, estimate, values, [graphLimit(layers), hard]);
    const graph = layered(spec);
    const params = address === null ? parameterIds(graph) : [paramId(graph, ...address)];
    if (params.length === 0) throw new UsageError("the network has no parameters");
    DERIVE_FORMATS[format](graph, params, form, io);
  },
});
