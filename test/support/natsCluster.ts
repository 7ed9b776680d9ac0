/**
 * @module test/support/natsCluster
 * A JetStream cluster of real `nats-server` processes on loopback: each node has its own store directory,
 * client port and route port (all free ports), routes to every other node, and can be killed and started
 * again like a single `NatsServer`. Resolves once JetStream answers (its meta leader is elected).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsServer } from './natsServer.ts';
import { freePort } from './ports.ts';

const JETSTREAM_READY_TIMEOUT_MS = 20_000;

export class NatsCluster implements AsyncDisposable {
  readonly nodes: NatsServer[];
  readonly name: string;

  private constructor(name: string, nodes: NatsServer[]) {
    this.name = name;
    this.nodes = nodes;
  }

  /** Starts `size` nodes (default 3) and waits until the cluster's JetStream answers. */
  static async start(size = 3): Promise<NatsCluster> {
    const name = `gw-test-${Math.random().toString(36).slice(2, 8)}`;
    const routePorts: number[] = [];
    for (let i = 0; i < size; i++) routePorts.push(await freePort());
    const nodes: NatsServer[] = [];
    for (let i = 0; i < size; i++)
      nodes.push(
        await NatsServer.create({
          cluster: {
            name,
            serverName: `n${i}`,
            port: routePorts[i]!,
            routes: routePorts.filter((_, j) => j !== i),
          },
        }),
      );
    const cluster = new NatsCluster(name, nodes);
    try {
      await Promise.all(nodes.map((node) => node.start()));
      await cluster.waitForJetStream();
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** Every node's client URL, comma-separated (what `NATS_URL` gets). */
  get url(): string {
    return this.nodes.map((node) => node.url).join(',');
  }

  /** The node named `serverName` (`n0`, `n1`, …). */
  node(serverName: string): NatsServer {
    const index = Number(serverName.replace(/^n/, ''));
    const node = this.nodes[index];
    if (!node) throw new Error(`no node ${serverName}`);
    return node;
  }

  /** A client connection to the running nodes (close it when done). */
  connect(): Promise<NatsConnection> {
    return connect({
      servers: this.nodes.filter((node) => node.running).map((node) => node.url),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 100,
    });
  }

  /** Waits until JetStream answers an account-info request through a running node. */
  async waitForJetStream(timeoutMs = JETSTREAM_READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const connection = await this.connect();
    try {
      for (;;) {
        try {
          const jsm = await jetstreamManager(connection, { timeout: 1000 });
          await jsm.getAccountInfo();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`JetStream cluster not ready: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await connection.close();
    }
  }

  /** The server name (`n0`…) of the leader of `stream`, and its replicas' names. */
  async placement(stream: string): Promise<{ leader: string; replicas: string[] }> {
    const connection = await this.connect();
    try {
      const jsm = await jetstreamManager(connection, { timeout: 2000 });
      const info = await jsm.streams.info(stream);
      return {
        leader: info.cluster?.leader ?? '',
        replicas: [info.cluster?.leader ?? '', ...(info.cluster?.replicas ?? []).map((peer) => peer.name)],
      };
    } finally {
      await connection.close();
    }
  }

  /** Stops every node and removes the store directories. */
  async close(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
