/**
 * Where alert notifications go: a generic webhook (JSON, HMAC-signed when it has a secret), a
 * Slack-compatible incoming webhook (`{"text": ...}`), or a retrain trigger row that the pipelines
 * capability consumes. Each event carries an id, so a receiver can drop a redelivered one.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { insertRetrainTrigger } from '../../store/monitoring/alerts.js';
import { postJson, type DeliveryOptions, type DeliveryResult } from './deliver.js';
import type { Comparator } from './rules.js';
import { signatureHeader } from './sign.js';

/** A notification channel of a monitor. */
export type ChannelSpec =
  | { name: string; type: 'webhook'; url: string; secret?: string | undefined }
  | { name: string; type: 'slack'; url: string }
  | { name: string; type: 'retrain'; model?: string | undefined; deployment?: string | undefined };

/** A firing or a resolution of one rule. */
export interface AlertEvent {
  eventId: string;
  monitor: string;
  rule: string;
  state: 'firing' | 'resolved';
  metric: string;
  column: string;
  comparator: Comparator;
  threshold: number;
  value: number | null;
  runId: string;
  time: number;
}

/** What a channel did with an event. */
export type ChannelOutcome = (DeliveryResult & { channel: string; type: ChannelSpec['type'] }) | { channel: string; type: 'retrain'; ok: true; triggerId: string } | { channel: string; type: ChannelSpec['type']; ok: false; error: string };

/** The JSON body of a generic webhook. */
export function webhookBody(event: AlertEvent): Record<string, unknown> {
  return {
    type: 'cairn.alert',
    event_id: event.eventId,
    state: event.state,
    monitor: event.monitor,
    rule: event.rule,
    metric: event.metric,
    column: event.column === '' ? null : event.column,
    comparator: event.comparator,
    threshold: event.threshold,
    value: event.value,
    run_id: event.runId,
    time: new Date(event.time).toISOString(),
  };
}

/** One line a person reads in Slack. */
export function slackText(event: AlertEvent): string {
  const what = event.column ? `${event.metric} of ${event.column}` : event.metric;
  const head = event.state === 'firing' ? 'FIRING' : 'RESOLVED';
  return `[${head}] monitor ${event.monitor}, rule ${event.rule}: ${what} = ${event.value ?? 'n/a'} (alert when ${event.comparator} ${event.threshold})`;
}

/** Send an event to one channel; never throws. */
export async function sendToChannel(db: Db, channel: ChannelSpec, event: AlertEvent, delivery: DeliveryOptions): Promise<ChannelOutcome> {
  const base = { channel: channel.name, type: channel.type };
  try {
    switch (channel.type) {
      case 'webhook': {
        const body = JSON.stringify(webhookBody(event));
        const headers: Record<string, string> = { 'x-cairn-event-id': event.eventId };
        if (channel.secret) headers['x-cairn-signature'] = signatureHeader(channel.secret, Math.floor(Date.now() / 1000), body);
        return { ...base, ...(await postJson(channel.url, body, headers, delivery)) };
      }
      case 'slack':
        return { ...base, ...(await postJson(channel.url, JSON.stringify({ text: slackText(event) }), {}, delivery)) };
      case 'retrain': {
        // A resolution needs no retraining; only a firing leaves work for the pipelines.
        if (event.state !== 'firing') return { ...base, ok: true, triggerId: '' } as ChannelOutcome;
        const triggerId = randomUUID().replaceAll('-', '');
        const payload = { ...webhookBody(event), model: channel.model ?? null, deployment: channel.deployment ?? null };
        await insertRetrainTrigger(db.kysely, { trigger_id: triggerId, monitor: event.monitor, rule: event.rule, run_id: event.runId, payload: JSON.stringify(payload), created_at: event.time, consumed_at: null });
        return { ...base, type: 'retrain', ok: true, triggerId };
      }
    }
  } catch (error) {
    return { ...base, ok: false, error: (error as Error).message };
  }
}
