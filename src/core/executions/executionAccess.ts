/**
 * @module core/executions/executionAccess
 * Who may do what with an execution through the gateway.
 *
 * - **The auth playbooks are not for callers.** The login, validate-session and check-access playbooks
 *   (`auth_playbooks.*`) are run by the gateway itself; started or rerun by a caller with a workload of its
 *   choosing they would mint sessions, answer validations or grant access on the caller's word. Execute and
 *   rerun refuse them (403) on every transport: REST, tRPC, GraphQL, and `/noetl/execute` by `path`.
 * - **Lifecycle frames only for executions the caller may see** (`GATEWAY_EXECUTION_SUBSCRIBE_RULE`):
 *   - `owner`: executions this session started through the gateway (execute or rerun, any transport); the
 *     gateway records `<execution>.<session hash>` when it starts one (K/V, for the request TTL);
 *   - `owner_or_access` (default): those, and executions NoETL shows this caller
 *     (`GET /api/executions/{id}` with the caller's identity headers) whose playbook NoETL's check-access
 *     grants the session `view` on (e.g. started through `/noetl/execute`, or by the same user in another
 *     session). A grant is remembered like an ownership record;
 *   - `any`: no check (the reference's behaviour; not recommended).
 *   Anything else is refused: an unknown execution, one whose playbook is an auth playbook or cannot be
 *   read, or a denied check — 403, never a subscription. NoETL failing to answer is a 503 (still refused).
 */
import { createHash } from 'node:crypto';
import type { KeyValueBucket, NoetlApi } from '../../adapters/ports.ts';
import { GatewayError } from '../errors.ts';
import { pushIdentityHeaders } from '../proxy/identityHeaders.ts';
import { sessionKey } from '../sessions/sessionKey.ts';
import type { Session } from '../sessions/sessionResolver.ts';

export type SubscribeRule = 'owner' | 'owner_or_access' | 'any';

export interface ExecutionAccessOptions {
  /** Ownership records and grants, keyed `<execution hash>.<session hash>` (values empty). */
  owners: KeyValueBucket;
  noetl: NoetlApi;
  rule: SubscribeRule;
  /** The configured auth playbook paths (login, validate-session, check-access). */
  authPlaybooks: readonly string[];
  /** NoETL's check-access: whether the session may `view` the playbook. Throws when it cannot tell. */
  mayView: (session: Session, playbookPath: string) => Promise<boolean>;
}

/** Catalog paths compared as NoETL would resolve them: no surrounding slashes, no doubled ones, any case. */
export function normalizePlaybookPath(path: string): string {
  return path
    .trim()
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();
}

/** A K/V key token for an execution id (exact: different ids never share a key). */
function executionKey(executionId: string): string {
  return createHash('sha256').update(executionId).digest('hex').slice(0, 32);
}

const NOT_YOURS =
  'This session may not watch that execution: it did not start it through the gateway, and NoETL does not grant it access to the execution’s playbook';

export type PlaybookOf = { found: true; path: string | undefined } | { found: false };

export class ExecutionAccess {
  readonly #options: ExecutionAccessOptions;
  readonly #authPlaybooks: Set<string>;

  constructor(options: ExecutionAccessOptions) {
    this.#options = options;
    this.#authPlaybooks = new Set(options.authPlaybooks.map(normalizePlaybookPath));
  }

  get rule(): SubscribeRule {
    return this.#options.rule;
  }

  isAuthPlaybook(path: string): boolean {
    return this.#authPlaybooks.has(normalizePlaybookPath(path));
  }

  /** 403 for an auth playbook: only the gateway runs those. */
  refuseAuthPlaybook(path: string): void {
    if (this.isAuthPlaybook(path))
      throw new GatewayError(
        'forbidden',
        `${path} is an auth playbook (auth_playbooks.*): only the gateway runs it, it cannot be started or rerun through the API`,
      );
  }

  /** Remembers that this session started (or was granted) the execution. */
  async record(executionId: string, session: Session): Promise<void> {
    await this.#options.owners.put(`${executionKey(executionId)}.${sessionKey(session.token)}`, '');
  }

  /** The playbook path of an execution as NoETL shows it to this caller; `found: false` when unknown. */
  async playbookOf(executionId: string, session: Session): Promise<PlaybookOf> {
    const headers: string[] = [];
    pushIdentityHeaders(headers, session.user);
    let response: Awaited<ReturnType<NoetlApi['call']>>;
    try {
      response = await this.#options.noetl.call(
        'GET',
        `/api/executions/${encodeURIComponent(executionId)}?page=1&page_size=10`,
        undefined,
        undefined,
        headers,
      );
    } catch (error) {
      throw new GatewayError('unavailable', 'NoETL did not answer the execution lookup; retry shortly', {
        cause: error,
      });
    }
    if (response.status === 404 || response.status === 403 || response.status === 401)
      return { found: false };
    if (response.status < 200 || response.status >= 300)
      throw new GatewayError('unavailable', `NoETL answered the execution lookup with ${response.status}`);
    const path = (response.body as { path?: unknown } | null)?.path;
    return { found: true, path: typeof path === 'string' && path.trim() ? path : undefined };
  }

  /** Refuses (403) a subscription the rule does not allow. */
  async refuseSubscription(executionId: string, session: Session): Promise<void> {
    const { rule, owners } = this.#options;
    if (rule === 'any') return;
    const key = `${executionKey(executionId)}.${sessionKey(session.token)}`;
    if ((await owners.get(key)) !== null) return;
    if (rule === 'owner') throw new GatewayError('forbidden', NOT_YOURS);
    const playbook = await this.playbookOf(executionId, session);
    if (!playbook.found || !playbook.path || this.isAuthPlaybook(playbook.path))
      throw new GatewayError('forbidden', NOT_YOURS);
    if (!(await this.#options.mayView(session, playbook.path)))
      throw new GatewayError('forbidden', NOT_YOURS);
    await owners.put(key, '');
  }

  /**
   * Before a rerun: refuses one of an auth playbook's executions. An execution NoETL does not know goes on
   * (the rerun answers 404); one whose playbook cannot be read is refused (fails closed).
   */
  async refuseRerun(executionId: string, session: Session): Promise<void> {
    const playbook = await this.playbookOf(executionId, session);
    if (!playbook.found) return;
    if (!playbook.path)
      throw new GatewayError(
        'bad_gateway',
        `NoETL did not say which playbook execution ${executionId} ran; it is not rerun`,
      );
    this.refuseAuthPlaybook(playbook.path);
  }
}
