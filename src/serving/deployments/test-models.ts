/** Register tiny ONNX versions on a test server, as a client would: upload files, create the version. */
import type { TestServer } from '../../testing/server.js';
import { tinyClassifier, tinyMlmodel } from '../testing/tiny-onnx.js';

/** Upload `files` under `mlflow-artifacts:/<folder>` and register them as a new version of `name`. */
export async function registerFiles(server: TestServer, name: string, folder: string, files: Record<string, string | Uint8Array>): Promise<string> {
  await server.call('POST', 'registered-models/create', { name });
  for (const [path, content] of Object.entries(files)) {
    const response = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${folder}/${path}`, { method: 'PUT', body: content });
    if (!response.ok) throw new Error(`upload of ${path} failed: ${response.status} ${await response.text()}`);
  }
  const created = await server.call('POST', 'model-versions/create', { name, source: `mlflow-artifacts:/${folder}` });
  if (created.status !== 200) throw new Error(`model-versions/create failed: ${JSON.stringify(created.body)}`);
  return String(created.body.model_version.version);
}

/** A working two-feature classifier (columns a, b) as a new version. */
export function registerTinyVersion(server: TestServer, name: string, folder: string, columns: readonly string[] = ['a', 'b']): Promise<string> {
  return registerFiles(server, name, folder, { MLmodel: tinyMlmodel(columns), 'model.onnx': tinyClassifier(columns.length) });
}

/** Point an alias at a version. */
export async function setAlias(server: TestServer, name: string, alias: string, version: string): Promise<void> {
  const result = await server.call('POST', 'registered-models/alias', { name, alias, version });
  if (result.status !== 200) throw new Error(`set alias failed: ${JSON.stringify(result.body)}`);
}

/** POST a JSON body to a deployment's invocations; returns status, body and the answering version. */
// Tests read arbitrary fields of the answer, as with TestServer.call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function invoke(server: TestServer, deployment: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; version: string | null; requestId: string | null }> {
  const response = await fetch(`${server.url}/api/v1/deployments/${deployment}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // 415 answers are plain text in MLflow's scoring server; here they are JSON errors, but keep the text if not.
  }
  return { status: response.status, body: parsed, version: response.headers.get('x-cairn-version'), requestId: response.headers.get('x-request-id') };
}

/** Poll until `check` returns a value (or throw after `ms`); for state that settles asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
