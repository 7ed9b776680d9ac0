/**
 * @module core/auth/authPlaybookRunner
 * Runs an auth playbook and waits for its callback under ONE deadline covering both the execute call and
 * the wait. Past the deadline the caller gets 503 and the execution is cancelled (cascade), even when
 * NoETL only answers the execute call after the deadline.
 */
import { randomUUID } from 'node:crypto';
import type { NoetlApi } from '../../adapters/ports.ts';
import type { AuthCallbackRequest } from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import { executeCatalogEntry } from '../noetlCalls.ts';
import type { CallbackWaiters } from './callbackWaiters.ts';

export interface AuthFlowName {
  /** "login", "check_access", "validate_session": used in the cancel reason. */
  id: string;
  /** "Login", "Check access", "Validate session": starts the client-facing messages. */
  label: string;
}

export interface AuthPlaybookRunnerOptions {
  noetl: NoetlApi;
  waiters: CallbackWaiters;
  timeoutSecs: number;
  onCancelFailed?: (error: unknown) => void;
}

export class AuthPlaybookRunner {
  readonly #options: AuthPlaybookRunnerOptions;

  constructor(options: AuthPlaybookRunnerOptions) {
    this.#options = options;
  }

  /** Starts `path` with `workload` plus `callback_subject` and `request_id`, and returns its callback. */
  async run(
    flow: AuthFlowName,
    path: string,
    workload: Record<string, unknown>,
  ): Promise<AuthCallbackRequest> {
    const { noetl, waiters, timeoutSecs } = this.#options;
    const requestId = randomUUID();
    const deadline = AbortSignal.timeout(timeoutSecs * 1000);
    const callback = waiters.wait(requestId, deadline);
    callback.catch(() => {}); // observed below; avoid an unhandled rejection while execute is pending

    const started = executeCatalogEntry(noetl, {
      path,
      workload: { ...workload, callback_subject: waiters.subjectFor(requestId), request_id: requestId },
      resource_kind: 'playbook',
    });
    started.catch(() => {});

    try {
      // An execute failure ends the wait at once; a callback may also arrive before execute answers.
      await Promise.race([started, callback]);
      return await callback;
    } catch (error) {
      if (!deadline.aborted) {
        if (error instanceof GatewayError && error.kind === 'bad_gateway') {
          throw new GatewayError('bad_gateway', `${flow.label} playbook failed: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
      void started.then((execution) => this.#cancel(flow, execution.execution_id)).catch(() => {});
      throw new GatewayError(
        'unavailable',
        `${flow.label} auth playbook did not complete within ${timeoutSecs}s; auth backend is busy. Please retry.`,
      );
    }
  }

  async #cancel(flow: AuthFlowName, executionId: string): Promise<void> {
    const reason = `Gateway ${flow.id} timed out after ${this.#options.timeoutSecs}s`;
    try {
      const response = await this.#options.noetl.cancel(executionId, { reason, cascade: true });
      if (response.status >= 300)
        this.#options.onCancelFailed?.(new Error(`cancel answered ${response.status}`));
    } catch (error) {
      this.#options.onCancelFailed?.(error);
    }
  }
}
