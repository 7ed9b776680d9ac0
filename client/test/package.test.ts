/**
 * The package as a consumer gets it: the generated REST types match the committed OpenAPI document,
 * and the ESM build (with declarations) loads in plain Node, without tsx or a bundler.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
/** Resolved from the client package, as its npm scripts resolve their binaries. */
const requireFromClient = createRequire(join(clientDir, 'package.json'));

function binOf(packageName: string, bin: string): string {
  const manifestPath = requireFromClient.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(requireFromClient('node:fs').readFileSync(manifestPath, 'utf8')) as {
    bin: Record<string, string>;
  };
  return join(manifestPath, '..', manifest.bin[bin]!);
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function scratchDir(): Promise<string> {
  // Inside client/node_modules: ignored by git, and bare imports of the output resolve from there.
  const base = join(clientDir, 'node_modules', '.cache');
  await run('mkdir', ['-p', base]);
  const dir = await mkdtemp(join(base, 'package-test-'));
  scratch.push(dir);
  return dir;
}

test('src/generated/openapi.ts is what openapi-typescript makes of openapi/openapi.json (else: npm run generate -w client)', async () => {
  const dir = await scratchDir();
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
    {
      cwd: clientDir,
    },
  );
  const fresh = await readFile(output, 'utf8');
  const committed = await readFile(join(clientDir, 'src/generated/openapi.ts'), 'utf8');
  expect(committed).toBe(fresh);
}, 30_000);

test('the ESM build with declarations loads in plain Node', async () => {
  const dir = await scratchDir();
  await run(process.execPath, [binOf('typescript', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dir], {
    cwd: clientDir,
  });
  const entry = join(dir, 'client/src/index.js');
  const declarations = await readFile(join(dir, 'client/src/index.d.ts'), 'utf8');
  expect(declarations).toContain('GatewayClient');
  const { stdout } = await run(process.execPath, [
    '--input-type=module',
    '-e',
    `const m = await import(${JSON.stringify(pathToFileURL(entry).href)});
     const client = new m.GatewayClient({ baseUrl: 'http://127.0.0.1:9' });
     console.log(JSON.stringify({ exports: Object.keys(m).sort(), status: client.status }));`,
  ]);
  const loaded = JSON.parse(stdout) as { exports: string[]; status: string };
  expect(loaded.exports).toEqual(
    expect.arrayContaining([
      'GatewayClient',
      'GatewayEventStream',
      'createRestClient',
      'createTrpcClient',
      'FrameByEvent',
    ]),
  );
  expect(loaded.status).toBe('idle');
}, 60_000);
