/**
 * @module test/support/firestoreEmulator
 * A Firestore emulator (`@firestore-emulator/server`, pure Node) in this process on a free loopback port —
 * no JAR, no network — and a Firestore client pointed at it for the tests' writes.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { FirestoreServer as FirestoreServerType } from '@firestore-emulator/server';
import { Firestore } from '@google-cloud/firestore';

const require = createRequire(import.meta.url);
// The package's ESM build has extensionless imports that Node rejects: use its CommonJS build.
const { FirestoreServer } = require('@firestore-emulator/server') as {
  FirestoreServer: typeof FirestoreServerType;
};
// The emulator's own copy of grpc-js, so the credentials object is one its server accepts.
const { ServerCredentials } = require(
  require.resolve('@grpc/grpc-js', { paths: [dirname(require.resolve('@firestore-emulator/server'))] }),
) as typeof import('@grpc/grpc-js');

interface GrpcServer {
  bindAsync(address: string, credentials: unknown, done: (error: Error | null, port: number) => void): void;
  forceShutdown(): void;
}

export interface FirestoreEmulator {
  /** `127.0.0.1:<port>`, for FIRESTORE_EMULATOR_HOST. */
  host: string;
  projectId: string;
  /** A client of the emulator, for the tests' writes. */
  db: Firestore;
  /** Listen streams the emulator is serving (each SDK listener holds one). */
  listeners(): number;
  stop(): Promise<void>;
}

export async function startFirestoreEmulator(projectId = 'demo-gateway-test'): Promise<FirestoreEmulator> {
  const emulator = new FirestoreServer();
  // start(port) binds 0.0.0.0 and hides the port: bind loopback, port 0, on its gRPC server directly.
  const grpc = (emulator as unknown as { server: GrpcServer }).server;
  const port = await new Promise<number>((resolve, reject) =>
    grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const host = `127.0.0.1:${port}`;
  const db = new Firestore({
    projectId,
    host,
    ssl: false,
    credentials: { client_email: 'emulator@localhost', private_key: 'emulator' },
  });
  let stopped = false;
  return {
    host,
    projectId,
    db,
    listeners: () => emulator.state.emitter.listenerCount('create-document'),
    async stop() {
      if (stopped) return;
      stopped = true;
      grpc.forceShutdown();
      await Promise.race([db.terminate(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    },
  };
}
