// A programmer's session: train a network, save it, load it back, predict.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { builtinDataset, Network, train } from "@chainrule/nn";
import { readModelFile, writeModelFile } from "@chainrule/nn/node";

const outDir = process.argv[2] ?? "out";
mkdirSync(outDir, { recursive: true });

// XOR with a 2-3-1 sigmoid network; one seed decides initialisation (Glorot, the default for sigmoid layers) and shuffling.
const xor = builtinDataset("xor");
const net = Network.create({ sizes: [2, 3, 1], activation: "sigmoid", cost: "mse" }, { seed: 3 });
const result = train(net, xor, { epochs: 5000, learningRate: 1, optimizer: "sgd", seed: 3 });
const last = result.history.at(-1);
console.log(
  `after ${result.history.length} epochs: cost ${last.cost.toFixed(5)}, accuracy ${(100 * last.accuracy).toFixed(0)}%`,
);

// Save, load back, and predict: the loaded network gives the very same outputs.
const path = join(outDir, "xor-model.json");
writeModelFile(path, { network: net });
const loaded = readModelFile(path).network;
const before = net.predict(xor.x, xor.m);
const after = loaded.predict(xor.x, xor.m);
for (let e = 0; e < xor.m; e++) {
  const x = [xor.x[2 * e], xor.x[2 * e + 1]];
  console.log(`xor(${x.join(", ")}) ≈ ${after[e].toFixed(3)}`);
}
if (!before.every((v, i) => v === after[i])) throw new Error("the loaded model predicts differently");
if (last.accuracy !== 1) throw new Error("XOR was not learned");
