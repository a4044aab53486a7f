/**
 * The CI/CD gate: score a candidate and the champion on the same holdout data, log an evaluation
 * run with both, check the candidate's signature against the champion's, and pass only when
 * every rule holds; on a pass with `promote`, move that alias to the candidate.
 */
import { invalid } from '../../core/errors.js';
import { loadModel, type ModelSourceConfig } from '../load.js';
import type { ModelRuntime } from '../runtime.js';
import { diffSignatures } from '../signature-diff.js';
import { TrackingClient, type TrackingServerConfig } from '../tracking-client.js';
import { signatureOfVersion } from '../version-signature.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { readHoldout } from './holdout.js';
import { higherIsBetter, type GateMetric } from './metrics.js';
import { logEvaluationRun, moveAlias } from './tracking-log.js';

/** What to compare and the rules to apply. */
export interface GateOptions {
  readonly model: string;
  /** A version number or an alias (with or without `@`). */
  readonly candidate: string;
  readonly champion: string;
  readonly data: string;
  readonly label: string;
  readonly metric: GateMetric;
  /** The candidate must beat the champion by at least this much (default 0: at least as good). */
  readonly minDelta: number;
  readonly maxP95LatencyMs: number | null;
  /** Alias to move to the candidate when it passes. */
  readonly promote: string | null;
  readonly experiment: string;
}

/** One rule's outcome. */
export interface GateRule {
  readonly rule: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** One side of the comparison. */
export interface GateSide {
  readonly ref: string;
  readonly version: string | null;
  readonly evaluation: Evaluation | null;
  readonly error: string | null;
}

/** The whole outcome. */
export interface GateReport {
  readonly model: string;
  readonly metric: GateMetric;
  readonly candidate: GateSide;
  readonly champion: GateSide;
  readonly rules: readonly GateRule[];
  readonly passed: boolean;
  readonly runId: string;
  readonly promoted: string | null;
}

const uriOf = (model: string, ref: string): string => (/^[0-9]+$/.test(ref) ? `models:/${model}/${ref}` : `models:/${model}@${ref.replace(/^@/, '')}`);
const sigRef = (ref: string): string => (/^[0-9]+$/.test(ref) ? ref : `@${ref.replace(/^@/, '')}`);
const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(6));

async function scoreSide(ref: string, options: GateOptions, source: ModelSourceConfig, runtime: ModelRuntime, data: Awaited<ReturnType<typeof readHoldout>>): Promise<GateSide> {
  let version: string | null = null;
  try {
    const loaded = await loadModel(uriOf(options.model, ref), source, runtime);
    version = loaded.version;
    try {
      return { ref, version, evaluation: await evaluate(loaded.model, data, options.metric), error: null };
    } finally {
      await loaded.model.close();
    }
  } catch (error) {
    return { ref, version, evaluation: null, error: (error as Error).message };
  }
}

/** Run the gate against a tracking server. */
export async function runGate(options: GateOptions, server: TrackingServerConfig, cacheRoot: string, runtime: ModelRuntime): Promise<GateReport> {
  if (!Number.isFinite(options.minDelta)) throw invalid('--min-delta must be a number');
  const source: ModelSourceConfig = { trackingServer: server, cacheRoot };
  const data = await readHoldout(options.data, options.label);
  const champion = await scoreSide(options.champion, options, source, runtime, data);
  const candidate = await scoreSide(options.candidate, options, source, runtime, data);
  const rules: GateRule[] = [];

  rules.push(await signatureRule(new TrackingClient(server), options));
  for (const [name, side] of [['candidate', candidate], ['champion', champion]] as const) {
    rules.push({ rule: `${name} scores the data`, passed: side.evaluation !== null, detail: side.error ?? `${side.evaluation?.rows} rows, version ${side.version}` });
  }
  if (candidate.evaluation && champion.evaluation) {
    const up = higherIsBetter(options.metric);
    const delta = up ? candidate.evaluation.value - champion.evaluation.value : champion.evaluation.value - candidate.evaluation.value;
    rules.push({
      rule: `${options.metric} ${up ? 'gain' : 'reduction'} >= ${fmt(options.minDelta)}`,
      passed: delta >= options.minDelta,
      detail: `candidate ${fmt(candidate.evaluation.value)}, champion ${fmt(champion.evaluation.value)}, ${up ? 'gain' : 'reduction'} ${fmt(delta)}`,
    });
  }
  if (options.maxP95LatencyMs !== null && candidate.evaluation) {
    rules.push({ rule: `p95 latency <= ${fmt(options.maxP95LatencyMs)} ms`, passed: candidate.evaluation.p95LatencyMs <= options.maxP95LatencyMs, detail: `candidate p95 ${candidate.evaluation.p95LatencyMs.toFixed(2)} ms (single-row requests)` });
  }
  const passed = rules.every((r) => r.passed);

  const metrics: Record<string, number> = {};
  for (const [name, side] of [['candidate', candidate], ['champion', champion]] as const) {
    if (!side.evaluation) continue;
    metrics[`${name}_${options.metric}`] = side.evaluation.value;
    metrics[`${name}_p95_latency_ms`] = side.evaluation.p95LatencyMs;
  }
  const runId = await logEvaluationRun(server, {
    experiment: options.experiment,
    runName: `gate-${options.model}-${candidate.version ?? options.candidate}-vs-${champion.version ?? options.champion}`,
    params: { model: options.model, candidate: options.candidate, champion: options.champion, candidate_version: candidate.version ?? '', champion_version: champion.version ?? '', metric: options.metric, min_delta: String(options.minDelta), max_p95_latency_ms: options.maxP95LatencyMs === null ? '' : String(options.maxP95LatencyMs), data: options.data, label: options.label },
    metrics: { ...metrics, gate_passed: passed ? 1 : 0 },
    tags: { 'cairn.gate': passed ? 'passed' : 'failed', 'cairn.gate.model': options.model },
  });
  let promoted: string | null = null;
  if (passed && options.promote && candidate.version) {
    await moveAlias(server, options.model, options.promote.replace(/^@/, ''), candidate.version);
    promoted = options.promote.replace(/^@/, '');
  }
  return { model: options.model, metric: options.metric, candidate, champion, rules, passed, runId, promoted };
}

async function signatureRule(client: TrackingClient, options: GateOptions): Promise<GateRule> {
  try {
    const [before, after] = await Promise.all([signatureOfVersion(client, options.model, sigRef(options.champion)), signatureOfVersion(client, options.model, sigRef(options.candidate))]);
    const diff = diffSignatures(before.signature, after.signature);
    const breaking = diff.changes.filter((c) => c.breaks).map((c) => `${c.side} ${c.name} ${c.change}: ${c.breaks}`);
    const notes = diff.notes.map((n) => n.text);
    const detail = diff.compatible === true ? 'callers of the champion can call the candidate unchanged' : [...breaking, ...notes].join('; ') || 'unknown';
    return { rule: 'signature compatible with the champion', passed: diff.compatible === true, detail };
  } catch (error) {
    return { rule: 'signature compatible with the champion', passed: false, detail: (error as Error).message };
  }
}

/** The report as a table: one line per rule, then the verdict. */
export function formatGateReport(report: GateReport): string {
  const width = Math.max(4, ...report.rules.map((r) => r.rule.length));
  const lines = [`Gate for ${report.model}: candidate ${report.candidate.ref} (version ${report.candidate.version ?? '?'}) vs champion ${report.champion.ref} (version ${report.champion.version ?? '?'})`, '', `${'RULE'.padEnd(width)}  RESULT  DETAIL`];
  for (const r of report.rules) lines.push(`${r.rule.padEnd(width)}  ${r.passed ? 'pass  ' : 'FAIL  '}  ${r.detail}`);
  lines.push('', `evaluation run: ${report.runId}`);
  lines.push(report.passed ? `PASSED${report.promoted ? `: alias '${report.promoted}' now points to version ${report.candidate.version}` : ''}` : `FAILED: ${report.rules.filter((r) => !r.passed).length} of ${report.rules.length} rules`);
  return `${lines.join('\n')}\n`;
}
