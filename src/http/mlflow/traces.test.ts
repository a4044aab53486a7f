import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../testing/dialects.js';
import { startTestServer, type TestServer } from '../../testing/server.js';

const V3 = '/api/3.0/mlflow';
let counter = 0;

/** A TraceInfoV3 body as the Python client's message_to_json writes it. */
function traceBody(experimentId: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  const traceId = `tr-${counter.toString(16).padStart(32, '0')}`;
  return {
    traceId,
    body: {
      trace: {
        trace_info: {
          trace_id: traceId,
          trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
          request_time: '2025-04-15T08:49:18.699Z',
          execution_duration: '0.012s',
          state: 'OK',
          trace_metadata: { 'mlflow.trace_schema.version': '3' },
          tags: { 'mlflow.traceName': 'answer' },
          request_preview: '{"question": "why?"}',
          ...extra,
        },
      },
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`MLflow traces over HTTP [${dialect}]`, () => {
    let server: TestServer;
    let experimentId: string;
    before(async () => {
      server = await startTestServer(dialect);
      experimentId = (await server.call('POST', 'experiments/create', { name: 'traces-http' })).body.experiment_id;
    });
    after(() => server.close());

    test('StartTraceV3 stores the trace and answers with the artifact location; GetTraceInfoV3 reads it back', async () => {
      const { traceId, body } = traceBody(experimentId, { client_request_id: 'req-7' });
      const started = await server.call('POST', `${V3}/traces`, body);
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const expected = {
        trace_id: traceId,
        client_request_id: 'req-7',
        trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
        request_preview: '{"question": "why?"}',
        request_time: '2025-04-15T08:49:18.699Z',
        execution_duration: '0.012s',
        state: 'OK',
        trace_metadata: { 'mlflow.trace_schema.version': '3' },
        tags: { 'mlflow.artifactLocation': `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts`, 'mlflow.traceName': 'answer' },
      };
      assert.deepEqual(started.body, { trace: { trace_info: expected } });
      for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
        const got = await server.call('GET', `${prefix}/traces/${traceId}`);
        assert.deepEqual(got.body, { trace: { trace_info: expected } });
      }
      const missing = await server.call('GET', `${V3}/traces/tr-nope`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    });

    test('well-known types are parsed: offsets, nine fractional digits, whole seconds', async () => {
      const { traceId, body } = traceBody(experimentId, { request_time: '2025-04-15T10:49:18.123456789+02:00', execution_duration: '2.000000001s' });
      assert.equal((await server.call('POST', `${V3}/traces`, body)).status, 200);
      const info = (await server.call('GET', `${V3}/traces/${traceId}`)).body.trace.trace_info;
      assert.equal(info.request_time, '2025-04-15T08:49:18.123Z');
      assert.equal(info.execution_duration, '2s');
      const bad = await server.call('POST', `${V3}/traces`, traceBody(experimentId, { request_time: 1744706958699 }).body);
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /trace\.trace_info\.request_time/);
      const badDuration = await server.call('POST', `${V3}/traces`, traceBody(experimentId, { execution_duration: '12ms' }).body);
      assert.equal(badDuration.status, 400);
      assert.match(badDuration.body.message, /execution_duration/);
    });

    test('a trace outside an MLflow experiment, or in a deleted one, is a 400', async () => {
      const elsewhere = await server.call('POST', `${V3}/traces`, traceBody(experimentId, { trace_location: { type: 'INFERENCE_TABLE', inference_table: {} } }).body);
      assert.equal(elsewhere.status, 400);
      assert.match(elsewhere.body.message, /trace_location/);
      const doomed = (await server.call('POST', 'experiments/create', { name: 'traces-doomed' })).body.experiment_id;
      await server.call('POST', 'experiments/delete', { experiment_id: doomed });
      const deleted = await server.call('POST', `${V3}/traces`, traceBody(doomed).body);
      assert.equal(deleted.status, 400);
      assert.equal(deleted.body.error_code, 'INVALID_PARAMETER_VALUE');
      const tooLong = await server.call('POST', `${V3}/traces`, traceBody(experimentId, { tags: { big: 'x'.repeat(8001) } }).body);
      assert.equal(tooLong.status, 400);
      assert.match(tooLong.body.message, /tags\.big/);
    });

    test('traces/get and traces/batchGet are not taken for trace ids', async () => {
      const { traceId, body } = traceBody(experimentId);
      await server.call('POST', `${V3}/traces`, body);
      const partial = await server.call('GET', `${V3}/traces/get?trace_id=${traceId}&allow_partial=True`);
      assert.equal(partial.status, 200);
      assert.equal(partial.body.trace.trace_info.trace_id, traceId);
      const whole = await server.call('GET', `${V3}/traces/get?trace_id=${traceId}`);
      assert.equal(whole.status, 404);
      assert.match(whole.body.message, /no spans in the tracking store/);
      const batch = await server.call('GET', `${V3}/traces/batchGet?trace_ids=${traceId}`);
      assert.deepEqual(batch, { status: 200, body: {} });
      const infos = await server.call('POST', `${V3}/traces/batchGetInfos`, { trace_ids: [traceId, 'tr-unknown'] });
      assert.deepEqual(infos.body.trace_infos.map((i: { trace_id: string }) => i.trace_id), [traceId]);
    });

    test('search takes locations, a filter, ordering and pages', async () => {
      const exp = (await server.call('POST', 'experiments/create', { name: 'traces-http-search' })).body.experiment_id;
      const made: string[] = [];
      for (const name of ['alpha', 'beta', 'gamma']) {
        const { traceId, body } = traceBody(exp, { tags: { 'mlflow.traceName': name }, request_time: `2025-01-0${made.length + 1}T00:00:00Z` });
        await server.call('POST', `${V3}/traces`, body);
        made.push(traceId);
      }
      const locations = [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: exp } }];
      const all = await server.call('POST', `${V3}/traces/search`, { locations });
      assert.deepEqual(all.body.traces.map((t: { trace_id: string }) => t.trace_id), [...made].reverse());
      assert.equal(all.body.next_page_token, undefined);
      const filtered = await server.call('POST', `${V3}/traces/search`, { locations, filter: "name != 'beta'", order_by: ['timestamp_ms ASC'], max_results: 1 });
      assert.deepEqual(filtered.body.traces.map((t: { trace_id: string }) => t.trace_id), [made[0]]);
      const next = await server.call('POST', `${V3}/traces/search`, { locations, filter: "name != 'beta'", order_by: ['timestamp_ms ASC'], max_results: 1, page_token: filtered.body.next_page_token });
      assert.deepEqual(next.body.traces.map((t: { trace_id: string }) => t.trace_id), [made[2]]);
      const none = await server.call('POST', `${V3}/traces/search`, { locations, filter: "name = 'delta'" });
      assert.deepEqual(none, { status: 200, body: {} });
      const tooMany = await server.call('POST', `${V3}/traces/search`, { locations, max_results: 501 });
      assert.equal(tooMany.status, 400);
      const spans = await server.call('POST', `${V3}/traces/search`, { locations, filter: "span.name = 'x'" });
      assert.equal(spans.status, 400);
      assert.match(spans.body.message, /not supported/);
      const noLocations = await server.call('POST', `${V3}/traces/search`, {});
      assert.equal(noLocations.status, 400);
      assert.match(noLocations.body.message, /locations/);
    });

    test('tags are set with PATCH and deleted with a JSON-bodied DELETE, under 2.0 and 3.0', async () => {
      const { traceId, body } = traceBody(experimentId);
      await server.call('POST', `${V3}/traces`, body);
      assert.equal((await server.call('PATCH', `traces/${traceId}/tags`, { key: 'reviewed', value: 'yes' })).status, 200);
      assert.equal((await server.call('PATCH', `${V3}/traces/${traceId}/tags`, { key: 'team', value: 'red' })).status, 200);
      let tags = (await server.call('GET', `${V3}/traces/${traceId}`)).body.trace.trace_info.tags;
      assert.equal(tags.reviewed, 'yes');
      assert.equal(tags.team, 'red');
      assert.equal((await server.call('DELETE', `traces/${traceId}/tags`, { key: 'reviewed' })).status, 200);
      tags = (await server.call('GET', `${V3}/traces/${traceId}`)).body.trace.trace_info.tags;
      assert.equal(tags.reviewed, undefined);
      const again = await server.call('DELETE', `traces/${traceId}/tags`, { key: 'reviewed' });
      assert.equal(again.status, 404);
      const missingKey = await server.call('PATCH', `traces/${traceId}/tags`, { value: 'v' });
      assert.match(missingKey.body.message, /Missing value for required parameter 'key'/);
    });

    test('delete-traces, link-to-run and link-prompts', async () => {
      const exp = (await server.call('POST', 'experiments/create', { name: 'traces-http-links' })).body.experiment_id;
      const run = (await server.call('POST', 'runs/create', { experiment_id: exp })).body.run.info.run_id;
      const first = traceBody(exp);
      const second = traceBody(exp);
      await server.call('POST', `${V3}/traces`, first.body);
      await server.call('POST', `${V3}/traces`, second.body);
      assert.equal((await server.call('POST', 'traces/link-to-run', { trace_ids: [first.traceId], run_id: run })).status, 200);
      const locations = [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: exp } }];
      const byRun = await server.call('POST', `${V3}/traces/search`, { locations, filter: `run_id = '${run}'` });
      assert.deepEqual(byRun.body.traces.map((t: { trace_id: string }) => t.trace_id), [first.traceId]);

      const linked = await server.call('POST', 'traces/link-prompts', { trace_id: first.traceId, prompt_versions: [{ name: 'qa', version: '3' }] });
      assert.equal(linked.status, 200);
      const tags = (await server.call('GET', `${V3}/traces/${first.traceId}`)).body.trace.trace_info.tags;
      assert.deepEqual(JSON.parse(tags['mlflow.linkedPrompts']), [{ name: 'qa', version: '3' }]);

      const deleted = await server.call('POST', 'traces/delete-traces', { experiment_id: exp, request_ids: [first.traceId] });
      assert.deepEqual(deleted.body, { traces_deleted: 1 });
      const byAge = await server.call('POST', '/api/3.0/mlflow/traces/delete-traces', { experiment_id: exp, max_timestamp_millis: Date.now(), max_traces: 10 });
      assert.deepEqual(byAge.body, { traces_deleted: 1 });
      const neither = await server.call('POST', 'traces/delete-traces', { experiment_id: exp });
      assert.equal(neither.status, 400);
    });
  });
}
