/**
 * @module core/lifecycle/lifecycleEvent
 * A NoETL lifecycle event (subject + JSON payload) → the params of a `playbook/state` frame.
 *
 * Three subject layouts are in use (see clients-and-upstream.md §2.7):
 * - Python server: `<prefix>.<tenant>.<org>.<execution_id>.<shard>` — the id is the third token.
 * - Rust server:   `<prefix>.<event_type>` — no id in the subject, only in the payload.
 * - legacy:        `playbooks.executions.<execution_id>.<step>.<event>` — the id is the first token.
 * Both servers send `execution_id` as a JSON number: numbers are accepted (big ones arrive as exact
 * strings from the lossless parser), and the payload id wins over the subject.
 */
import type { PlaybookStateParams } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';

export const DEFAULT_LIFECYCLE_EVENTS = [
  'step.exit',
  'playbook.completed',
  'playbook.failed',
  'calendar.event.touched',
];

const LEGACY_PREFIX = 'playbooks.executions.';

export type LifecycleParse =
  | { ok: true; params: PlaybookStateParams }
  | { ok: false; reason: 'malformed' | 'filtered' | 'no_execution_id' };

function firstText(payload: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = payload[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function firstId(payload: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = payload[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  }
  return undefined;
}

/** The execution id a subject carries, if its layout has one. `prefix` ends with a dot. */
export function executionIdFromSubject(
  subject: string,
  prefix: string,
  eventType?: string,
): string | undefined {
  if (subject.startsWith(LEGACY_PREFIX)) {
    const token = subject.slice(LEGACY_PREFIX.length).split('.')[0];
    return token || undefined;
  }
  if (!subject.startsWith(prefix)) return undefined;
  const rest = subject.slice(prefix.length);
  if (eventType !== undefined && rest === eventType) return undefined; // Rust layout
  const tokens = rest.split('.');
  if (tokens.length !== 4) return undefined;
  return tokens[2] || undefined;
}

export function parseLifecycleEvent(
  subject: string,
  payload: string,
  options: { prefix: string; allowedEvents: ReadonlySet<string>; now: () => Date },
): LifecycleParse {
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(payload);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, reason: 'malformed' };
  const event = parsed as Record<string, unknown>;
  const eventType = firstText(event, ['event_type', 'type', 'name']);
  if (!eventType || !options.allowedEvents.has(eventType)) return { ok: false, reason: 'filtered' };
  const executionId =
    firstId(event, ['execution_id', 'executionId', 'id']) ??
    executionIdFromSubject(subject, options.prefix, eventType);
  if (!executionId) return { ok: false, reason: 'no_execution_id' };
  const derived =
    eventType === 'playbook.failed' ? 'failed' : eventType === 'playbook.completed' ? 'completed' : 'running';
  return {
    ok: true,
    params: {
      at:
        firstText(event, ['at', 'timestamp', 'created_at', 'createdAt']) ??
        options.now().toISOString().replace('Z', '+00:00'),
      event_type: eventType,
      execution_id: executionId,
      status: firstText(event, ['status']) ?? derived,
      step_name: firstText(event, ['step_name', 'stepName', 'node_name', 'nodeName', 'step']) ?? null,
    },
  };
}
