/**
 * The two ONNX graphs of the candidates kernel, written as protobuf bytes (no model file, no onnx
 * package): ONNX Runtime's MLAS GEMM is the fastest inner product this process has.
 * Measured on this 2-core machine under load (128 dims): usearch's exactSearch scores 16-31 M
 * pairs/s whatever its shape (one indirect metric call per pair, a 16-byte matrix cell, a
 * single-threaded transpose); ONNX Runtime's Gemm + TopK 95-185 M pairs/s on blocks of 256-1024
 * queries x 8-32k rows; tfjs-wasm's matMul 1.7 GFLOP/s (13 M pairs/s).
 *
 * - `top`: q [m, d], x [n, d], k int64 [1] -> values, indices [m, k]: each query's k best rows by
 *   inner product (Gemm with transB, then TopK).
 * - `block`: q [m, d], x [n, d], thresholds float [m, 1] -> pairs int64 [2, K] (query, row) and
 *   scores [K] of every inner product strictly above its query's threshold, row-major (Gemm,
 *   Greater, NonZero, GatherND).
 * - `blockBoth`: the same with rowThresholds float [1, n] too: above the lower of its query's and
 *   its row's threshold (a Min before the Greater: one more pass over the scores, so a graph of
 *   its own).
 */

const encoder = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let n = value;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
const bytesField = (field: number, bytes: number[]): number[] => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, s: string): number[] => bytesField(field, [...encoder.encode(s)]);
const intField = (field: number, v: number): number[] => [...tag(field, 0), ...varint(v)];
const message = (field: number, parts: number[][]): number[] => bytesField(field, parts.flat());

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** ValueInfoProto of a tensor: dims are sizes or symbolic names. */
function valueInfo(field: number, name: string, elem: number, dims: (number | string)[]): number[] {
  const shape = dims.map((d) => message(1, [typeof d === 'number' ? intField(1, d) : stringField(2, d)]));
  return message(field, [stringField(1, name), message(2, [message(1, [intField(1, elem), message(2, shape)])])]);
}

function node(inputs: string[], outputs: string[], op: string, attributes: number[][] = []): number[] {
  return message(1, [...inputs.map((i) => stringField(1, i)), ...outputs.map((o) => stringField(2, o)), stringField(4, op), ...attributes]);
}

const intAttribute = (name: string, v: number): number[] => message(5, [stringField(1, name), intField(3, v), intField(20, ATTRIBUTE_INT)]);
const intsAttribute = (name: string, vs: number[]): number[] => message(5, [stringField(1, name), ...vs.map((v) => intField(8, v)), intField(20, ATTRIBUTE_INTS)]);

function model(graph: number[][]): Uint8Array {
  // IR version 7, default domain at opset 13.
  return Uint8Array.from([...intField(1, 7), ...message(8, [stringField(1, ''), intField(2, 13)]), ...message(7, graph)]);
}

export type KernelGraph = 'top' | 'block' | 'blockBoth';

/** The graph's bytes for vectors of `d` dimensions. */
export function kernelGraph(kind: KernelGraph, d: number): Uint8Array {
  const inputs = [valueInfo(11, 'q', FLOAT, ['m', d]), valueInfo(11, 'x', FLOAT, ['n', d])];
  if (kind === 'top') {
    return model([
      node(['q', 'x'], ['s'], 'Gemm', [intAttribute('transB', 1)]),
      node(['s', 'k'], ['values', 'indices'], 'TopK', [intAttribute('axis', 1)]),
      stringField(2, 'synograph-top'),
      ...inputs,
      valueInfo(11, 'k', INT64, [1]),
      valueInfo(12, 'values', FLOAT, ['m', 'k']),
      valueInfo(12, 'indices', INT64, ['m', 'k']),
    ]);
  }
  const both = kind === 'blockBoth';
  return model([
    node(['q', 'x'], ['s'], 'Gemm', [intAttribute('transB', 1)]),
    ...(both ? [node(['threshold', 'rowThreshold'], ['bound'], 'Min')] : []),
    node(['s', both ? 'bound' : 'threshold'], ['mask'], 'Greater'),
    node(['mask'], ['pairs'], 'NonZero'),
    node(['pairs'], ['at'], 'Transpose', [intsAttribute('perm', [1, 0])]),
    node(['s', 'at'], ['scores'], 'GatherND'),
    stringField(2, 'synograph-block'),
    ...inputs,
    valueInfo(11, 'threshold', FLOAT, ['m', 1]),
    ...(both ? [valueInfo(11, 'rowThreshold', FLOAT, [1, 'n'])] : []),
    valueInfo(12, 'pairs', INT64, [2, 'K']),
    valueInfo(12, 'scores', FLOAT, ['K']),
  ]);
}
