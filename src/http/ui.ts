import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import mime from 'mime-types';

/** dist/ui, next to dist/http where this file is compiled to. */
const UI_ROOT = resolve(fileURLToPath(new URL('../ui', import.meta.url)));

const API_PREFIXES = ['/api/', '/ajax-api/', '/v1/', '/health', '/version', '/metrics', '/get-artifact', '/model-versions/get-artifact'];

/** Serve the built web UI: its assets, and index.html for every other page path (client routing). */
export async function registerUi(app: FastifyInstance): Promise<void> {
  const indexPath = join(UI_ROOT, 'index.html');
  const indexHtml = existsSync(indexPath)
    ? readFileSync(indexPath)
    : Buffer.from('<!doctype html><title>cairn</title><p>The web UI is not built. Run <code>npm run build</code>.</p>');

  app.get('/assets/*', async function uiAsset(request, reply) {
    const rest = (request.params as { '*': string })['*'];
    const file = resolve(UI_ROOT, 'assets', rest);
    if (!file.startsWith(UI_ROOT + sep) || rest.includes('\\')) return reply.code(404).send();
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return reply.code(404).send();
    // Vite puts a content hash in every asset name, so assets never change under a name.
    return reply
      .type(mime.lookup(extname(file)) || 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-length', info.size)
      .send(createReadStream(file));
  });

  app.addHook('onRequest', async function uiPages(request, reply) {
    if (request.method !== 'GET') return;
    const path = request.url.split('?')[0] ?? '/';
    if (API_PREFIXES.some((p) => path.startsWith(p)) || path.startsWith('/assets/')) return;
    if (path.includes('.') && path !== '/') {
      const file = resolve(UI_ROOT, `.${path}`);
      const info = file.startsWith(UI_ROOT + sep) ? await stat(file).catch(() => undefined) : undefined;
      if (info?.isFile()) {
        await reply.type(mime.lookup(extname(file)) || 'application/octet-stream').send(createReadStream(file));
        return;
      }
    }
    await reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });
}
