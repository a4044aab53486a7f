/**
 * After a run: advance every rule of the monitor, record the firings and resolutions as alert
 * events, and notify the rule's channels. The monitor's lease guarantees one runner, so the state
 * read here is not changed by another replica meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { deleteAlertStatesExcept, insertAlertEvent, selectAlertStates, updateAlertDeliveries, upsertAlertState } from '../../store/monitoring/alerts.js';
import { sendToChannel, type AlertEvent, type ChannelOutcome, type ChannelSpec } from './channels.js';
import type { DeliveryOptions } from './deliver.js';
import { advanceRule, evaluateRule, type AlertRule, type OutputPoint } from './rules.js';

/** What happened to one rule in this run. */
export interface RuleOutcome {
  rule: string;
  breached: boolean;
  value: number | null;
  firing: boolean;
  consecutive: number;
  transition: 'firing' | 'resolved' | null;
  deliveries?: ChannelOutcome[];
}

/**
 * Advance the rules with one run's outputs; returns each rule's outcome. With `keepUnseen`, a rule
 * whose metric has no value in this run keeps its state (a window with no rows is no evidence that
 * drift went away).
 */
export async function evaluateAlerts(
  db: Db,
  run: { monitor: string; runId: string; time: number },
  rules: readonly AlertRule[],
  channels: readonly ChannelSpec[],
  points: readonly OutputPoint[],
  delivery: DeliveryOptions,
  options: { keepUnseen?: boolean } = {},
): Promise<RuleOutcome[]> {
  await deleteAlertStatesExcept(db.kysely, run.monitor, rules.map((r) => r.name));
  const states = new Map((await selectAlertStates(db.kysely, run.monitor)).map((s) => [s.rule, s]));
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const seen = evaluateRule(rule, points);
    const before = states.get(rule.name);
    const previous = { consecutive: before?.consecutive ?? 0, firing: before?.firing === 1, since: before?.since ?? null };
    if (options.keepUnseen && seen.value === null) {
      outcomes.push({ rule: rule.name, breached: false, value: null, firing: previous.firing, consecutive: previous.consecutive, transition: null });
      continue;
    }
    const { state, transition } = advanceRule(previous, seen.breached, rule.for, run.time);
    await upsertAlertState(db.kysely, { monitor: run.monitor, rule: rule.name, consecutive: state.consecutive, firing: state.firing ? 1 : 0, since: state.since, last_value: seen.value, updated_at: run.time });
    const outcome: RuleOutcome = { rule: rule.name, breached: seen.breached, value: seen.value, firing: state.firing, consecutive: state.consecutive, transition };
    if (transition) {
      const event: AlertEvent = {
        eventId: randomUUID().replaceAll('-', ''), monitor: run.monitor, rule: rule.name, state: transition, metric: rule.metric,
        column: seen.column, comparator: rule.comparator, threshold: rule.threshold, value: seen.value, runId: run.runId, time: run.time,
      };
      // The event is stored before delivery, so history shows it even if every channel is down.
      await insertAlertEvent(db.kysely, { event_id: event.eventId, monitor: event.monitor, rule: event.rule, state: event.state, metric: event.metric, column_name: event.column, comparator: event.comparator, threshold: event.threshold, value: event.value, run_id: event.runId, time: event.time, deliveries: '[]' });
      const targets = channels.filter((c) => rule.channels.includes(c.name));
      outcome.deliveries = await Promise.all(targets.map((c) => sendToChannel(db, c, event, delivery)));
      await updateAlertDeliveries(db.kysely, event.eventId, JSON.stringify(outcome.deliveries));
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
