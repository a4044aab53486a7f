import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../core/errors.js';
import { parseSignature } from './signature.js';
import { parseYaml } from './yaml.js';

// Written by mlflow 3.11.1 (mlflow.onnx.save_model with a DataFrame signature), unchanged.
const MLMODEL = `flavors:
  onnx:
    code: null
    data: model.onnx
    onnx_session_options: null
    onnx_version: 1.23.2
    providers:
    - CUDAExecutionProvider
    - CPUExecutionProvider
  python_function:
    data: model.onnx
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.onnx
    python_version: 3.11.7
is_signature_from_type_hint: false
mlflow_version: 3.11.1
model_id: null
model_size_bytes: 1157
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  type: dataframe
signature:
  inputs: '[{"type": "float", "name": "sepal length (cm)", "required": true}, {"type":
    "float", "name": "sepal width (cm)", "required": true}, {"type": "float", "name":
    "petal length (cm)", "required": true}, {"type": "float", "name": "petal width
    (cm)", "required": false}]'
  outputs: '[{"name": "label", "type": "tensor", "tensor-spec": {"dtype": "int64",
    "shape": [-1]}}, {"name": "probabilities", "type": "tensor", "tensor-spec": {"dtype":
    "float32", "shape": [-1, 3]}}]'
  params: null
utc_time_created: '2026-11-27 11:13:09.378808'
`;

test('reads an MLmodel as mlflow writes it, folded quoted strings included', () => {
  const doc = parseYaml(MLMODEL) as Record<string, any>;
  assert.deepEqual(doc['flavors']['onnx']['providers'], ['CUDAExecutionProvider', 'CPUExecutionProvider']);
  assert.equal(doc['flavors']['onnx']['code'], null);
  assert.equal(doc['flavors']['onnx']['onnx_version'], '1.23.2');
  assert.equal(doc['flavors']['python_function']['env']['virtualenv'], 'python_env.yaml');
  assert.equal(doc['model_size_bytes'], 1157);
  assert.equal(doc['is_signature_from_type_hint'], false);
  assert.equal(doc['utc_time_created'], '2026-11-27 11:13:09.378808');
  const signature = parseSignature(doc['signature']);
  assert.equal(signature.inputs?.kind, 'columns');
  const columns = signature.inputs?.kind === 'columns' ? signature.inputs.columns : [];
  assert.deepEqual(
    columns.map((c) => [c.name, c.type, c.required]),
    [
      ['sepal length (cm)', 'float', true],
      ['sepal width (cm)', 'float', true],
      ['petal length (cm)', 'float', true],
      ['petal width (cm)', 'float', false],
    ],
  );
  assert.deepEqual(signature.outputs, {
    kind: 'tensors',
    tensors: [
      { kind: 'tensor', name: 'label', dtype: 'int64', shape: [-1] },
      { kind: 'tensor', name: 'probabilities', dtype: 'float32', shape: [-1, 3] },
    ],
  });
});

test('scalars, sequences of mappings, flow collections and block scalars', () => {
  const doc = parseYaml(`a: 'it''s'
b: "tab\\tand \\u00e9"
c: [1, two, {x: 3}]
d: {}
e:
- name: one
  value: 1.5
- name: two
  value: -2
- plain
f: |
  line one
  line two
g: >-
  folded
  text
h: ~
i: 1e3
j: .inf
k: a plain scalar
  that continues
`) as Record<string, unknown>;
  assert.deepEqual(doc, {
    a: "it's",
    b: 'tab\tand é',
    c: [1, 'two', { x: 3 }],
    d: {},
    e: [{ name: 'one', value: 1.5 }, { name: 'two', value: -2 }, 'plain'],
    f: 'line one\nline two\n',
    g: 'folded text',
    h: null,
    i: 1000,
    j: Infinity,
    k: 'a plain scalar that continues',
  });
});

test('malformed YAML is a 400 that names the line', () => {
  assert.throws(() => parseYaml("a: 'never closed\n"), (e: unknown) => e instanceof CairnError && e.code === 'INVALID_PARAMETER_VALUE');
  assert.throws(() => parseYaml('a: 1\n  b: 2\n'), /line 1/);
  assert.throws(() => parseYaml('a: 1\na: 2\n'), /unique at line 2/);
  assert.throws(() => parseYaml('a: 1\na: 2\n'), /MLmodel is not valid YAML/);
});

test('signatures: tensor specs, optional columns and mixed kinds', () => {
  const tensor = parseSignature({ inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}]', outputs: null });
  assert.deepEqual(tensor.inputs, { kind: 'tensors', tensors: [{ kind: 'tensor', name: null, dtype: 'float64', shape: [-1, 4] }] });
  assert.equal(tensor.outputs, null);
  const array = parseSignature({ inputs: '[{"type": "array", "items": {"type": "double"}, "name": "v"}]' });
  assert.deepEqual(array.inputs?.kind === 'columns' && array.inputs.columns[0]?.type, { other: '{"type":"array","items":{"type":"double"}}' });
  assert.throws(() => parseSignature({ inputs: '[{"type": "double", "name": "a"}, {"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]' }), /mixes column and tensor/);
  assert.throws(() => parseSignature({ inputs: '[{"type": ' }), /not valid JSON/);
});
