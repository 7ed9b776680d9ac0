/**
 * @module core/auth/authService
 * The three auth operations of `/api/auth/*`: login, validate, check-access. Each goes through its
 * playbook (default) or NoETL's synchronous endpoint (NOETL_AUTH_SYNC / NOETL_AUTHZ_SYNC).
 */
import type { NoetlApi } from '../../adapters/ports.ts';
import {
  type CheckAccessRequest,
  type CheckAccessResponse,
  DEFAULT_AUTH0_DOMAIN,
  type LoginRequest,
  type LoginResponse,
  NoetlSyncEnvelope,
  type ValidateResponse,
} from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import type { SessionResolver } from '../sessions/sessionResolver.ts';
import { checkAccessOutcome, loginOutcome } from './authOutcomes.ts';
import type { AuthPlaybookRunner } from './authPlaybookRunner.ts';

export interface AuthServiceOptions {
  noetl: NoetlApi;
  runner: AuthPlaybookRunner;
  sessions: SessionResolver;
  playbooks: { login: string; checkAccess: string };
  dbCredential: string;
  loginSync: boolean;
  authzSync: boolean;
  onLogin?: (outcome: 'succeeded' | 'callback_failed' | 'not_authenticated') => void;
  onAuthz?: (outcome: 'allowed' | 'denied' | 'backend_error') => void;
}

export class AuthService {
  readonly #options: AuthServiceOptions;

  constructor(options: AuthServiceOptions) {
    this.#options = options;
  }

  async login(
    request: LoginRequest,
    clientIp: string | undefined,
    userAgent: string | undefined,
  ): Promise<LoginResponse> {
    const domain = request.auth0_domain?.trim() || DEFAULT_AUTH0_DOMAIN;
    const ip = request.client_ip ?? clientIp ?? '0.0.0.0';
    try {
      const answer = this.#options.loginSync
        ? await this.#sync('/api/auth/login', 'Login (sync)', {
            auth0_token: request.auth0_token,
            auth0_domain: domain,
            client_ip: ip,
            credential: this.#options.dbCredential,
          })
        : await this.#options.runner.run({ id: 'login', label: 'Login' }, this.#options.playbooks.login, {
            auth0_token: request.auth0_token,
            auth0_refresh_token: request.auth0_refresh_token ?? '',
            auth0_domain: domain,
            session_duration_hours: request.session_duration_hours ?? 8,
            client_ip: ip,
            client_user_agent: request.client_user_agent ?? userAgent ?? 'unknown',
          });
      const response = loginOutcome(answer.status, answer.data);
      await this.#options.sessions.remember({
        token: response.session_token,
        user: response.user,
        expiresAt: response.expires_at,
      });
      this.#options.onLogin?.('succeeded');
      return response;
    } catch (error) {
      const notAuthenticated = error instanceof GatewayError && error.kind === 'unauthorized';
      this.#options.onLogin?.(notAuthenticated ? 'not_authenticated' : 'callback_failed');
      throw error;
    }
  }

  async validate(token: string, clientIp?: string): Promise<ValidateResponse> {
    const session = await this.#options.sessions.resolve(token, clientIp);
    if (!session)
      return { valid: false, user: null, expires_at: null, message: 'Session is invalid or expired' };
    return { valid: true, user: session.user, expires_at: session.expiresAt, message: 'Session is valid' };
  }

  async checkAccess(request: CheckAccessRequest): Promise<CheckAccessResponse> {
    try {
      const answer = this.#options.authzSync
        ? await this.#sync('/api/auth/check-playbook-access', 'Check access (sync)', {
            session_token: request.session_token,
            playbook_path: request.playbook_path,
            action: request.permission_type,
            credential: this.#options.dbCredential,
          })
        : await this.#options.runner.run(
            { id: 'check_access', label: 'Check access' },
            this.#options.playbooks.checkAccess,
            {
              session_token: request.session_token,
              playbook_path: request.playbook_path,
              action: request.permission_type,
            },
          );
      const response = checkAccessOutcome(answer.status, answer.data, request);
      this.#options.onAuthz?.(response.allowed ? 'allowed' : 'denied');
      return response;
    } catch (error) {
      this.#options.onAuthz?.('backend_error');
      throw error;
    }
  }

  /** NoETL's synchronous auth endpoints answer `{status, data}`: the same envelope as a callback. */
  async #sync(
    path: string,
    label: string,
    body: Record<string, unknown>,
  ): Promise<{ status: string; data: unknown }> {
    let response: Awaited<ReturnType<NoetlApi['post']>>;
    try {
      response = await this.#options.noetl.post(path, body);
    } catch (error) {
      throw new GatewayError('bad_gateway', `${label} failed: ${(error as Error).message}`, { cause: error });
    }
    if (response.status < 200 || response.status >= 300) {
      throw new GatewayError(
        'bad_gateway',
        `${label} failed: ${response.status} ${response.statusText} - ${response.text.slice(0, 500)}`,
      );
    }
    const envelope = NoetlSyncEnvelope.safeParse(response.body);
    if (!envelope.success) throw new GatewayError('bad_gateway', `${label} failed: unreadable answer`);
    return { status: envelope.data.status, data: envelope.data.data };
  }
}
