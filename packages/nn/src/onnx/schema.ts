/**
 * The ONNX file format as chainrule reads and writes it: the messages of ONNX's `onnx.proto`
 * that describe a model, its graph, nodes, attributes, tensors and value types (with their field
 * numbers and wire types as the ONNX standard defines them), encoded and decoded by protobuf.js.
 * Fields this schema leaves out (training information, functions, sparse tensors, quantization
 * annotations) are skipped when a file is read, as protobuf does for any unknown field.
 */
import { kindOf, nameOf, show } from "@chainrule/core";
import protobuf from "protobufjs";
import { OnnxError, OptionError } from "../errors.js";

/** The subset of ONNX's `onnx.proto` (proto2, package onnx) that chainrule uses. */
export const ONNX_SCHEMA = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; SPARSE_TENSOR = 11; TYPE_PROTO = 13;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSORS = 12; TYPE_PROTOS = 14;
  }
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7;
    STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13; COMPLEX64 = 14;
    COMPLEX128 = 15; BFLOAT16 = 16;
  }
  enum DataLocation { DEFAULT = 0; EXTERNAL = 1; }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  optional DataLocation data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}
`;

/** ONNX tensor element types chainrule meets (TensorProto.DataType). */
export const ONNX_TYPES = { float: 1, int32: 6, int64: 7, bool: 9, double: 11 } as const;

/** An attribute of a node, as read or written (one of its value fields is set, as `type` says). */
export interface OnnxAttribute {
  readonly name: string;
  /** AttributeProto.AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, … */
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly t?: OnnxTensor;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
}

/** A node: an operator applied to named inputs, giving named outputs. */
export interface OnnxNode {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly opType: string;
  readonly domain?: string;
  readonly attribute?: readonly OnnxAttribute[];
  readonly docString?: string;
}

/** A tensor with its values: one of the data fields holds them, or raw_data (little-endian). */
export interface OnnxTensor {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  readonly floatData?: readonly number[];
  readonly doubleData?: readonly number[];
  readonly int32Data?: readonly number[];
  readonly int64Data?: readonly number[];
  readonly rawData?: Uint8Array;
  readonly dataLocation?: number;
}

/** A graph input or output: a name, an element type and a shape (a dimension is a size or a name). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type?: {
    readonly tensorType?: {
      readonly elemType?: number;
      readonly shape?: { readonly dim?: readonly { readonly dimValue?: number; readonly dimParam?: string }[] };
    };
  };
  readonly docString?: string;
}

/** A computation graph: nodes in an order where each reads only what comes before it. */
export interface OnnxGraph {
  readonly name?: string;
  readonly node: readonly OnnxNode[];
  readonly initializer: readonly OnnxTensor[];
  readonly input: readonly OnnxValueInfo[];
  readonly output: readonly OnnxValueInfo[];
  readonly docString?: string;
}

/** An ONNX model (ModelProto) as plain data. */
export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetImport: readonly { readonly domain?: string; readonly version: number }[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  readonly graph?: OnnxGraph;
  readonly metadataProps?: readonly { readonly key: string; readonly value: string }[];
}

let modelType: protobuf.Type | null = null;

/** The ModelProto type, parsed from {@link ONNX_SCHEMA} once. */
function model(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_SCHEMA, { keepCase: false }).root.lookupType("onnx.ModelProto");
  return modelType;
}

/** Encodes a model as the bytes of an .onnx file; an OptionError when `m` is not a model as data. */
export function encodeOnnx(m: OnnxModel): Uint8Array {
  if (typeof m !== "object" || m === null || Array.isArray(m))
    throw new OptionError(
      `encodeOnnx takes an ONNX model as data ({ irVersion, opsetImport, graph }); got ${kindOf(m)}.`,
      m,
    );
  const t = model();
  try {
    return t.encode(t.fromObject(m as unknown as Record<string, unknown>)).finish();
  } catch (e) {
    throw new OptionError(
      `encodeOnnx takes an ONNX model as data ({ irVersion, opsetImport, graph }): ${show((e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "", 80).slice(1, -1)}.`,
      m,
    );
  }
}

/**
 * Decodes the bytes of an .onnx file into plain data (64-bit integers as numbers); an OnnxError
 * naming `source` when they are not a ModelProto.
 */
export function decodeOnnx(bytes: Uint8Array, source = "the ONNX bytes"): OnnxModel {
  if (!(bytes instanceof Uint8Array))
    throw new OptionError(`decodeOnnx takes the bytes of an .onnx file (a Uint8Array); got ${kindOf(bytes)}.`, bytes);
  const from = typeof source === "string" ? nameOf(source) : "the ONNX bytes";
  const t = model();
  try {
    return t.toObject(t.decode(bytes), {
      longs: Number,
      bytes: Uint8Array as unknown as typeof String,
      defaults: false,
      arrays: true,
    }) as OnnxModel;
  } catch (e) {
    throw new OnnxError(
      from,
      `not an ONNX model (${show((e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "", 80).slice(1, -1)}). Give a .onnx file, e.g. from torch.onnx.export.`,
    );
  }
}
