/**
 * @module adapters/ports
 * The outside world as `core/` sees it. The embedded default implements these in memory; the NATS
 * adapters implement the same interfaces for a cluster of replicas.
 */
import type { NoetlExecuteRequest } from '../contract/index.ts';

/** A key/value bucket of strings with a bucket-wide time to live (as NATS JetStream K/V). */
export interface KeyValueBucket {
  get(key: string): Promise<string | null>;
  /** Writes and returns the key's new revision (which changes with every write of the key). */
  put(key: string, value: string): Promise<number>;
  /** Writes only if the key is absent (or expired). Returns false when it already exists. */
  create(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** The value and its revision, or null when absent. */
  entry(key: string): Promise<{ value: string; revision: number } | null>;
  /**
   * Deletes the key only if its revision is still `revision`: of several callers holding the same
   * revision, exactly one gets true. False when the key changed, was deleted or expired meanwhile.
   */
  deleteIfRevision(key: string, revision: number): Promise<boolean>;
  /** Keys that start with `prefix` (a whole dot-separated token prefix, e.g. `client.abc.`). */
  keys(prefix: string): Promise<string[]>;
}

export interface KeyValueStore {
  bucket(name: string, options: { ttlSeconds: number; description: string }): Promise<KeyValueBucket>;
}

export type BusHandler = (
  subject: string,
  payload: string,
) => string | undefined | Promise<string | undefined>;

/** Publish/subscribe between replicas (core NATS semantics: at most once, wildcard `>` and `*`). */
export interface MessageBus {
  publish(subject: string, payload: string): Promise<void>;
  /**
   * The handler's return value, when defined, answers a `request`. With `queue`, each message goes to one
   * subscriber of the group (one replica) instead of all. `onGap` is called when messages may have been
   * missed (the bus was disconnected): what was learned from them must be learned again.
   */
  subscribe(
    subject: string,
    handler: BusHandler,
    options?: { queue?: string; onGap?: () => void },
  ): Disposable;
  /** First answer from any subscriber, or null when none answers within `timeoutMs`. */
  request(subject: string, payload: string, timeoutMs: number): Promise<string | null>;
}

export interface LoggedFrame {
  /**
   * The frame's position: increases with every frame of the client; not necessarily contiguous, and not
   * necessarily whole (frames stored together share one write, and all but the last are numbered just
   * before it, e.g. 41.5 and 42).
   */
  seq: number;
  data: string;
}

/** What `FrameLog.appendAll` did. */
export interface AppendResult {
  /** Position of the last frame written, or (duplicate) of the last frame of the earlier write. */
  seq: number;
  /** True when an earlier write with the same id was found: nothing was written this time. */
  duplicate: boolean;
  /** When duplicate: the frames that earlier write stored, if the log still holds them. */
  earlier?: string[];
}

/**
 * Every routed frame of a client, in order, kept for a retention window so a reconnecting client
 * resumes where it stopped, on any replica.
 */
export interface FrameLog {
  append(clientId: string, data: string): Promise<number>;
  /**
   * Stores `frames` (in order) in one write: all of them or none. With `id`, a second write with the same
   * id within the log's de-duplication window stores nothing and reports `duplicate` (and what the first
   * stored), so a write retried after a lost answer, or a frame that must go out once, is not repeated.
   */
  appendAll(clientId: string, frames: readonly string[], options?: { id?: string }): Promise<AppendResult>;
  /** Frames after `afterSeq` that are still retained, then every new one, until the iterator is closed. */
  follow(clientId: string, afterSeq: number): AsyncIterableIterator<LoggedFrame> & AsyncDisposable;
  lastSeq(clientId: string): Promise<number>;
}

export interface NoetlResponse {
  status: number;
  statusText: string;
  /** The body, parsed as JSON losslessly (big integers kept as strings); the raw text when not JSON. */
  body: unknown;
  text: string;
}

/** The NoETL server's HTTP API, as the gateway calls it. */
export interface NoetlApi {
  execute(request: NoetlExecuteRequest, signal?: AbortSignal): Promise<NoetlResponse>;
  rerun(executionId: string, body: { workload: unknown; resource_kind: 'playbook' }): Promise<NoetlResponse>;
  cancel(executionId: string, body: { reason: string; cascade: boolean }): Promise<NoetlResponse>;
  post(path: string, body: unknown, signal?: AbortSignal): Promise<NoetlResponse>;
  /**
   * Any method and server path, for the GraphQL `proxyRequest` mutation. `headers`: extra request headers
   * as a flat `[name, value, name, value, …]` list (e.g. the caller's identity).
   */
  call(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    headers?: readonly string[],
  ): Promise<NoetlResponse>;
}

/** Which clients have an open `/events` stream on some replica. */
export interface ClientPresence {
  /** Marks the client connected until the handle is disposed. */
  attach(clientId: string): Promise<AsyncDisposable>;
  isConnected(clientId: string): Promise<boolean>;
}

/** One slot taken from `SlotLeases`; held until released (or until its replica stops renewing it). */
export interface SlotLease {
  /** Gives the slot back. Never rejects: a release the store refuses now is retried, or expires with the lease. */
  release(): Promise<void>;
}

/**
 * Numbered slots per group (e.g. per session), shared by every replica: at most `limit` holders of a group
 * at once, whichever replicas they are on. A replica that stops without releasing its slots loses them
 * after a lease TTL.
 */
export interface SlotLeases {
  /**
   * Takes a free slot of `group`, or undefined when `limit` are held. `onLost` is called if the slot is
   * later found taken by another replica (this replica's lease lapsed while it could not renew it).
   * Rejects with BackendUnavailableError when the store does not answer within its deadline.
   */
  acquire(group: string, limit: number, onLost?: () => void): Promise<SlotLease | undefined>;
}

/** Everything a gateway replica shares with the others: memory (one replica) or NATS (many). */
export interface Infrastructure {
  kv: KeyValueStore;
  bus: MessageBus;
  frames: FrameLog;
  presence: ClientPresence;
  /** Slots shared by the replicas (the per-session `/events` limit); none with one replica. */
  slots?: SlotLeases;
  /** False while a required backend (NATS) is unreachable. */
  ready(): boolean;
  /**
   * Whether the shared stores answer now: one cheap round trip to each, within a short deadline (the
   * embedded stores always do). `detail` says what failed, without addresses.
   */
  probe(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}

/** One document change in a watched collection. `data` is plain JSON (Firestore values converted). */
export interface DocumentChange {
  docId: string;
  op: 'added' | 'modified' | 'removed';
  data: Record<string, unknown>;
}

/** Something went wrong with a collection listener. */
export interface ListenerFault {
  message: string;
  /** True: the listener has stopped for good. False: the backend is unreachable and the listener retries. */
  fatal: boolean;
}

export interface CollectionWatcher {
  changes(changes: DocumentChange[]): void;
  fault(fault: ListenerFault): void;
}

/** A document database with realtime listeners (Firestore), as `core/` sees it. */
export interface DocumentStore {
  /** A document's fields as JSON, or null when it does not exist. Rejects when the database fails or is too slow. */
  read(documentPath: string): Promise<Record<string, unknown> | null>;
  /** Listens to a collection: its existing documents first (as `added`), then every change. Dispose to stop at once. */
  watch(collectionPath: string, watcher: CollectionWatcher): Disposable;
  /** Listeners currently open. */
  readonly openListeners: number;
  /** Stops every listener and releases the connection. */
  close(): Promise<void>;
}

/** A shared store or bus (NATS) cannot be reached right now: the caller gets 503 and may retry. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}
