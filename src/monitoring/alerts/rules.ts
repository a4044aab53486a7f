/**
 * Alert rules: a comparator and a threshold on one monitor output, breached for N consecutive
 * windows before the alert fires; it resolves on the first window that is not breached. Only the
 * two transitions notify, so a rule that stays firing sends nothing more (de-duplication).
 */

/** How a value is compared with the threshold. */
export const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** One rule of a monitor. */
export interface AlertRule {
  name: string;
  /** A monitor output: drift_score, drift_detected, dataset_drift_share, accuracy, disparity_ratio, ... */
  metric: string;
  /** The column, metric (for disparity_*) or segment the value is about; omitted: any of them breaches. */
  column?: string | undefined;
  comparator: Comparator;
  threshold: number;
  /** Consecutive breached windows before the alert fires (default 1). */
  for: number;
  /** Channel names to notify. */
  channels: readonly string[];
}

/** A monitor output of one run. */
export interface OutputPoint {
  metric: string;
  column: string;
  value: number;
}

/** Whether a value breaches the rule. */
export function breaches(comparator: Comparator, value: number, threshold: number): boolean {
  switch (comparator) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}

/** What a rule sees in one run: breached or not, and the value that decided it (null when the run has no such output). */
export function evaluateRule(rule: AlertRule, points: readonly OutputPoint[]): { breached: boolean; value: number | null; column: string } {
  const candidates = points.filter((p) => p.metric === rule.metric && (rule.column === undefined || p.column === rule.column));
  if (candidates.length === 0) return { breached: false, value: null, column: rule.column ?? '' };
  const hit = candidates.find((p) => breaches(rule.comparator, p.value, rule.threshold));
  const shown = hit ?? candidates[0]!;
  return { breached: hit !== undefined, value: shown.value, column: shown.column };
}

/** A rule's state between runs. */
export interface RuleState {
  consecutive: number;
  firing: boolean;
  since: number | null;
}

/** The state after one more window, and the notification it calls for, if any. */
export function advanceRule(previous: RuleState, breached: boolean, forWindows: number, now: number): { state: RuleState; transition: 'firing' | 'resolved' | null } {
  if (!breached) {
    const state = { consecutive: 0, firing: false, since: null };
    return { state, transition: previous.firing ? 'resolved' : null };
  }
  const consecutive = previous.consecutive + 1;
  if (previous.firing) return { state: { consecutive, firing: true, since: previous.since }, transition: null };
  if (consecutive >= forWindows) return { state: { consecutive, firing: true, since: now }, transition: 'firing' };
  return { state: { consecutive, firing: false, since: null }, transition: null };
}
