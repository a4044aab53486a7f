/** The signature of a registered version, read from its MLmodel on the tracking server. */
import { CairnError } from '../core/errors.js';
import { parseSignature, type Signature } from './signature.js';
import type { TrackingClient } from './tracking-client.js';
import { parseYaml } from './yaml.js';

/** Fetch `MLmodel` of `name` version `version` (a number or `@alias`) and parse its signature. */
export async function signatureOfVersion(client: TrackingClient, name: string, version: string): Promise<{ version: string; signature: Signature }> {
  const ref = version.startsWith('@') ? { name, alias: version.slice(1) } : { name, version };
  const resolved = await client.resolve(ref);
  let text: string;
  try {
    text = await client.readText(resolved.artifactUri, 'MLmodel');
  } catch (error) {
    if (error instanceof CairnError && error.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new CairnError('RESOURCE_DOES_NOT_EXIST', `model '${name}' version ${resolved.version} has no MLmodel file, so it has no signature to compare`);
    }
    throw error;
  }
  const doc = parseYaml(text);
  const block = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc['signature'] : null;
  return { version: resolved.version, signature: parseSignature(block) };
}
