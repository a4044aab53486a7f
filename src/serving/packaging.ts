/**
 * Which model folders cairn can run, and where their ONNX file is. Accepted: MLflow's `onnx`
 * flavor (`flavors.onnx.data` names the file, as `mlflow.onnx.log_model` writes it) and a plain
 * folder holding one `.onnx` file next to an `MLmodel` that carries the signature.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, normalize, isAbsolute } from 'node:path';
import { CairnError, invalid } from '../core/errors.js';
import { parseSignature, type Signature } from './signature.js';
import { parseYaml } from './yaml.js';

/** The flavors cairn can run. */
export const RUNNABLE_FLAVORS = ['onnx'] as const;

/** What a model folder holds, once cairn has accepted it. */
export interface ModelPackage {
  readonly folder: string;
  readonly onnxFile: string;
  readonly signature: Signature;
  readonly flavors: readonly string[];
}

/** How to turn a model cairn cannot run into one it can; shown whenever a flavor is refused. */
export const EXPORT_HINT =
  'cairn runs ONNX models: log them with mlflow.onnx.log_model (the "onnx" flavor), or keep one .onnx file next to an MLmodel with the signature. ' +
  "To export a scikit-learn model: onx = skl2onnx.to_onnx(model, X[:1].astype('float32'), options={id(model): {'zipmap': False}}); " +
  "mlflow.onnx.log_model(onx, name='model', signature=mlflow.models.infer_signature(X, model.predict(X))). " +
  'PyTorch: torch.onnx.export; TensorFlow/Keras: tf2onnx; XGBoost/LightGBM: onnxmltools.';

/** Read `<folder>/MLmodel` (if present) and find the ONNX file, or refuse with EXPORT_HINT. */
export async function readModelPackage(folder: string): Promise<ModelPackage> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    throw invalid(`cannot read the model folder ${folder}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`);
  });
  const mlmodel = names.includes('MLmodel') ? parseYaml(await readFile(join(folder, 'MLmodel'), 'utf8')) : null;
  const doc = mlmodel !== null && typeof mlmodel === 'object' && !Array.isArray(mlmodel) ? mlmodel : {};
  const flavorsBlock = doc['flavors'];
  const flavors = flavorsBlock && typeof flavorsBlock === 'object' && !Array.isArray(flavorsBlock) ? flavorsBlock : {};
  const signature = parseSignature(doc['signature']);
  const onnxFlavor = flavors['onnx'];
  if (onnxFlavor && typeof onnxFlavor === 'object' && !Array.isArray(onnxFlavor)) {
    const data = onnxFlavor['data'];
    if (typeof data !== 'string' || !data) throw invalid('MLmodel flavors.onnx has no "data" file name');
    return { folder, onnxFile: insideFolder(folder, data), signature, flavors: Object.keys(flavors) };
  }
  const onnxFiles = names.filter((n) => n.endsWith('.onnx'));
  if (onnxFiles.length === 1) return { folder, onnxFile: join(folder, onnxFiles[0] as string), signature, flavors: Object.keys(flavors) };
  if (onnxFiles.length > 1) throw invalid(`the model folder holds ${onnxFiles.length} .onnx files (${onnxFiles.join(', ')}); without an MLmodel onnx flavor cairn cannot tell which one to run`);
  const found = Object.keys(flavors).filter((f) => f !== 'python_function');
  const what = found.length > 0 ? `its flavor is ${found.map((f) => `"${f}"`).join(', ')}, which cairn cannot run` : names.includes('MLmodel') ? 'its MLmodel has no onnx flavor and the folder holds no .onnx file' : 'the folder holds neither an MLmodel nor an .onnx file';
  throw new CairnError('INVALID_PARAMETER_VALUE', `This model version cannot be served by cairn: ${what}. ${EXPORT_HINT}`);
}

/** Refuse a `data` entry that points outside the model folder. */
function insideFolder(folder: string, relative: string): string {
  const clean = normalize(relative);
  if (isAbsolute(clean) || clean.startsWith('..')) throw invalid(`MLmodel flavors.onnx.data '${relative}' points outside the model folder`);
  return join(folder, clean);
}
