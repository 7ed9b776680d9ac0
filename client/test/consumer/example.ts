/**
 * What an adopter writes (checked against the packed package by package.test.ts, which installs it in a
 * scratch project, typechecks this file, runs it in Node and bundles it for browsers): log in, run a
 * playbook, get its result pushed over the event stream.
 */
import { GatewayClient, PlaybookFailedError, type PlaybookProgressParams } from '@noetl/gateway-client';

export interface RunSummary {
  user: string;
  status: string;
  data: unknown;
  progress: string[];
}

export async function loginAndRun(baseUrl: string, idToken: string, playbook: string): Promise<RunSummary> {
  const gateway = new GatewayClient({ baseUrl });
  const progress: string[] = [];
  try {
    const login = await gateway.login(idToken);
    const result = await gateway.executeAndWait(
      playbook,
      { greeting: 'from the packed client' },
      {
        timeoutMs: 15_000,
        onProgress: (update: PlaybookProgressParams) => progress.push(update.message ?? update.step ?? ''),
      },
    );
    return { user: login.user.email, status: result.status, data: result.data, progress };
  } catch (error) {
    if (error instanceof PlaybookFailedError)
      return { user: '', status: 'FAILED', data: error.data, progress };
    throw error;
  } finally {
    gateway.close();
  }
}
