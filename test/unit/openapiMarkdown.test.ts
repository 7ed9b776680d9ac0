/**
 * Issue 13, item 4: descriptions in the OpenAPI document are Markdown, and the API reference renders them
 * so. A name with underscores written bare (`client_id`, `GATEWAY_MAX_BODY_BYTES`) can be taken for
 * emphasis by a Markdown renderer (`client_id … request_id` → client<em>id … request</em>id): every such
 * name is a code span.
 */
import { expect, test } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapiDocument.ts';

/** Every `description` and `summary` of a document, with where it is. */
function texts(node: unknown, path = ''): [string, string][] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => [
    ...((key === 'description' || key === 'summary') && typeof value === 'string'
      ? [[`${path}/${key}`, value] as [string, string]]
      : []),
    ...texts(value, `${path}/${key}`),
  ]);
}

test('names with underscores in descriptions are code spans', () => {
  const all = texts(buildOpenApiDocument());
  expect(all.length).toBeGreaterThan(100);
  const bare = all.flatMap(([where, text]) => {
    const outsideCode = text.split(/`[^`]*`/).join(' ');
    const names = outsideCode.match(/[A-Za-z0-9]*_[A-Za-z0-9_]*/g) ?? [];
    return names.map((name) => `${where}: ${name}`);
  });
  expect(bare).toEqual([]);
});

test('no stray emphasis markers outside code spans', () => {
  const stray = texts(buildOpenApiDocument()).filter(([, text]) => {
    const outsideCode = text.split(/`[^`]*`/).join(' ');
    // A lone `*` after a slash (`/api/internal/*`) is a path wildcard; any other `*` or `_` pair could emphasise.
    return /(^|[^/])\*|\b_|_\b/.test(outsideCode);
  });
  expect(stray).toEqual([]);
});
