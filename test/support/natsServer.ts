/**
 * @module test/support/natsServer
 * A real `nats-server` with JetStream on a free loopback port and a temporary store directory, which a
 * test can stop, restart (same port, same store, so JetStream data survives) or kill. Never a mock.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const NATS_SERVER_BINARY = process.env.NATS_SERVER_BIN ?? 'nats-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface NatsServerOptions {
  /** Require these credentials from clients (`--user`/`--pass`). */
  user?: string;
  password?: string;
  /** A node of a JetStream cluster (see natsCluster.ts): its name, route port and the other nodes' route ports. */
  cluster?: { name: string; serverName: string; port: number; routes: number[] };
}

/** Children still running, killed when the test process exits so none outlives a crashed test file. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class NatsServer implements AsyncDisposable {
  readonly port: number;
  readonly storeDir: string;
  readonly #options: NatsServerOptions;
  #child: ChildProcess | undefined;
  #output = '';

  private constructor(port: number, storeDir: string, options: NatsServerOptions) {
    this.port = port;
    this.storeDir = storeDir;
    this.#options = options;
  }

  /** Reserves a port and a store directory without starting the server (to test "NATS is down"). */
  static async create(options: NatsServerOptions = {}): Promise<NatsServer> {
    const storeDir = await mkdtemp(join(tmpdir(), 'gateway-nats-'));
    return new NatsServer(await freePort(), storeDir, options);
  }

  /** Creates and starts a server. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const server = await NatsServer.create(options);
    await server.start();
    return server;
  }

  /** `nats://127.0.0.1:<port>` (no credentials). */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Server log so far (stderr), for diagnosing a failed test. */
  get output(): string {
    return this.#output;
  }

  /** Starts the server and resolves once it accepts connections (JetStream included). */
  async start(): Promise<void> {
    if (this.#child) return;
    const args = ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir];
    if (this.#options.user !== undefined) args.push('--user', this.#options.user);
    if (this.#options.password !== undefined) args.push('--pass', this.#options.password);
    const cluster = this.#options.cluster;
    if (cluster)
      args.push(
        '--server_name',
        cluster.serverName,
        '--cluster_name',
        cluster.name,
        '--cluster',
        `nats://127.0.0.1:${cluster.port}`,
        '--routes',
        cluster.routes.map((port) => `nats://127.0.0.1:${port}`).join(','),
      );
    const child = spawn(NATS_SERVER_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    running.add(child);
    this.#output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`nats-server not ready after ${READY_TIMEOUT_MS} ms:\n${this.#output}`)),
        READY_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        this.#output += chunk.toString();
        // Printed after JetStream has loaded its store and the client listener is open.
        if (this.#output.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.stdout?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code ?? signal}) before it was ready:\n${this.#output}`));
      });
    });
    child.once('exit', () => {
      running.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    try {
      await ready;
      await waitForPort(this.port);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Graceful shutdown (SIGTERM); JetStream flushes its store. */
  async stop(): Promise<void> {
    await this.#terminate('SIGTERM');
  }

  /** Abrupt death (SIGKILL), as a crashed or partitioned server. */
  async kill(): Promise<void> {
    await this.#terminate('SIGKILL');
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open but nothing is answered, as a hung or partitioned
   * server. Resolves once every thread of it is stopped (read from /proc). `resume()` thaws it.
   */
  async pause(): Promise<void> {
    const pid = this.#child?.pid;
    if (pid === undefined || !this.#child?.kill('SIGSTOP')) throw new Error('nats-server is not running');
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await allThreadsStopped(pid))) {
      if (Date.now() > deadline) throw new Error('nats-server did not stop on SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Thaws a server frozen by `pause()` (SIGCONT). */
  resume(): void {
    if (!this.#child?.kill('SIGCONT')) throw new Error('nats-server is not running');
  }

  /** Stop, then start again on the same port with the same store directory. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its store directory. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** True when every thread of `pid` is in the stopped state (`T` in /proc/<pid>/task/<tid>/stat). */
async function allThreadsStopped(pid: number): Promise<boolean> {
  const tasks = await readdir(`/proc/${pid}/task`);
  const states = await Promise.all(
    tasks.map(async (tid) => {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
      // The state follows the command name, which is in parentheses and may contain spaces.
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }),
  );
  return states.every((state) => state === 'T' || state === 't' || state === '');
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
