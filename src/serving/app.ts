/**
 * The scoring HTTP app, speaking MLflow's scoring-server protocol: `POST /invocations` (JSON in
 * the four pyfunc formats, or CSV), `GET /ping`, `/health`, `/version`. Its own small Fastify app,
 * separate from the tracking server's route table, so a `cairn serve` pod carries nothing else.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CairnError, toCairnError } from '../core/errors.js';
import { decodeCsvRequest, decodeJsonRequest, type DecodedInput } from './decode.js';
import type { ModelSet } from './model-set.js';

/** What the scoring app needs: the models it serves and its limits. */
export interface ScoringAppOptions {
  readonly models: ModelSet;
  /** Largest request body, in bytes; larger bodies get a 413. */
  readonly bodyLimitBytes: number;
  /** The text `/version` answers with. */
  readonly version: string;
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

const CONTENT_TYPES = ['text/csv', 'application/json'];

/** Build (but do not start) the scoring app. */
export async function buildScoringApp(options: ScoringAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: options.logLevel ?? 'warn' }, bodyLimit: options.bodyLimitBytes, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  // Every body arrives as text; the handler decides by media type, so the messages are MLflow's.
  app.addContentTypeParser('*', { parseAs: 'string' }, function keepBodyAsText(_request, body, done) {
    done(null, body);
  });
  app.setErrorHandler(function scoringError(error: unknown, request, reply) {
    const e = error as { code?: string; statusCode?: number; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: `The request body is larger than the limit of ${options.bodyLimitBytes} bytes.` });
    }
    if (!(error instanceof CairnError) && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error_code: 'BAD_REQUEST', message: e.message ?? 'Bad request' });
    }
    const cairn = toCairnError(error);
    if (cairn.httpStatus >= 500) request.log.error({ err: error }, 'scoring failed');
    return reply.code(cairn.httpStatus).send({ error_code: cairn.code, message: cairn.message });
  });
  app.setNotFoundHandler(function unknownPath(request, reply) {
    return reply.code(404).send({ error_code: 'ENDPOINT_NOT_FOUND', message: `No route for ${request.method} ${request.url}; the scoring server answers POST /invocations, GET /ping, /health and /version.` });
  });

  const ping = async function ping(_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // MLflow answers a newline as application/json once the model is loaded.
    const loaded = options.models.snapshot !== null;
    return reply.code(loaded ? 200 : 503).type('application/json').send('\n');
  };
  app.get('/ping', ping);
  app.get('/health', ping);
  app.get('/version', async function version(_request, reply) {
    return reply.type('application/json').send(options.version);
  });
  app.post('/invocations', async function invocations(request, reply) {
    const contentType = request.headers['content-type'];
    const decoded = decodeBody(typeof request.body === 'string' ? request.body : '', contentType, reply);
    if (!decoded) return reply;
    const lease = options.models.acquire();
    try {
      const predictions = await lease.model.predict(decoded);
      return reply.type('application/json').send(JSON.stringify({ predictions }));
    } finally {
      lease.release();
    }
  });
  return app;
}

/** Media type and charset as MLflow's `invocations()` checks them; unsupported ones get a 415. */
function decodeBody(body: string, contentType: string | undefined, reply: FastifyReply): DecodedInput | null {
  const parts = (contentType ?? '').split(';').map((p) => p.trim());
  const mime = (parts[0] ?? '').toLowerCase();
  const params = new Map(parts.slice(1).filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return [p.slice(0, eq === -1 ? p.length : eq).trim().toLowerCase(), eq === -1 ? '' : p.slice(eq + 1).trim().replace(/^"|"$/g, '')] as const;
  }));
  const charset = (params.get('charset') ?? 'utf-8').toLowerCase();
  if (charset !== 'utf-8' && charset !== 'utf8') {
    void reply.code(415).type('text/plain').send('The scoring server only supports UTF-8');
    return null;
  }
  const unknown = [...params.keys()].filter((k) => k !== 'charset');
  if (unknown.length > 0) {
    void reply.code(415).type('text/plain').send(`Unrecognized content type parameters: ${unknown.join(', ')}.`);
    return null;
  }
  if (mime === 'application/json') return decodeJsonRequest(body);
  if (mime === 'text/csv') return decodeCsvRequest(body);
  void reply
    .code(415)
    .type('text/plain')
    .send(`This predictor only supports the following content types: Types: ${JSON.stringify(CONTENT_TYPES)}. Got '${contentType ?? ''}'.`);
  return null;
}
