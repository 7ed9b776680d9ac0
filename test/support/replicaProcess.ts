/**
 * @module test/support/replicaProcess
 * A gateway replica in its own process (`tsx src/main.ts`), for what an in-process replica cannot show:
 * a replica that is killed (SIGKILL) and leaves whatever it held in NATS behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { freePort } from './ports.ts';

const START_TIMEOUT_MS = 20_000;
/** USER_HZ: 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Children still running, killed when the test process exits so none outlives a crashed test file. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ReplicaProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  #output = '';

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.#child = child;
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  /** Starts a replica on a free port with `env` (NATS_URL, NOETL_BASE_URL, …) and waits until it is ready. */
  static async start(env: Record<string, string>): Promise<ReplicaProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Node itself runs the gateway (tsx as a loader, not as a parent process that a SIGKILL would leave
    // its child running behind).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        ROUTER_PORT: String(port),
        GATEWAY_BIND: '127.0.0.1',
        GATEWAY_PUBLIC_URL: url,
        AUTH_PLAYBOOK_TIMEOUT_SECS: '3',
        GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '1000',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const replica = new ReplicaProcess(url, child);
    try {
      await replica.#ready();
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return replica;
  }

  /** What the replica logged so far (for a failing test's message). */
  get output(): string {
    return this.#output;
  }

  /** True until the process exits. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** CPU time the process has used so far (user + system), in seconds, from /proc. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.#child.pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  /** Resolves once the replica listens and `/ready` says NATS is connected. */
  async #ready(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`replica exited while starting:\n${this.#output}`);
      const status = await fetch(`${this.url}/ready`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`replica not ready (${status}):\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Logs in with a NoETL-double token (`valid-<name>`) and returns the session token. */
  async login(name: string): Promise<string> {
    const response = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth0_token: `valid-${name}` }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { session_token: string }).session_token;
  }

  /** Abrupt death: nothing is released, nothing is flushed. */
  async kill(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGKILL');
    await exited;
  }

  /** Graceful stop (SIGTERM), or a kill if it does not exit within `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
