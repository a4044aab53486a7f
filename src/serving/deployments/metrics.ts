/**
 * Prometheus metrics of the deployments this process serves: requests, errors and latency per
 * deployment and version (shadow copies labelled apart), plus Node's process metrics. One
 * registry per server, so tests and several servers in one process do not share counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The counters one scored request touches. */
export class ServingMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'deployment' | 'version' | 'shadow'>;
  private readonly errors: Counter<'deployment' | 'version' | 'shadow'>;
  private readonly latency: Histogram<'deployment' | 'version' | 'shadow'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const labelNames = ['deployment', 'version', 'shadow'] as const;
    this.requests = new Counter({ name: 'cairn_deployment_requests_total', help: 'Scoring requests answered, per deployment and version', labelNames, registers: [this.registry] });
    this.errors = new Counter({ name: 'cairn_deployment_errors_total', help: 'Scoring requests that failed (bad input or a model error), per deployment and version', labelNames, registers: [this.registry] });
    this.latency = new Histogram({
      name: 'cairn_deployment_request_duration_seconds',
      help: 'Time to score one request (decode, predict, encode), per deployment and version',
      labelNames,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'cairn_' });
  }

  /** Count one request. */
  observe(deployment: string, version: string, shadow: boolean, seconds: number, failed: boolean): void {
    const labels = { deployment, version, shadow: shadow ? 'true' : 'false' };
    this.requests.inc(labels);
    if (failed) this.errors.inc(labels);
    this.latency.observe(labels, seconds);
  }

  /** The text Prometheus scrapes. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
