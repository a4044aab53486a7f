/**
 * The model runtime: load an accepted model package and score decoded requests with it.
 * `ModelRuntime` is the swappable backend (STYLE: one interface per backend); ONNX Runtime for
 * Node is the one cairn ships.
 */
import ort from 'onnxruntime-node';
import { CairnError, invalid } from '../core/errors.js';
import type { DecodedInput } from './decode.js';
import { buildFeeds, planInputs, type InputPlan, type OnnxInput } from './feeds.js';
import type { ModelPackage } from './packaging.js';
import { toPredictions, type JsonValue, type OutputTensor } from './predictions.js';
import type { Signature } from './signature.js';

/** A model in memory, ready to score. */
export interface LoadedModel {
  /** What was loaded, e.g. `models:/iris/3` or a folder path. */
  readonly label: string;
  readonly signature: Signature;
  readonly outputNames: readonly string[];
  /** Things the caller should know, e.g. outputs that cannot be returned. */
  readonly warnings: readonly string[];
  /** Score one request; bad input throws a BAD_REQUEST CairnError. */
  predict(input: DecodedInput): Promise<JsonValue>;
  /** Release the native session. */
  close(): Promise<void>;
}

/** A backend that turns a model package into a LoadedModel. */
export interface ModelRuntime {
  readonly name: string;
  load(pkg: ModelPackage, label: string): Promise<LoadedModel>;
}

/** Options for the ONNX runtime; threads default to onnxruntime's choice. */
export interface OnnxRuntimeOptions {
  readonly intraOpThreads?: number;
}

/** ONNX Runtime (CPU) as cairn's model runtime. */
export function onnxRuntime(options: OnnxRuntimeOptions = {}): ModelRuntime {
  return {
    name: 'onnxruntime-node',
    load: (pkg, label) => loadOnnx(pkg, label, options),
  };
}

async function loadOnnx(pkg: ModelPackage, label: string, options: OnnxRuntimeOptions): Promise<LoadedModel> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(pkg.onnxFile, {
      ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw invalid(`${label}: onnxruntime cannot load ${pkg.onnxFile}: ${(error as Error).message}`);
  }
  try {
    const inputs: OnnxInput[] = session.inputMetadata.map((m) => {
      if (!m.isTensor) throw invalid(`${label}: the ONNX input '${m.name}' is not a tensor; cairn feeds tensors only`);
      return { name: m.name, type: m.type, shape: m.shape };
    });
    const plan = planInputs(pkg.signature.inputs, inputs);
    const warnings: string[] = [];
    const outputNames: string[] = [];
    for (const m of session.outputMetadata) {
      if (m.isTensor) outputNames.push(m.name);
      else warnings.push(`output '${m.name}' is not a tensor (skl2onnx's ZipMap gives a list of dicts) and is left out; export with options={id(model): {'zipmap': False}} to get probabilities as a tensor`);
    }
    if (outputNames.length === 0) throw invalid(`${label}: none of the ONNX outputs is a tensor, so nothing could be returned`);
    return new OnnxModel(label, pkg.signature, session, plan, outputNames, warnings);
  } catch (error) {
    await session.release();
    throw error;
  }
}

class OnnxModel implements LoadedModel {
  constructor(
    readonly label: string,
    readonly signature: Signature,
    private readonly session: ort.InferenceSession,
    private readonly plan: InputPlan,
    readonly outputNames: readonly string[],
    readonly warnings: readonly string[],
  ) {}

  async predict(input: DecodedInput): Promise<JsonValue> {
    const feeds = buildFeeds(input, this.plan);
    const tensors: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds.tensors)) tensors[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.session.run(tensors, [...this.outputNames]);
    } catch (error) {
      throw new CairnError('BAD_REQUEST', `Encountered an unexpected error while evaluating the model. Verify that the input is compatible with the model for inference. Error: ${(error as Error).message}`);
    }
    const outputs = new Map<string, OutputTensor>();
    for (const name of this.outputNames) {
      const value = results[name] as ort.Tensor | undefined;
      if (value) outputs.set(name, { data: value.data as OutputTensor['data'], dims: value.dims });
    }
    return toPredictions(outputs, feeds.rows);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
