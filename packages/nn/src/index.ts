/**
 * @chainrule/nn — layered networks and graphs of any shape that train on the δ recurrence core derives.
 *
 * This entry imports no node module: it runs in a browser as in node. Model files and CSV data
 * are parsed and formatted here from text; reading and writing files is `@chainrule/nn/node`.
 *
 * @packageDocumentation
 * @module @chainrule/nn
 */
export * from "./errors.js";
export * from "./random.js";
export * from "./init.js";
export * from "./network.js";
export * from "./graph-init.js";
export * from "./graph-model.js";
export { Engine, COMPILED_MAX_PARAMETERS, COMPILED_LIMIT, ENGINE_KINDS, checkEngineKind, hasMatrixForm, type EngineKind, type EngineOptions } from "./engine/engine.js";
export { MatrixProgram, MAX_PROGRAM_BUFFER, type MatrixProgramOptions } from "./engine/matrix-program.js";
export { GraphEngine, GRAPH_MAX_PARAMETERS } from "./engine/graph-engine.js";
export { gemmNN, gemmNT, gemmTN, gemmStrided, setCacheSizes, type CacheSizes } from "./kernels/matmul.js";
export { compileMap, compileCost, compileBatchCost, compileScalar, type CompiledMap, type MapKernel, type MapMode, type CostKernel, type BatchCostKernel } from "./kernels/templates.js";
export * from "./train/metrics.js";
export * from "./train/records.js";
export * from "./train/optimizers.js";
export * from "./train/trainable.js";
export { STALL_COST_RATIO, STALL_MIN_WINDOW, STALL_TOLERANCE, type Stall, type StallCause, type StallOptions } from "./train/stall.js";
export * from "./train/trainer.js";
export { ShapeError, type ExampleData, type Examples, type Matrix, type Row, type Shape } from "./data/examples.js";
export * from "./data/dataset.js";
export * from "./data/datasets.js";
export { IRIS_CLASSES, IRIS_FEATURES } from "./data/iris.js";
export * from "./data/csv.js";
export * from "./io/model-file.js";
