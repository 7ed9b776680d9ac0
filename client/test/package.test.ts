/**
 * The packages as an adopter gets them. `npm pack` builds @noetl/gateway-contract and @noetl/gateway-client
 * (prepack); each tarball holds its own compiled code only and declares every package it imports. Installed
 * into a scratch project outside the repository (offline, see support/scratchProject.ts), they typecheck
 * an example (TypeScript 7 and 5.9, library declarations checked too), run login → executeAndWait in plain
 * Node against a live gateway in front of the NoETL double, and bundle for browsers within the budget.
 * The generated REST types match the committed OpenAPI document.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../../test/support/stack.ts';
import { installScratch, type Manifest, manifestOf } from './support/scratchProject.ts';

const run = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
const contractDir = fileURLToPath(new URL('../../src/contract/', import.meta.url));
const consumerDir = fileURLToPath(new URL('./consumer/', import.meta.url));
/** Resolved from the client package, as its npm scripts resolve their binaries. */
const requireFromClient = createRequire(join(clientDir, 'package.json'));
/** The browser budget of a page that logs in, opens the stream and runs executeAndWait. */
const BUNDLE_BUDGET_GZIP_BYTES = 40 * 1024;

function binOf(packageName: string, bin: string, from: NodeJS.Require = requireFromClient): string {
  const manifestPath = from.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(from('node:fs').readFileSync(manifestPath, 'utf8')) as {
    bin: Record<string, string>;
  };
  return join(manifestPath, '..', manifest.bin[bin]!);
}

/** TypeScript 7 (the repository's) and 5.9 (the client workspace's, as many applications still use). */
const compilers = {
  'TypeScript 7': binOf('typescript', 'tsc', createRequire(import.meta.url)),
  'TypeScript 5.9': binOf('typescript', 'tsc'),
};

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

test('src/generated/openapi.ts is what openapi-typescript makes of openapi/openapi.json (else: npm run generate -w client)', async () => {
  const dir = await scratchDir('openapi-types-');
  const output = join(dir, 'openapi.ts');
  await run(
    process.execPath,
    [
      binOf('openapi-typescript', 'openapi-typescript'),
      '../openapi/openapi.json',
      '--default-non-nullable',
      'false',
      '--output',
      output,
    ],
    { cwd: clientDir },
  );
  const fresh = await readFile(output, 'utf8');
  const committed = await readFile(join(clientDir, 'src/generated/openapi.ts'), 'utf8');
  expect(committed).toBe(fresh);
}, 30_000);

interface Packed {
  tarball: string;
  manifest: Manifest;
  files: string[];
}

/** `npm pack` (prepack builds dist/), into `destination`. */
async function pack(packageDir: string, destination: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: packageDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = join(destination, result!.filename);
  return { tarball, manifest: await manifestOf(tarball), files: result!.files.map((file) => file.path) };
}

/** Every bare specifier a built file imports, as the package name it belongs to. */
function importedPackages(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map(
    (match) => match[1]!,
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

describe('packed, then installed in a scratch project', () => {
  let stack: Stack;
  let tarballs: Packed[];
  let project: string;

  beforeAll(async () => {
    const destination = await scratchDir('gateway-tarballs-');
    // The client's prepack builds the contract first (its declarations are what the client compiles against).
    const contract = await pack(contractDir, destination);
    const client = await pack(clientDir, destination);
    tarballs = [contract, client];
    project = await scratchDir('gateway-adopter-');
    await installScratch(project, [contract.tarball, client.tarball]);
    for (const file of ['example.ts', 'trpcExample.ts'])
      await copyFile(join(consumerDir, file), join(project, file));
    stack = await startStack({}, { autoCompleteMs: 300 });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('each tarball holds its own compiled code, exports with types, LICENSE and repository', () => {
    for (const { manifest, files } of tarballs) {
      expect(files).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js']),
      );
      for (const file of files)
        expect(file).toMatch(/^(LICENSE|README\.md|package\.json|dist\/.+\.(js|d\.ts))$/);
      expect(manifest).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\//) },
        types: './dist/index.d.ts',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      });
    }
    const [contract, client] = tarballs as [Packed, Packed];
    // No gateway server code reaches the client: its files are its own modules.
    expect(client.files.filter((file) => /\/(api|core|http|adapters|contract)\//.test(file))).toEqual([]);
    expect(client.files.length).toBeLessThan(40);
    expect(contract.files).toContain('dist/frames.js');
  });

  test('every package a built file imports is declared (dependencies, or an optional peer for the tRPC subpath)', async () => {
    for (const { manifest } of tarballs) {
      const root = join(project, 'node_modules', manifest.name, 'dist');
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const imported = new Set<string>();
      for (const file of await readdir(root, { recursive: true })) {
        if (!/\.(js|d\.ts)$/.test(file)) continue;
        for (const name of importedPackages(await readFile(join(root, file), 'utf8'))) imported.add(name);
      }
      expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
      expect(imported.size).toBeGreaterThan(0);
    }
    const client = tarballs[1]!.manifest;
    expect(Object.keys(client.dependencies ?? {}).sort()).toEqual([
      '@noetl/gateway-contract',
      'eventsource',
      'openapi-fetch',
    ]);
    expect(client.peerDependenciesMeta).toEqual({
      '@trpc/client': { optional: true },
      '@trpc/server': { optional: true },
    });
  });

  test('an example typechecks against the installed declarations (no @types/node, skipLibCheck off)', async () => {
    await writeTsconfig(project, ['example.ts']);
    for (const [name, tsc] of Object.entries(compilers)) {
      const result = await run(process.execPath, [tsc, '-p', project]).catch((error: unknown) => error);
      expect(result, `${name}: ${JSON.stringify(result)}`).toMatchObject({ stdout: '' });
    }
  }, 60_000);

  test('login → executeAndWait in plain Node, against the gateway in front of the NoETL double', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { loginAndRun } = await import('./example.ts');
         console.log(JSON.stringify(await loginAndRun(process.argv[1], 'valid-ann', 'demo/hello')));`,
        stack.url,
      ],
      { cwd: project },
    );
    const summary = JSON.parse(stdout) as { user: string; status: string; data: unknown; progress: string[] };
    expect(summary).toMatchObject({ user: 'ann@example.com', status: 'COMPLETED' });
    expect(JSON.stringify(summary.data)).toContain('from the packed client');
    expect(summary.progress.length).toBeGreaterThan(0);
  }, 30_000);

  test(`a browser bundle of login + stream + executeAndWait is at most ${BUNDLE_BUDGET_GZIP_BYTES / 1024} KB gzipped`, async () => {
    const outDir = join(project, 'bundle');
    await build({
      root: project,
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        rollupOptions: { input: join(project, 'example.ts'), preserveEntrySignatures: 'exports-only' },
      },
    });
    let minified = 0;
    let gzipped = 0;
    for (const file of await readdir(outDir, { recursive: true })) {
      if (!file.endsWith('.js')) continue;
      const code = await readFile(join(outDir, file));
      minified += code.length;
      gzipped += gzipSync(code, { level: 9 }).length;
    }
    console.info(`browser bundle: ${minified} bytes minified, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeGreaterThan(5_000);
    expect(gzipped).toBeLessThanOrEqual(BUNDLE_BUDGET_GZIP_BYTES);
  }, 60_000);

  test('the tRPC subpath once @trpc/client and @trpc/server are installed: typechecks and calls /trpc', async () => {
    const withTrpc = await scratchDir('gateway-adopter-trpc-');
    await installScratch(
      withTrpc,
      tarballs.map((packed) => packed.tarball),
      ['@trpc/client@11.25.2', '@trpc/server@11.25.2', 'typescript@5.9.3'],
    );
    await copyFile(join(consumerDir, 'trpcExample.ts'), join(withTrpc, 'trpcExample.ts'));
    await writeTsconfig(withTrpc, ['trpcExample.ts']);
    // The project's own compiler (5.9.3, the peer @trpc asks for), then the repository's.
    for (const tsc of [
      binOf('typescript', 'tsc', createRequire(join(withTrpc, 'package.json'))),
      compilers['TypeScript 7'],
    ]) {
      const result = await run(process.execPath, [tsc, '-p', withTrpc]).catch((error: unknown) => error);
      expect(result, JSON.stringify(result)).toMatchObject({ stdout: '' });
    }
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { trpcCalls } = await import('./trpcExample.ts');
         console.log(JSON.stringify(await trpcCalls(process.argv[1], 'valid-ann')));`,
        stack.url,
      ],
      { cwd: withTrpc },
    );
    const answer = JSON.parse(stdout) as { routes: string[]; valid: boolean };
    expect(answer.valid).toBe(true);
    expect(answer.routes).toContain('POST /api/auth/login');
  }, 90_000);
});

async function writeTsconfig(dir: string, files: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  };
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
}
