/**
 * `npm start`: the compiled gateway (`dist/`, from `npm run build`) on this Node, in this process — a
 * SIGTERM/SIGINT sent to `npm start` reaches it and stops it gracefully. Builds first when `dist/` is
 * missing or older than a source file, so `npm ci && npm start` works on a fresh clone. Containers run
 * `node dist/main.js` directly (see Dockerfile).
 *
 * The npm script is `exec node scripts/start.mjs`: npm forwards SIGTERM/SIGINT to its child, and without
 * `exec` that child is `sh`, which dies on SIGTERM and leaves this process running.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const entry = new URL('../dist/main.js', import.meta.url);

/**
 * Modification time of a file, or the newest of a directory's files (0 when missing). Build output inside
 * src/ (the contract package's dist/, made by `npm pack`) is not a source.
 */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (latest, name) => (name === 'dist' ? latest : Math.max(latest, newest(`${path}/${name}`))),
    stats.mtimeMs,
  );
}

const sources = Math.max(
  newest(`${root}src`),
  newest(`${root}tsconfig.json`),
  newest(`${root}tsconfig.build.json`),
  newest(`${root}scripts/build.mjs`),
);
if (newest(fileURLToPath(entry)) < sources) {
  console.error('dist/ is missing or older than src/: npm run build');
  // Build output on stderr: stdout carries the gateway's JSON log lines only.
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    console.error(build.error ? `cannot run npm: ${build.error.message}` : 'build failed');
    process.exit(build.status || 1);
  }
}

const { runGateway } = await import(entry.href);
await runGateway();
