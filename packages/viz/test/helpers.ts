/** Shared helpers of the viz tests: strict KaTeX parsing, the post's networks and artefact paths. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { batch, type Graph, GraphBuilder, layered, paramValues } from "@chainrule/core";
import katex from "katex";
import { KATEX_STRICT_OPTIONS } from "../src/index.js";

/** Throws unless KaTeX parses the LaTeX in strict mode (what LaTeX itself would reject fails too). */
export function parseStrict(latex: string, display = true): void {
  katex.renderToString(latex, { ...KATEX_STRICT_OPTIONS, displayMode: display });
}

/** The post's 2-2-2 network without biases. */
export const post222 = (): Graph => layered({ sizes: [2, 2, 2], bias: false });
/** The post's "Starting simple" 1-1-1 network. */
export const post111 = (): Graph => layered({ sizes: [1, 1, 1], bias: false });

/**
 * Matt Mazur's well-known worked example ("A Step by Step Backpropagation Example"): a 2-2-2
 * sigmoid network with biases, one example, learning rate 0.5. Both biases of a layer are 0.35
 * and 0.6 there.
 */
export function mazur() {
  const graph = layered({ sizes: [2, 2, 2], bias: true });
  const theta = paramValues(graph, {
    theta_1_1_0: 0.35,
    theta_1_1_1: 0.15,
    theta_1_1_2: 0.2,
    theta_1_2_0: 0.35,
    theta_1_2_1: 0.25,
    theta_1_2_2: 0.3,
    theta_2_1_0: 0.6,
    theta_2_1_1: 0.4,
    theta_2_1_2: 0.45,
    theta_2_2_0: 0.6,
    theta_2_2_1: 0.5,
    theta_2_2_2: 0.55,
  });
  const data = batch(graph, [[0.05, 0.1]], [[0.01, 0.99]]);
  return { graph, theta, data };
}

/** A small DAG with a skip connection, a tied weight and hostile node names. */
export function hostileDag(): Graph {
  const b = new GraphBuilder();
  const x1 = b.input("x1");
  const x2 = b.input("\\input{/etc/passwd}");
  const w1 = b.param("w1");
  const w2 = b.param("<script>alert(1)</script>");
  const w3 = b.param("$&%#_^~{}");
  const c = b.param("c1", "bias");
  const h = b.activate(
    "h",
    "tanh",
    b.z(
      "u",
      [
        [w1, x1],
        [w2, x2],
      ],
      { bias: c },
    ),
  );
  const o = b.activate(
    "o",
    "sigmoid",
    b.z("v", [
      [w3, h],
      [w1, x1],
    ]),
  );
  b.cost("mse", [o], [b.target("y")]);
  return b.build();
}

/** The folder for test artefacts (screenshots, PDFs), created on demand; gitignored. */
export function artifactsDir(): string {
  const dir = fileURLToPath(new URL("../../../test-artifacts/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}
