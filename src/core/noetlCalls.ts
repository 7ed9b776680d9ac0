/**
 * @module core/noetlCalls
 * Starting and rerunning executions on NoETL, with the reference gateway's error messages (clients match
 * on them: an upstream 404 must read "Execute catalog entry failed (resource_kind=playbook): 404 Not Found - …").
 */
import type { NoetlApi, NoetlResponse } from '../adapters/ports.ts';
import { type NoetlExecuteRequest, NoetlExecuteResponse } from '../contract/index.ts';
import { GatewayError, UpstreamError } from './errors.ts';

export type StartedExecution = NoetlExecuteResponse;

interface CallNames {
  /** Prefix of an HTTP failure: "<failed>: <code> <reason> - <body>". */
  failed: string;
  /** Name of the operation in transport and parse failures. */
  operation: string;
}

async function startOnNoetl(names: CallNames, call: () => Promise<NoetlResponse>): Promise<StartedExecution> {
  let response: NoetlResponse;
  try {
    response = await call();
  } catch (error) {
    throw new GatewayError('bad_gateway', `${names.operation}: send (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (response.status < 200 || response.status >= 300) {
    const body = response.text.length > 2000 ? `${response.text.slice(0, 2000)}…` : response.text;
    throw new UpstreamError(
      response.status,
      `${names.failed}: ${response.status} ${response.statusText} - ${body}`,
    );
  }
  const parsed = NoetlExecuteResponse.safeParse(response.body);
  if (!parsed.success)
    throw new GatewayError(
      'bad_gateway',
      `parse execution response: no execution_id in ${names.operation} answer`,
    );
  return parsed.data;
}

export function executeCatalogEntry(
  noetl: NoetlApi,
  request: NoetlExecuteRequest,
): Promise<StartedExecution> {
  return startOnNoetl(
    {
      failed: `Execute catalog entry failed (resource_kind=${request.resource_kind})`,
      operation: 'execute_catalog_entry',
    },
    () => noetl.execute(request),
  );
}

export function rerunExecution(
  noetl: NoetlApi,
  executionId: string,
  workload: unknown,
): Promise<StartedExecution> {
  return startOnNoetl({ failed: 'Rerun execution failed', operation: 'rerun_execution' }, () =>
    noetl.rerun(executionId, { workload, resource_kind: 'playbook' }),
  );
}
