import { describe, expect, test } from 'vitest';
import { parseApiEndpoint, parseProxyPath } from './noetlPath.ts';

describe('parseProxyPath (/noetl/*)', () => {
  test.each([
    ['/executions/1', 'executions/1', ''],
    ['/executions/1?page=2&page_size=100', 'executions/1', '?page=2&page_size=100'],
    ['/catalog/a%20b/ui_schema', 'catalog/a%20b/ui_schema', ''],
    ['/catalog/list/', 'catalog/list/', ''],
    ['/file.v1..json', 'file.v1..json', ''],
    ['/a/...', 'a/...', ''],
    ['/a/.b/..c/c..', 'a/.b/..c/c..', ''],
    ['/q?path=../../etc', 'q', '?path=../../etc'],
    ['/q?path=%2e%2e%2f%5c', 'q', '?path=%2e%2e%2f%5c'],
    ['/a%3Fb', 'a%3Fb', ''],
    ['/a%252541', 'a%252541', ''],
    ['/caf%C3%A9', 'caf%C3%A9', ''],
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
    // Decoded until nothing changes, not a fixed number of rounds.
    '/%2525252e%2525252e/admin',
    '/%25252525252525252e%25252525252525252e/admin',
    '/a%2525252fb',
    '/a%2fb',
    '/a%2F..%2Fb',
    '/a%5cb',
    '/a%255cb',
    '/a\\..\\b',
    '/a\\b',
    '/a%00b',
    '/a%09b',
    '/a%0a..',
    '/a%0Db',
    '/a%1fb',
    '/a%7fb',
    '/a%25097fb',
    '/a\tb',
    '/.\t./admin',
    '/.\n./x',
    '/a\u007fb',
    '/a#b',
    '/a%23b',
    '/%20..%20/admin',
    '/a%zz',
    '/a%2',
    '/a%25',
    '/a%ff',
    '/%c0%ae%c0%ae/admin',
    '/q?x=\n',
  ])('%j → 400', (tail) => {
    expect(parseProxyPath(tail)).toMatchObject({ ok: false, status: 400 });
  });

  test.each(['', '/', '?x=1', '/?x=1'])('%j (nothing after /noetl/) → 404', (tail) => {
    expect(parseProxyPath(tail)).toMatchObject({ ok: false, status: 404 });
  });
});

describe('parseApiEndpoint (GraphQL proxyRequest)', () => {
  test.each([
    ['/api/catalog/list', 'catalog/list', ''],
    ['/api/executions/1/status?x=1', 'executions/1/status', '?x=1'],
    ['/api/catalog/a b', 'catalog/a b', ''],
  ])('%s → <rest> %s, query %s', (endpoint, rest, query) => {
    expect(parseApiEndpoint(endpoint)).toEqual({ ok: true, rest, query });
  });

  test.each([
    '/api/..\\admin\\secret',
    '/api/.\t./admin',
    '/api/.\n./x',
    '/api/.\r./x',
    '/api/../admin',
    '/api/x/..',
    '/api/x/.. ',
    '/api/x/. ',
    '/api/%2525252e%2525252e/admin',
    '/api/x#/../../admin',
    '/api/x?y#z',
    '/api/',
    '/api',
    '/admin',
    '/apiary/x',
    'api/x',
  ])('%j refused', (endpoint) => {
    expect(parseApiEndpoint(endpoint)).toMatchObject({ ok: false, status: 400 });
  });
});
