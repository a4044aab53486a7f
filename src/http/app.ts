import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CairnError, toCairnError } from '../core/errors.js';
import type { Services } from '../services.js';
import { buildOpenApi } from './openapi.js';
import type { Route } from './route.js';
import { registerGuard } from './auth/index.js';
import { authorizeRoute } from './auth/permission-check.js';
import { allRoutes } from './routes.js';
import { withAuditEntry } from './v1/audit-trail.js';
import { registerUi } from './ui.js';
import { coerceQuery, validateInput } from './validate.js';

/** The error body MLflow's client parses: error_code and message. */
function sendError(reply: FastifyReply, error: CairnError): void {
  void reply.code(error.httpStatus).type('application/json').send({ error_code: error.code, message: error.message });
}

/** Map framework errors (bad JSON, wrong content type, body too large) to MLflow's 4xx answers. */
function fromFrameworkError(error: FastifyError): CairnError {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new CairnError('BAD_REQUEST', `Malformed JSON in request body: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CairnError('INVALID_PARAMETER_VALUE', `Request body is larger than the server's limit: ${error.message}`, { httpStatus: 413 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CairnError('BAD_REQUEST', `Unsupported content type: send the body as application/json (${error.message})`, { httpStatus: 415 });
    default:
      if (error instanceof SyntaxError || (error.statusCode !== undefined && error.statusCode < 500)) {
        return new CairnError('BAD_REQUEST', error.message);
      }
      return toCairnError(error);
  }
}

function handlerFor(route: Route, services: Services) {
  return async function handleRoute(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const query = route.query ? validateInput(route.query, coerceQuery(route.query, (request.query ?? {}) as Record<string, unknown>)) : {};
    const body = route.body && !route.raw ? validateInput(route.body, request.body ?? {}) : {};
    const params = route.params ? validateInput(route.params, request.params ?? {}) : {};
    await authorizeRoute(route, { query, body, params, services, request, reply });
    const result = await withAuditEntry(route, { query, body, params, services, request, reply }, async () => route.handler({ query, body, params, services, request, reply }));
    // A handler that wrote the reply itself (bytes, plain text) hands back the reply.
    if (route.raw || reply.sent) return reply;
    return result ?? {};
  };
}

/** Build the HTTP server: every declared route, the UI, and MLflow-shaped errors everywhere. */
export async function buildApp(services: Services, routes: readonly Route[] = allRoutes): Promise<FastifyInstance> {
  const app = Fastify({
    logger: services.config.logLevel === 'silent' ? false : { level: services.config.logLevel },
    bodyLimit: services.config.bodyLimitBytes,
    // Long uploads and 1 GB artifacts must not be cut off by a request timeout.
    requestTimeout: 0,
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
  });

  app.setErrorHandler(function onError(error: FastifyError, request, reply) {
    const cairnError = error instanceof CairnError ? error : fromFrameworkError(error);
    if (cairnError.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
    sendError(reply, cairnError);
  });
  app.setNotFoundHandler(function onNotFound(request, reply) {
    sendError(reply, new CairnError('ENDPOINT_NOT_FOUND', `No API route matches ${request.method} ${request.url.split('?')[0]}`));
  });
  // Before any route, so authentication and the route's declared access cover every one.
  registerGuard(app, services, routes);

  // An empty JSON body (some clients send one on DELETE) means "no fields".
  app.addContentTypeParser('application/json', { parseAs: 'string' }, function parseJson(_request, text, done) {
    const source = (text as string).trim();
    if (source === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(source));
    } catch (error) {
      done(new CairnError('BAD_REQUEST', `Malformed JSON in request body: ${(error as Error).message}`), undefined);
    }
  });

  const jsonRoutes = routes.filter((r) => !r.raw);
  const rawRoutes = routes.filter((r) => r.raw);
  for (const r of jsonRoutes) {
    for (const url of r.paths) {
      app.route({ method: r.method, url, handler: handlerFor(r, services), ...(r.bodyLimit ? { bodyLimit: r.bodyLimit } : {}) });
    }
  }
  // Raw routes (artifact bytes) take any content type and read the request stream themselves.
  await app.register(async function rawBodies(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', function passThrough(_request, _payload, done) {
      done(null, undefined);
    });
    for (const r of rawRoutes) for (const url of r.paths) scope.route({ method: r.method, url, handler: handlerFor(r, services) });
  });

  const openapi = buildOpenApi(routes);
  app.get('/api/openapi.json', async function openApiDocument() {
    return openapi;
  });
  if (services.config.serveUi) await registerUi(app);
  return app;
}
