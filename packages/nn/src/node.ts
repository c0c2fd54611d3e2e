/**
 * @chainrule/nn/node — files: model files and CSV data read from disk, and the one writer every
 * file chainrule writes goes through (atomic: the target ends as the complete new file or stays
 * as it was). The parsing and formatting they use are the main entry's, which runs anywhere.
 *
 * @example
 * import { Network, builtinDataset, train } from "@chainrule/nn";
 * import { readModelFile, writeModelFile } from "@chainrule/nn/node";
 *
 * const net = Network.create({ sizes: [2, 3, 1] }, { seed: 1 });
 * train(net, builtinDataset("xor"), { epochs: 100, learningRate: 1 });
 * writeModelFile("xor.json", { network: net });
 * const back = readModelFile("xor.json").network; // the same weights, bit for bit
 *
 * @packageDocumentation
 * @module @chainrule/nn/node
 */

export {
  checkFolderWritable,
  checkOutput,
  checkOutputs,
  checkWritable,
  cleanStaleTemps,
  type OutputFile,
  type OutputOptions,
  type OutputTarget,
  type RunInput,
  resolveOutput,
  STALE_TEMP_AGE_MS,
  writeFileAtomic,
  writeFilesAtomic,
} from "./node/atomic.js";
export { readCsvFile, readCsvShape } from "./node/csv-file.js";
export { readText } from "./node/files.js";
export { readGraphModelFile, readModelFile, writeModelFile } from "./node/model-file.js";
export { MAX_ONNX_BYTES, readOnnxBytes, readOnnxFile, writeOnnxFile } from "./node/onnx-file.js";
