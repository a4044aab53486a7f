/** Serving: run registered ONNX models and answer MLflow's scoring protocol. */
export { buildScoringApp, type ScoringAppOptions } from './app.js';
export { decodeCsvRequest, decodeJsonRequest, type DecodedInput } from './decode.js';
export { loadModel, locateModel, type LoadedFrom, type ModelSourceConfig } from './load.js';
export { ensureCached, verifyFolder, versionFolder, MANIFEST } from './model-cache.js';
export { ModelSet, type ModelLease, type ModelSnapshot } from './model-set.js';
export { EXPORT_HINT, RUNNABLE_FLAVORS, readModelPackage, type ModelPackage } from './packaging.js';
export type { JsonValue } from './predictions.js';
export { onnxRuntime, type LoadedModel, type ModelRuntime } from './runtime.js';
export { parseSignature, type Schema, type Signature } from './signature.js';
export { diffSignatures, type SignatureChange, type SignatureDiff } from './signature-diff.js';
export { parseModelUri, TrackingClient, type TrackingServerConfig } from './tracking-client.js';
export { parseYaml } from './yaml.js';
