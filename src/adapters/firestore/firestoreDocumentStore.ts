/**
 * @module adapters/firestore/firestoreDocumentStore
 * DocumentStore over `@google-cloud/firestore`: collection listeners are `onSnapshot` (each document
 * change of each snapshot becomes a DocumentChange, values converted to JSON), reads are `get()` with a
 * deadline.
 *
 * The SDK retries a listener whose backend is unreachable silently (for minutes) and reports only
 * permanent failures. So while listeners are open, a reachability probe (one document read per interval)
 * tells them when Firestore stops answering — once per outage, as a non-fatal fault — and the SDK's own
 * permanent errors are fatal faults.
 */
import { Firestore, type Settings } from '@google-cloud/firestore';
import type { CollectionWatcher, DocumentChange, DocumentStore, ListenerFault } from '../ports.ts';
import { documentToJson } from './firestoreJson.ts';

/** A document nobody writes: reading it (found or not) proves Firestore answers. */
export const PROBE_DOCUMENT = 'noetl_gateway/reachability_probe';

/** gRPC status codes that come from a reachable backend (the probe was refused, not lost). */
const ANSWERED_CODES = new Set([3, 5, 7, 9]); // INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION

/** Used with the emulator only: keeps the SDK from probing for cloud credentials. Never sent anywhere. */
const EMULATOR_CREDENTIALS = { client_email: 'emulator@localhost', private_key: 'emulator' };

export interface FirestoreDocumentStoreOptions {
  projectId?: string | undefined;
  databaseId?: string | undefined;
  /** Service-account key file; unset: application default credentials. */
  credentialsPath?: string | undefined;
  /** `host:port` of an emulator (plain text, no credentials). */
  emulatorHost?: string | undefined;
  /** Deadline of a read and of a probe. */
  timeoutMs: number;
  /** Probe interval while listeners are open; 0 disables the probe. */
  probeIntervalMs: number;
  /** Firestore became unreachable (`reachable: false`) or answers again. */
  onReachability?: (reachable: boolean, detail: string) => void;
}

interface OpenListener {
  readonly watcher: CollectionWatcher;
  unsubscribe: () => void;
  open: boolean;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? message;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Settles like `promise`, or rejects after `ms`; the original promise's late failure is swallowed. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function safely(call: () => void): void {
  try {
    call();
  } catch {
    // a watcher's failure must not reach the SDK's stream handling
  }
}

export function firestoreSettings(options: FirestoreDocumentStoreOptions): Settings {
  const settings: Settings = { useBigInt: true };
  if (options.projectId) settings.projectId = options.projectId;
  if (options.databaseId) settings.databaseId = options.databaseId;
  if (options.emulatorHost) {
    return {
      ...settings,
      projectId: options.projectId ?? 'demo-noetl-gateway',
      host: options.emulatorHost,
      ssl: false,
      credentials: EMULATOR_CREDENTIALS,
    };
  }
  if (options.credentialsPath) settings.keyFilename = options.credentialsPath;
  return settings;
}

export class FirestoreDocumentStore implements DocumentStore {
  readonly #options: FirestoreDocumentStoreOptions;
  readonly #db: Firestore;
  readonly #listeners = new Set<OpenListener>();
  #probe: NodeJS.Timeout | undefined;
  #probing = false;
  /** Undefined while Firestore answers (as far as the open listeners know); otherwise why it does not. */
  #unreachable: string | undefined;
  /** The last probe's verdict, kept when the listeners are gone. */
  #answeredLastProbe = true;
  #closed = false;

  constructor(options: FirestoreDocumentStoreOptions) {
    this.#options = options;
    this.#db = new Firestore(firestoreSettings(options));
  }

  get openListeners(): number {
    return this.#listeners.size;
  }

  async read(documentPath: string): Promise<Record<string, unknown> | null> {
    const snapshot = await withDeadline(
      this.#db.doc(documentPath).get(),
      this.#options.timeoutMs,
      'Firestore',
    );
    return snapshot.exists ? documentToJson(snapshot.data()) : null;
  }

  watch(collectionPath: string, watcher: CollectionWatcher): Disposable {
    if (this.#closed) throw new Error('the Firestore store is closed');
    const listener: OpenListener = { watcher, unsubscribe: () => {}, open: true };
    listener.unsubscribe = this.#db.collection(collectionPath).onSnapshot(
      (snapshot) => {
        if (!listener.open) return;
        const changes: DocumentChange[] = snapshot.docChanges().map((change) => ({
          docId: change.doc.id,
          op: change.type,
          data: documentToJson(change.doc.data()),
        }));
        if (changes.length > 0) safely(() => watcher.changes(changes));
      },
      (error) => {
        if (!listener.open) return;
        this.#forget(listener);
        safely(() => watcher.fault({ message: describe(error), fatal: true }));
      },
    );
    this.#listeners.add(listener);
    this.#startProbe();
    const unreachable = this.#unreachable;
    if (unreachable !== undefined)
      queueMicrotask(
        () => listener.open && safely(() => watcher.fault({ message: unreachable, fatal: false })),
      );
    return {
      [Symbol.dispose]: () => {
        if (!listener.open) return;
        this.#forget(listener);
        listener.unsubscribe();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const reachable = this.#answeredLastProbe && !this.#probing;
    for (const listener of [...this.#listeners]) {
      this.#forget(listener);
      safely(listener.unsubscribe);
    }
    this.#stopProbe();
    // While Firestore is unreachable the SDK has requests in retry loops; terminating under them makes
    // their next attempt fail as an unhandled rejection inside the SDK. Those loops give up by themselves,
    // and the process is exiting: leave the client to them.
    if (!reachable) return;
    await withDeadline(this.#db.terminate(), 3000, 'Firestore terminate').catch(() => {});
  }

  #forget(listener: OpenListener): void {
    listener.open = false;
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#stopProbe();
  }

  #startProbe(): void {
    if (this.#probe || this.#options.probeIntervalMs <= 0) return;
    this.#probe = setInterval(() => void this.#runProbe(), this.#options.probeIntervalMs);
    this.#probe.unref();
  }

  #stopProbe(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
    this.#unreachable = undefined;
  }

  async #runProbe(): Promise<void> {
    if (this.#probing || this.#closed) return;
    this.#probing = true;
    let problem: string | undefined;
    try {
      await this.read(PROBE_DOCUMENT);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!(typeof code === 'number' && ANSWERED_CODES.has(code))) problem = describe(error);
    } finally {
      this.#probing = false;
    }
    this.#answeredLastProbe = problem === undefined;
    if (this.#closed || this.#listeners.size === 0) return;
    if (problem === undefined) {
      if (this.#unreachable !== undefined) this.#options.onReachability?.(true, 'Firestore answers again');
      this.#unreachable = undefined;
      return;
    }
    if (this.#unreachable !== undefined) return;
    this.#unreachable = problem;
    this.#options.onReachability?.(false, problem);
    const fault: ListenerFault = { message: problem, fatal: false };
    for (const listener of [...this.#listeners]) safely(() => listener.watcher.fault(fault));
  }
}
