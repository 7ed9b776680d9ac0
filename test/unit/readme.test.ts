import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { README, readmeWithTable } from '../../scripts/config-table.ts';

test('README configuration table matches src/config.ts (run `npm run docs:config`)', () => {
  const readme = readFileSync(README, 'utf8');
  expect(readme).toBe(readmeWithTable(readme));
});

test('README starts with the two commands', () => {
  const readme = readFileSync(README, 'utf8');
  const head = readme.slice(0, 600);
  expect(head).toContain('npm ci && npm start');
  expect(head).toContain('npm test');
});
