/**
 * Issue 13: the OpenAPI document is good to read. Redocly's `recommended` ruleset finds nothing in the
 * committed openapi/openapi.json, not even a warning (it also checks every example against its schema),
 * and the document has what a reader looks for: an example for every request body and success answer, one
 * per error code, declared tags, a contact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(root, 'openapi/openapi.json');
const scratch = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer: string }[];
}

/** `redocly lint --extends=recommended` on a file: every problem, errors and warnings alike. */
function lint(file: string): Problem[] {
  const result = spawnSync(
    join(root, 'node_modules/.bin/redocly'),
    ['lint', '--extends=recommended', '--format=json', file],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 60_000,
      // No telemetry, no update check: the linter makes no request outside this machine.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  expect(result.error).toBeUndefined();
  const report = JSON.parse(result.stdout) as { problems: Problem[] };
  return report.problems;
}

const where = (problems: Problem[]) =>
  problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);

type Operation = {
  tags?: string[];
  requestBody?: { content: Record<string, { example?: unknown; examples?: object }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; examples?: object }> }>;
};
const document = JSON.parse(readFileSync(committed, 'utf8')) as {
  info: { contact?: { url?: string } };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const),
);

test('redocly lint (recommended) reports no error and no warning on the committed document', () => {
  expect(where(lint(committed))).toEqual([]);
}, 30_000);

test('the lint can fail: an example that does not fit its schema is reported', () => {
  const broken = structuredClone(document) as unknown as {
    paths: { '/health': { get: { responses: { 200: { content: { 'text/plain': { example: string } } } } } } };
  };
  broken.paths['/health'].get.responses[200].content['text/plain'].example = 'not ok';
  const file = join(scratch, 'broken.json');
  writeFileSync(file, JSON.stringify(broken));
  expect(lint(file).map((p) => p.ruleId)).toContain('no-invalid-media-type-examples');
}, 30_000);

test('every request body and every answer with a body has an example', () => {
  const missing: string[] = [];
  const hasExample = (media: { example?: unknown; examples?: object }) =>
    media.example !== undefined || Object.keys(media.examples ?? {}).length > 0;
  for (const [name, operation] of operations) {
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
      if (!hasExample(media)) missing.push(`${name} request ${type}`);
    for (const [status, response] of Object.entries(operation.responses)) {
      // A relaying route's `default` and error answers may be anything the other server says.
      if (status === 'default') continue;
      for (const [type, media] of Object.entries(response.content ?? {}))
        if (!hasExample(media) && type !== '*/*') missing.push(`${name} ${status} ${type}`);
    }
  }
  expect(missing).toEqual([]);
});

test('every tag is declared with a description, and the document says whom to contact', () => {
  const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
  const used = new Set(operations.flatMap(([, operation]) => operation.tags ?? []));
  for (const tag of used) expect(declared.get(tag), tag).toBeTruthy();
  expect([...declared.keys()].sort()).toEqual([...used].sort());
  expect(document.info.contact?.url).toMatch(/^https:\/\//);
});
