/**
 * @module client/test/support/scratchProject
 * A project outside the repository that installs packed tarballs as an adopter would, but offline: its
 * lockfile takes every registry package from the repository's own lockfile (same version, URL and
 * integrity, so `npm ci --offline` finds each in npm's cache, where the repository's install left it) and
 * the tarballs by path and integrity.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoLockPath = new URL('../../../package-lock.json', import.meta.url);

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Manifest {
  name: string;
  version: string;
  license?: string;
  repository?: unknown;
  exports?: Record<string, unknown>;
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The package.json inside a tarball. */
export async function manifestOf(tarball: string): Promise<Manifest> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
  return JSON.parse(stdout) as Manifest;
}

/** A registry package as the repository's lockfile has it: hoisted, or the entry of an exact version. */
function entryOf(lock: Record<string, LockEntry>, name: string, version?: string): LockEntry {
  const hoisted = lock[`node_modules/${name}`];
  if (hoisted && (version === undefined || hoisted.version === version)) return hoisted;
  const nested = Object.entries(lock).find(
    ([path, entry]) => path.endsWith(`node_modules/${name}`) && entry.version === version,
  );
  if (!nested) throw new Error(`${name}${version ? `@${version}` : ''} is not in the repository's lockfile`);
  return nested[1];
}

/**
 * Writes package.json and package-lock.json into `dir` for the tarballs plus `extra` registry packages
 * (`name@version`), then runs `npm ci --offline`.
 */
export async function installScratch(dir: string, tarballs: string[], extra: string[] = []): Promise<void> {
  const repoLock = JSON.parse(await readFile(repoLockPath, 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const dependencies: Record<string, string> = {};
  const packages: Record<string, LockEntry | { name: string; dependencies: Record<string, string> }> = {
    '': { name: 'scratch', dependencies },
  };
  const wanted: { name: string; version?: string }[] = [];

  for (const tarball of tarballs) {
    const manifest = await manifestOf(tarball);
    const spec = `file:${relative(dir, tarball)}`;
    dependencies[manifest.name] = spec;
    packages[`node_modules/${manifest.name}`] = {
      version: manifest.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512')
        .update(await readFile(tarball))
        .digest('base64')}`,
      ...(manifest.license ? { license: manifest.license } : {}),
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.peerDependencies ? { peerDependencies: manifest.peerDependencies } : {}),
      ...(manifest.peerDependenciesMeta ? { peerDependenciesMeta: manifest.peerDependenciesMeta } : {}),
    };
    for (const name of Object.keys(manifest.dependencies ?? {})) wanted.push({ name });
  }
  for (const pinned of extra) {
    const at = pinned.lastIndexOf('@');
    const name = pinned.slice(0, at);
    const version = pinned.slice(at + 1);
    dependencies[name] = version;
    wanted.push({ name, version });
  }

  // Registry packages and what they need (dependencies and required peers), first come first kept.
  while (wanted.length > 0) {
    const { name, version } = wanted.shift()!;
    const path = `node_modules/${name}`;
    if (packages[path]) continue;
    const { dev, devOptional, peer, optional, ...entry } = entryOf(repoLock.packages, name, version);
    packages[path] = entry;
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (peerName) => !entry.peerDependenciesMeta?.[peerName]?.optional,
    );
    for (const next of [...Object.keys(entry.dependencies ?? {}), ...peers]) wanted.push({ name: next });
  }

  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  await writeFile(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'scratch', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
}
