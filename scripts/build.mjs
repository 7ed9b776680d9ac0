/**
 * `npm run build` (after `tsc` has type-checked the sources): the gateway bundled by esbuild into `dist/` —
 * `dist/main.js` (what `npm start`, the Dockerfile and the bench run) and `dist/chunks/`, the parts loaded
 * on first use (NATS, EHDB, GraphQL, tracing, push ingress's JWT code). `node scripts/build.mjs <dir>`
 * builds into another directory.
 *
 * Why a bundle (measured, README "Performance"): Node keeps every loaded module's source and parse data in
 * the heap; the ~700 files of the unbundled build cost ~9 MiB more idle RSS and twice the start time.
 * Whitespace and syntax are minified, names are not, so logged errors and stack traces stay readable (a
 * linked source map gives the original positions with `node --enable-source-maps`).
 * Not bundled: Firestore's SDK (loaded from node_modules when Firestore is on), undici (loaded by module
 * path, `src/lib/undici.ts`), and what Fastify requires only on demand and the gateway never asks for — its
 * JSON-schema compilers (routes validate with Zod; `http/pipeline.ts` gives Fastify its own compiler
 * factories) and light-my-request (`inject`). Bundled, their ~0.5 MB of source text stayed in memory for
 * nothing: idle RSS 80.2–83.2 → 79.3–79.7 MiB over 10 starts each. They stay resolvable from node_modules
 * (Fastify's own dependencies). CommonJS dependencies inside the bundle call `require`: the banner provides it.
 */
import { rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = resolve(root, process.argv[2] ?? 'dist');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  external: [
    '@google-cloud/firestore',
    '@fastify/ajv-compiler',
    '@fastify/fast-json-stringify-compiler',
    'light-my-request',
  ],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: [zodEnglishOnly()],
});

/**
 * zod's entry points re-export every one of its ~50 message locales (`z.locales`); the gateway uses only
 * English (`src/contract/frames.ts`). Bundled, the others were ~300 KB of source evaluated at start for
 * nothing: idle RSS 79.5–82.7 → 78.8–79.0 MiB over 10 starts each. Here zod's locale index is English only.
 */
function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(`${sep}node_modules${sep}zod${sep}`)
          ? { path: 'zod-locales-en', namespace: 'zod-english-only' }
          : undefined,
      );
      builder.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
        contents: "export { default as en } from 'zod/v4/locales/en.js';",
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}
