/**
 * Tiny ONNX models written byte by byte (protobuf wire format of onnx.proto), so the runtime
 * tests need no Python and no binary fixtures. `tinyClassifier` takes float X [N, k] and returns
 * `label` = ArgMax(X, axis 1) as int64 [N] and `probabilities` = Softmax(X, axis 1) as [N, k].
 */

type Field = [number, number | bigint | Uint8Array | string];

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** Encode a message from (field number, value) pairs: numbers are varints, strings/bytes are length-delimited. */
function message(fields: readonly Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number' || typeof value === 'bigint') bytes.push(...varint((field << 3) | 0), ...varint(value));
    else {
      const data = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      bytes.push(...varint((field << 3) | 2), ...varint(data.length), ...data);
    }
  }
  return Uint8Array.from(bytes);
}

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto: a name and a tensor type whose dims are numbers or symbolic names. */
function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): Uint8Array {
  const shape = message(dims.map((d): Field => [1, message([typeof d === 'number' ? [1, d] : [2, d]])]));
  const tensorType = message([
    [1, elemType],
    [2, shape],
  ]);
  return message([
    [1, name],
    [2, message([[1, tensorType]])],
  ]);
}

function intAttribute(name: string, value: number): Uint8Array {
  // AttributeProto: name = 1, i = 3, type = 20 (INT = 2).
  return message([
    [1, name],
    [3, value],
    [20, 2],
  ]);
}

function node(op: string, input: string, output: string, attributes: readonly Uint8Array[]): Uint8Array {
  return message([[1, input], [2, output], [4, op], ...attributes.map((a): Field => [5, a])]);
}

/** A classifier over `width` float features with outputs `label` and `probabilities`. */
export function tinyClassifier(width: number, inputName = 'X'): Uint8Array {
  const graph = message([
    [1, node('ArgMax', inputName, 'label', [intAttribute('axis', 1), intAttribute('keepdims', 0)])],
    [1, node('Softmax', inputName, 'probabilities', [intAttribute('axis', 1)])],
    [2, 'tiny'],
    [11, valueInfo(inputName, FLOAT, ['N', width])],
    [12, valueInfo('label', INT64, ['N'])],
    [12, valueInfo('probabilities', FLOAT, ['N', width])],
  ]);
  const opset = message([
    [1, ''],
    [2, 13],
  ]);
  return message([
    [1, 8],
    [7, graph],
    [8, opset],
  ]);
}

/** The MLmodel `mlflow.onnx.log_model` would write for `tinyClassifier`, with a column signature. */
export function tinyMlmodel(columns: readonly string[]): string {
  const inputs = JSON.stringify(columns.map((name) => ({ type: 'float', name, required: true })));
  // PyYAML folds long single-quoted strings over several lines; do the same to exercise the reader.
  const folded = `'${inputs.replace(/'/g, "''")}'`.replace(/(.{70}\S*) /g, '$1\n    ');
  return [
    'flavors:',
    '  onnx:',
    '    code: null',
    '    data: model.onnx',
    '    providers:',
    '    - CPUExecutionProvider',
    '  python_function:',
    '    data: model.onnx',
    '    loader_module: mlflow.onnx',
    'mlflow_version: 3.11.1',
    'signature:',
    `  inputs: ${folded}`,
    `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'`,
    '  params: null',
    '',
  ].join('\n');
}
