/**
 * Issue 13, item 7: the conventions a team adopting the project looks for, kept consistent. One Node major
 * everywhere it is named (engines of every package, `.nvmrc`, the `node` devDependency, the Dockerfile);
 * an MIT LICENSE as the packages declare; a CHANGELOG entry for the version the gateway reports; a
 * `.dockerignore` that keeps the build context small without dropping what the image needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const root = JSON.parse(read('package.json')) as {
  version: string;
  license: string;
  engines: { node: string };
  workspaces: string[];
  devDependencies: Record<string, string>;
};
const workspaces = root.workspaces.map(
  (path) => [path, JSON.parse(read(`${path}/package.json`))] as [string, typeof root],
);
const NODE_MAJOR = read('.nvmrc').trim();

describe('one Node major', () => {
  test('.nvmrc names a major', () => {
    expect(NODE_MAJOR).toMatch(/^\d+$/);
  });

  test('every package declares engines.node >= that major', () => {
    for (const [name, manifest] of [['(root)', root] as const, ...workspaces]) {
      expect(manifest.engines?.node, name).toBe(`>=${NODE_MAJOR}`);
    }
  });

  test('the node devDependency (what npm scripts run on) and the Dockerfile images are that major', () => {
    expect(root.devDependencies.node?.split('.')[0]).toBe(NODE_MAJOR);
    const images = [...read('Dockerfile').matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(new RegExp(`^node:${NODE_MAJOR}(-|$)`));
  });
});

test('MIT LICENSE, as every package declares', () => {
  expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4}/);
  for (const [name, manifest] of [['(root)', root] as const, ...workspaces]) {
    expect(manifest.license, name).toBe('MIT');
  }
});

test('CHANGELOG: Keep a Changelog, with an entry for the version the gateway reports', () => {
  const changelog = read('CHANGELOG.md');
  expect(changelog).toContain('## [Unreleased]');
  expect(changelog).toMatch(
    new RegExp(`^## \\[${root.version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
  );
  const versions = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map((match) => match[1]);
  expect(versions[0], 'the newest entry comes first').toBe(root.version);
});

test('.dockerignore: no dependencies, builds or history in the context; what the image copies stays', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const excluded of ['.git', 'node_modules', '**/node_modules', 'dist', 'test', 'bench']) {
    expect(patterns, excluded).toContain(excluded);
  }
  // Each path the Dockerfile copies from the context exists and no pattern drops it.
  const copied = [...read('Dockerfile').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) =>
    (match[1] ?? '').split(/\s+/),
  );
  expect(copied).toEqual(expect.arrayContaining(['package.json', '.npmrc', 'src', 'vendor']));
  for (const path of copied) {
    expect(existsSync(new URL(`../../${path}`, import.meta.url)), path).toBe(true);
    expect(patterns, path).not.toContain(path);
    expect(patterns, path).not.toContain(path.split('/')[0]);
  }
});
