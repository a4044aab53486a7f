import { z } from 'zod';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;
  } catch {
    return {};
  }
}

/** OpenAPI paths use {name}; the router uses :name and a trailing * for the rest of the path. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
}

function parametersOf(route: Route, path: string): JsonSchema[] {
  const params: JsonSchema[] = [];
  for (const m of path.matchAll(/\{(\w+)\}/g)) params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  if (route.query) {
    const json = toSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      params.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema });
    }
  }
  return params;
}

const ERROR_RESPONSE = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/**
 * What a route answers. A string response is bytes or text of any media type (artifact files,
 * /health, JSON-lines exports); anything else is JSON. Routes that create answer 201 as well as
 * 200, and every error, whatever its status (401, 403, 413, 429, the 501 the MLflow client falls
 * back on), carries the MLflow error body: the `default` response says so.
 */
function responsesOf(route: Route): JsonSchema {
  const schema = toSchema(route.response, 'output');
  const success = schema['type'] === 'string'
    ? { description: 'Raw bytes or plain text', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }
    : { description: 'Success', content: { 'application/json': { schema } } };
  return {
    '200': success,
    ...(route.method === 'POST' || route.method === 'PUT' ? { '201': { ...success, description: 'Created' } } : {}),
    '400': { description: 'Invalid request', ...ERROR_RESPONSE },
    '404': { description: 'Not found', ...ERROR_RESPONSE },
    default: { description: 'Any other error, in MLflow\'s shape', ...ERROR_RESPONSE },
  };
}

/** The OpenAPI 3 document for every declared route, built from the same zod schemas that validate requests. */
export function buildOpenApi(routes: readonly Route[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const canonical = route.paths[0];
    if (!canonical) continue;
    const path = openApiPath(canonical);
    const operation: JsonSchema = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      'x-cairn-access': route.access,
      parameters: parametersOf(route, path),
      responses: responsesOf(route),
    };
    if (route.body && !route.raw) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } };
    } else if (route.raw && (route.method === 'PUT' || route.method === 'POST')) {
      operation.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'cairn', version: '0.1.0', description: 'cairn server API: MLflow-compatible tracking, registry and artifacts, and cairn\'s own /api/v1.' },
    paths,
    components: {
      schemas: {
        Error: { type: 'object', required: ['error_code', 'message'], properties: { error_code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
}
