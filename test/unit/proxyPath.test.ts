import { expect, test } from 'vitest';
import { parseProxyPath } from '../../src/http/proxy/proxyPath.ts';

test.each([
  ['/executions/1', 'executions/1', ''],
  ['/executions/1?page=2&page_size=100', 'executions/1', '?page=2&page_size=100'],
  ['/catalog/a%20b/ui_schema', 'catalog/a%20b/ui_schema', ''],
  ['/catalog/list/', 'catalog/list/', ''],
  ['/file.v1..json', 'file.v1..json', ''],
  ['/a/...', 'a/...', ''],
  ['/q?path=../../etc', 'q', '?path=../../etc'],
  ['/a%3Fb', 'a%3Fb', ''],
])('%s → <rest> %s, query %s, still encoded', (tail, rest, query) => {
  expect(parseProxyPath(tail)).toEqual({ ok: true, rest, query });
});

test.each([
  '/..',
  '/../admin',
  '/a/../../etc/passwd',
  '/a/./b',
  '/%2e%2e/admin',
  '/%2E%2E/admin',
  '/.%2e/admin',
  '/%252e%252e/admin',
  '/a%2fb',
  '/a%2F..%2Fb',
  '/a%5cb',
  '/a\\..\\b',
  '/a\\b',
  '/a%00b',
  '/a%zz',
])('%s → 400', (tail) => {
  expect(parseProxyPath(tail)).toMatchObject({ ok: false, status: 400 });
});

test.each(['', '/', '?x=1', '/?x=1'])('%j (nothing after /noetl/) → 404', (tail) => {
  expect(parseProxyPath(tail)).toMatchObject({ ok: false, status: 404 });
});
