/**
 * @chainrule/nn — layered networks and graphs of any shape that train on the δ recurrence core derives.
 *
 * This entry imports no node module: it runs in a browser as in node. Model files and CSV data
 * are parsed and formatted here from text; reading and writing files is `@chainrule/nn/node`.
 *
 * @packageDocumentation
 * @module @chainrule/nn
 */

export * from "./data/csv.js";
export * from "./data/dataset.js";
export * from "./data/datasets.js";
export { type ExampleData, type Examples, type Matrix, type Row, type Shape, ShapeError } from "./data/examples.js";
export { IRIS_CLASSES, IRIS_FEATURES } from "./data/iris.js";
export {
  COMPILED_LIMIT,
  COMPILED_MAX_PARAMETERS,
  checkEngineKind,
  ENGINE_KINDS,
  Engine,
  type EngineKind,
  type EngineOptions,
  hasMatrixForm,
} from "./engine/engine.js";
export { GRAPH_MAX_PARAMETERS, GraphEngine } from "./engine/graph-engine.js";
export {
  MAX_PROGRAM_BUFFER,
  MatrixProgram,
  type MatrixProgramOptions,
  WASM_MIN_PARAMETERS,
} from "./engine/matrix-program.js";
export * from "./errors.js";
export * from "./graph-init.js";
export * from "./graph-model.js";
export * from "./init.js";
export * from "./io/model-file.js";
export { type CacheSizes, gemmNN, gemmNT, gemmStrided, gemmTN, setCacheSizes } from "./kernels/matmul.js";
export {
  type BatchCostKernel,
  type CompiledMap,
  type CostKernel,
  compileBatchCost,
  compileCost,
  compileMap,
  compileScalar,
  type MapKernel,
  type MapMode,
} from "./kernels/templates.js";
export {
  checkDtype,
  checkKernelChoice,
  DTYPES,
  type Dtype,
  KERNEL_CHOICES,
  type KernelChoice,
  wasmSimdSupported,
} from "./kernels/wasm/backend.js";
export * from "./network.js";
export { ONNX_IR_VERSION, ONNX_OPSET, type OnnxPrecision } from "./onnx/build.js";
export * from "./onnx/export.js";
export * from "./onnx/import.js";
export * from "./onnx/schema.js";
export * from "./random.js";
export * from "./template-spec.js";
export * from "./train/metrics.js";
export * from "./train/optimizers.js";
export * from "./train/records.js";
export {
  STALL_COST_RATIO,
  STALL_MIN_WINDOW,
  STALL_TOLERANCE,
  type Stall,
  type StallCause,
  type StallOptions,
} from "./train/stall.js";
export * from "./train/trainable.js";
export * from "./train/trainer.js";
