import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIALECTS, freshStoreUri } from '../testing/dialects.js';
import { spawnServer } from '../testing/process.js';

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

for (const dialect of DIALECTS) {
  test(`every acknowledged log-batch survives kill -9 of the server [${dialect}]`, async () => {
    const store = await freshStoreUri(dialect);
    const folder = await mkdtemp(join(tmpdir(), 'cairn-durability-'));
    try {
      let server = await spawnServer({ storeUri: store.uri, artifacts: join(folder, 'artifacts') });
      const runId = (await (await post(server.url, 'runs/create', { experiment_id: '0' })).json() as { run: { info: { run_id: string } } }).run.info.run_id;
      const acknowledged: number[] = [];
      let batch = 0;
      let killed = false;
      // Four writers stream batches until the server is killed under them.
      const writer = async (lane: number): Promise<void> => {
        while (!killed) {
          const id = batch++;
          const metrics = Array.from({ length: 50 }, (_, i) => ({ key: `lane${lane}`, value: id * 50 + i, timestamp: 1, step: id * 50 + i }));
          try {
            const response = await post(server.url, 'runs/log-batch', { run_id: runId, metrics });
            if (response.status === 200) acknowledged.push(id);
          } catch {
            return; // the connection died with the server: this batch was never acknowledged
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
      killed = true;
      await server.stop('SIGKILL');
      await Promise.all(writers);

      server = await spawnServer({ storeUri: store.uri, artifacts: join(folder, 'artifacts') });
      try {
        const steps = new Set<number>();
        for (let lane = 0; lane < 4; lane++) {
          let token: string | undefined;
          do {
            const query = `run_id=${runId}&metric_key=lane${lane}&max_results=25000${token ? `&page_token=${token}` : ''}`;
            const page = (await (await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?${query}`)).json()) as {
              metrics?: { step: number }[];
              next_page_token?: string;
            };
            for (const m of page.metrics ?? []) steps.add(m.step);
            token = page.next_page_token;
          } while (token);
        }
        const lost = acknowledged.filter((id) => !Array.from({ length: 50 }, (_, i) => id * 50 + i).every((s) => steps.has(s)));
        assert.deepEqual(lost, [], `acknowledged batches missing after restart: ${lost.length} of ${acknowledged.length}`);
        assert.ok(acknowledged.length >= 200);
      } finally {
        await server.stop();
      }
    } finally {
      await store.cleanup();
      await rm(folder, { recursive: true, force: true });
    }
  });
}
