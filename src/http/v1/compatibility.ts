/** Signature compatibility between two registered versions, read from their MLmodel files in this server's store. */
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { diffSignatures, parseSignature, parseYaml, type Signature } from '../../serving/index.js';
import { route, type Route } from '../route.js';

/** A version as a number, `@alias` or a bare alias name. */
async function signatureOf(services: Services, model: string, ref: string): Promise<{ version: string; signature: Signature }> {
  const record = /^[0-9]+$/.test(ref) ? await services.registry.versions.get(model, ref) : await services.registry.aliases.resolve(model, ref.replace(/^@/, ''));
  const file = await services.artifacts.downloadUnder(record.storageLocation, 'MLmodel');
  if (!file) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `model '${model}' version ${record.version} has no MLmodel file, so it has no signature to compare`);
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  const doc = parseYaml(Buffer.concat(chunks).toString('utf8'));
  const block = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc['signature'] : null;
  return { version: String(record.version), signature: parseSignature(block) };
}

const change = z.object({ side: z.enum(['input', 'output']), name: z.string(), change: z.string(), from: z.string().nullable(), to: z.string().nullable(), breaks: z.string().nullable() });

export const compatibilityRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/registry/models/:name/compatibility'], tag: 'Registry', access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: ({ params }) => params.name },
    summary: 'Can callers of version `from` call version `to` unchanged? Added, removed and retyped inputs and outputs (versions as numbers or aliases)',
    params: z.object({ name: z.string().min(1) }),
    query: z.object({ from: z.string().min(1), to: z.string().min(1) }),
    response: z.object({ name: z.string(), from: z.string(), to: z.string(), compatible: z.boolean().nullable(), changes: z.array(change), notes: z.array(z.object({ text: z.string(), effect: z.string() })) }),
    handler: async ({ params, query, services }) => {
      const [before, after] = await Promise.all([signatureOf(services, params.name, query.from), signatureOf(services, params.name, query.to)]);
      const diff = diffSignatures(before.signature, after.signature);
      return { name: params.name, from: before.version, to: after.version, compatible: diff.compatible, changes: diff.changes.map((c) => ({ ...c })), notes: diff.notes.map((n) => ({ ...n })) };
    },
  }),
];
