import { describe, expect, test } from 'vitest';
import { DEFAULT_LIFECYCLE_EVENTS, executionIdFromSubject, parseLifecycleEvent } from './lifecycleEvent.ts';

const options = (prefix = 'noetl.events.') => ({
  prefix,
  allowedEvents: new Set(DEFAULT_LIFECYCLE_EVENTS),
  now: () => new Date('2026-05-27T15:00:00.000Z'),
});

describe('execution id from the subject', () => {
  test.each([
    ['noetl.events.tenant1.org1.exec-1.0', 'exec-1'],
    ['noetl.events.none.none.635758340626186455.7', '635758340626186455'],
    ['noetl.events.default.default.636124154944553085.0', '636124154944553085'],
    ['noetl.events.t.o', undefined],
    ['noetl.events.t', undefined],
    ['noetl.events.', undefined],
    ['noetl.events.t.o..0', undefined],
    ['noetl.events.playbook.completed', undefined],
    ['other.events.t.o.exec-1.0', undefined],
  ])('%s → %s', (subject, id) => {
    expect(executionIdFromSubject(subject, 'noetl.events.', 'playbook.completed')).toBe(id);
  });

  test('legacy layout playbooks.executions.<id>.<step>.<event>', () => {
    expect(executionIdFromSubject('playbooks.executions.exec-9.render.exit', 'playbooks.executions.')).toBe(
      'exec-9',
    );
  });
});

describe('payloads', () => {
  test('step.exit with the id from the subject (reference pinned example)', () => {
    const parsed = parseLifecycleEvent(
      'noetl.events.tenant1.org1.exec-1.0',
      JSON.stringify({
        event_type: 'step.exit',
        step_name: 'render_widget_chat',
        status: 'completed',
        at: '2026-05-24T17:00:00Z',
      }),
      options(),
    );
    expect(parsed).toEqual({
      ok: true,
      params: {
        at: '2026-05-24T17:00:00Z',
        event_type: 'step.exit',
        execution_id: 'exec-1',
        status: 'completed',
        step_name: 'render_widget_chat',
      },
    });
  });

  test('Python envelope: numeric execution_id beyond 2^53 kept exact, node_name as step, created_at as at', () => {
    const payload =
      '{"event_id": 1, "execution_id": 636124154944553085, "event_type": "playbook.completed", "node_name": "end", "status": "COMPLETED", "created_at": "2026-05-27 15:00:00.123456+00:00"}';
    const parsed = parseLifecycleEvent(
      'noetl.events.default.default.636124154944553085.0',
      payload,
      options(),
    );
    expect(parsed).toEqual({
      ok: true,
      params: {
        at: '2026-05-27 15:00:00.123456+00:00',
        event_type: 'playbook.completed',
        execution_id: '636124154944553085',
        status: 'COMPLETED',
        step_name: 'end',
      },
    });
  });

  test('Rust layout: id only in the payload, as a number', () => {
    const parsed = parseLifecycleEvent(
      'noetl.events.playbook.failed',
      '{"execution_id": 42, "event_type": "playbook.failed"}',
      options(),
    );
    expect(parsed).toMatchObject({
      ok: true,
      params: { execution_id: '42', status: 'failed', step_name: null, at: '2026-05-27T15:00:00.000+00:00' },
    });
  });

  test('payload id wins over the subject; type/name are fallbacks for event_type', () => {
    const parsed = parseLifecycleEvent(
      'noetl.events.t.o.subject-id.0',
      '{"executionId": "payload-id", "type": "calendar.event.touched"}',
      options(),
    );
    expect(parsed).toMatchObject({
      ok: true,
      params: { execution_id: 'payload-id', event_type: 'calendar.event.touched', status: 'running' },
    });
  });

  test('events outside the allow-list, malformed payloads and missing ids are skipped with a reason', () => {
    expect(parseLifecycleEvent('noetl.events.t.o.e.0', '{"event_type": "step.started"}', options())).toEqual({
      ok: false,
      reason: 'filtered',
    });
    expect(parseLifecycleEvent('noetl.events.t.o.e.0', 'not json', options())).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(parseLifecycleEvent('noetl.events.t.o.e.0', '[1]', options())).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(parseLifecycleEvent('noetl.events.t.o', '{"event_type": "step.exit"}', options())).toEqual({
      ok: false,
      reason: 'no_execution_id',
    });
    expect(parseLifecycleEvent('noetl.events.t.o.e.0', '{"event_type": "   "}', options())).toEqual({
      ok: false,
      reason: 'filtered',
    });
  });
});
