import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapiDocument.ts';

test('openapi/openapi.json is what the code generates (run `npm run openapi` after changing a route)', () => {
  const committed = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));
  expect(buildOpenApiDocument()).toEqual(committed);
});

test('every REST route of the reference gateway and every SSE event is documented', () => {
  const document = buildOpenApiDocument();
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(operations).toEqual(
    expect.arrayContaining([
      'POST /api/auth/login',
      'POST /api/auth/validate',
      'POST /api/auth/check-access',
      'POST /api/internal/callback',
      'POST /api/internal/callback/async',
      'POST /api/internal/progress',
      'POST /api/playbooks/execute',
      'POST /api/playbooks/rerun',
      'GET /events',
      'POST /graphql',
      'GET /health',
    ]),
  );
  const stream = JSON.stringify(document.paths?.['/events']);
  for (const event of [
    'message',
    'ping',
    'playbook/result',
    'playbook/state',
    'playbook/progress',
    'subscription/event',
    'error',
  ]) {
    expect(stream).toContain(`"x-sse-event":"${event}"`);
  }
});
