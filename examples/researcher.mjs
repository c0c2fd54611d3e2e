// A researcher's session: a DAG that is not a plain stack of layers (a skip connection and a tied
// weight), its chains and δ terms, which paths dominate, a gradient check and a second derivative.
import {
  batch,
  chainForm,
  deltaForm,
  GraphBuilder,
  gradCheck,
  hessianValues,
  paramValues,
  pathContributions,
  textProgram,
} from "@chainrule/core";

const b = new GraphBuilder();
const x = b.input("x");
const y = b.target("y");
const w = b.param("w"); // tied: used by both hidden units
const v = b.param("v");
const s = b.param("s"); // skip connection from x straight to the output
const h1 = b.activate("h1", "tanh", b.z("u1", [[w, x]]));
const h2 = b.activate("h2", "sigmoid", b.z("u2", [[w, h1]]));
const out = b.activate(
  "out",
  "identity",
  b.z("o", [
    [v, h2],
    [s, x],
  ]),
);
b.cost("mse", [out], [y]);
const graph = b.build();

// Every path from the tied weight w to J, as the chain rule sees it.
const chain = chainForm(graph, "w");
console.log(`∂J/∂w has ${chain.terms.length} paths:`);
for (const t of chain.terms) console.log(`  ${t.path.join(" → ")}`);

// The δ table: one δ per z node, with how often each is reused.
for (const d of deltaForm(graph).deltas)
  console.log(`δ_${d.node} is used ${d.uses === 1 ? "once" : `${d.uses} times`}`);
console.log(textProgram(graph, ["w"], "delta").lines.join("\n"));

// Numbers: which path dominates, does the gradient check pass, and ∂²J/∂w².
const theta = paramValues(graph, { w: 0.8, v: -1.2, s: 0.5 });
const data = batch(graph, [[0.3], [-0.7], [1.1]], [[0.2], [-0.4], [0.9]]);
const c = pathContributions(graph, "w", theta, data);
for (const p of c.paths)
  console.log(`${p.path.join(" → ")}: ${p.value.toExponential(4)} (${(100 * p.share).toFixed(1)}%)`);
console.log(`Σ paths = ${c.total}`);
const check = gradCheck(graph, theta, data);
const { worstEntry: worst, criterion } = check;
console.log(
  `gradient check: max relative error ${check.maxRelError.toExponential(2)}, ${check.passed ? "passed" : "failed"} (${criterion.rule})`,
);
console.log(
  `  worst ∂J/∂${worst.param}: error ${worst.error.toExponential(1)}, allowed ${worst.allowed.toExponential(1)}`,
);
if (!check.passed) throw new Error("gradient check failed");
const [d2] = hessianValues(graph, theta, data, ["w"]);
console.log(`∂²J/∂w² = ${d2}`);
