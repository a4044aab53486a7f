/**
 * Data objects for the `cairn` remote of `cairn data`: DVC's md5 layout over HTTP, kept in the
 * artifact store under data-objects/. Uploads are checked against their name before they land.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { objectIdOf } from '../../datasets/index.js';
import { route, type Route } from '../route.js';

const TAG = 'Data objects';
const OBJECT_PATH = '/api/v1/data/objects/md5/:prefix/:rest';
const objectParams = z.object({ prefix: z.string(), rest: z.string() });
const MAX_EXISTS_QUERY = 10_000;
/**
 * Objects are content-addressed and shared by every dataset version that holds the same bytes, so
 * they belong to no one dataset: reading one needs its md5, which only a readable dataset version
 * (or the data itself) reveals. Role-checked: viewers read, members write.
 */
const DATA_OBJECTS = 'content-addressed blobs shared by dataset versions; role-checked';

/** `/api/v1/data/objects`. */
export const dataObjectRoutes: Route[] = [
  route({
    method: 'PUT', paths: [OBJECT_PATH], tag: TAG, access: 'write', audit: 'after', raw: true,
    permission: { none: DATA_OBJECTS },
    summary: 'Upload one object (its md5 must match its path; storing an object twice keeps the first)',
    params: objectParams,
    response: z.object({ size: z.number(), created: z.boolean() }),
    handler: async ({ params, request, reply, services }) => {
      const stored = await services.datasets.objects.put(objectIdOf(params.prefix, params.rest), request.raw);
      return reply.code(stored.created ? 201 : 200).type('application/json').send(stored);
    },
  }),
  route({
    method: 'GET', paths: [OBJECT_PATH], tag: TAG, access: 'read', audit: 'read', raw: true,
    permission: { none: DATA_OBJECTS },
    summary: "Download one object's bytes (HEAD answers whether it is stored, and its size)",
    params: objectParams,
    response: z.string(),
    handler: async ({ params, request, reply, services }) => {
      const oid = objectIdOf(params.prefix, params.rest);
      if (request.method === 'HEAD') {
        const size = await services.datasets.objects.size(oid);
        if (size === undefined) throw notFound(`No data object ${oid}`);
        // An empty stream, not an empty body: Fastify's HEAD handling sets content-length 0 for the latter.
        return reply.header('content-length', size).type('application/octet-stream').send(Readable.from([]));
      }
      const found = await services.datasets.objects.get(oid);
      if (!found) throw notFound(`No data object ${oid}`);
      return reply.type('application/octet-stream').header('content-length', found.size).send(found.stream);
    },
  }),
  route({
    method: 'DELETE', paths: [OBJECT_PATH], tag: TAG, access: 'write', audit: 'after', raw: true,
    permission: { none: DATA_OBJECTS },
    summary: 'Delete one object (cairn data gc --cloud); a missing object is fine',
    params: objectParams,
    response: z.object({}),
    handler: async ({ params, reply, services }) => {
      await services.datasets.objects.delete(objectIdOf(params.prefix, params.rest));
      return reply.type('application/json').send({});
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/data/objects'], tag: TAG, access: 'read',
    permission: { none: DATA_OBJECTS },
    summary: 'Every stored object id',
    response: z.object({ oids: z.array(z.string()) }),
    handler: async ({ services }) => ({ oids: await services.datasets.objects.list() }),
  }),
  route({
    method: 'POST', paths: ['/api/v1/data/objects/exists'], tag: TAG, access: 'read', audit: 'none',
    permission: { none: DATA_OBJECTS },
    summary: 'Which of the given object ids are stored (one round trip for many objects)',
    body: z.object({ oids: z.array(z.string()).max(MAX_EXISTS_QUERY) }).strict(),
    response: z.object({ present: z.array(z.string()) }),
    handler: async ({ body, services }) => ({ present: await services.datasets.objects.has(body.oids) }),
  }),
];
