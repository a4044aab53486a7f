/** Alerts on monitor outputs: rules with N-window persistence, webhook/Slack/retrain channels, signed delivery. */
export { COMPARATORS, advanceRule, breaches, evaluateRule } from './rules.js';
export type { AlertRule, Comparator, OutputPoint, RuleState } from './rules.js';
export { sendToChannel, slackText, webhookBody } from './channels.js';
export type { AlertEvent, ChannelOutcome, ChannelSpec } from './channels.js';
export { postJson, DELIVERY_DEFAULTS } from './deliver.js';
export type { DeliveryOptions, DeliveryResult } from './deliver.js';
export { signatureHeader, verifySignature } from './sign.js';
export { evaluateAlerts } from './evaluate.js';
