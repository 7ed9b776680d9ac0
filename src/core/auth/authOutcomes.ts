/**
 * @module core/auth/authOutcomes
 * Turns what an auth playbook (or NoETL's synchronous endpoint) answered into the gateway's answer.
 * Shared by the callback path and the sync fast path, so both read `data` identically.
 */
import {
  type CheckAccessResponse,
  type LoginResponse,
  Roles,
  type User,
  UserId,
  ValidateCallbackData,
} from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The reference's reason extraction: "message: error", either one, or the fallback. */
function failureReason(data: Record<string, unknown> | undefined, fallback: string): string {
  const message = nonBlank(data?.message);
  const error = nonBlank(data?.error);
  if (message && error) return `${message}: ${error}`;
  return message ?? error ?? fallback;
}

/** Login: callback `{status, data}` → the login response, or 401 / 500 with the reference's messages. */
export function loginOutcome(status: string, dataValue: unknown): LoginResponse {
  const data = asRecord(dataValue);
  if (status !== 'success')
    throw new GatewayError('unauthorized', failureReason(data, 'Invalid credentials'));
  const authStatus = data?.status;
  if (typeof authStatus !== 'string')
    throw new GatewayError('internal', 'Login callback missing status field');
  if (authStatus !== 'authenticated') {
    throw new GatewayError('unauthorized', failureReason(data, `Authentication status: ${authStatus}`));
  }
  const sessionToken = nonBlank(data?.session_token);
  if (!sessionToken) throw new GatewayError('internal', 'No session token returned');
  const user = asRecord(data?.user);
  if (!user) throw new GatewayError('internal', 'No user data returned');
  if (typeof user.email !== 'string') throw new GatewayError('internal', 'Invalid email');
  const userId = UserId.safeParse(user.user_id);
  if (!userId.success) throw new GatewayError('internal', 'Invalid user_id');
  if (typeof data?.expires_at !== 'string') throw new GatewayError('internal', 'Invalid expires_at');
  return {
    status: 'authenticated',
    session_token: sessionToken,
    user: {
      user_id: userId.data,
      email: user.email,
      display_name: nonBlank(user.display_name) ?? user.email,
      roles: Roles.parse(user.roles),
    },
    expires_at: data.expires_at,
    message: 'Authentication successful',
  };
}

/**
 * Check access: fails closed. An error status is a backend failure (503), not a denial; `allowed` must be
 * literally true.
 */
export function checkAccessOutcome(
  status: string,
  dataValue: unknown,
  request: { playbook_path: string; permission_type: string },
): CheckAccessResponse {
  const data = asRecord(dataValue);
  if (status !== 'success') {
    throw new GatewayError(
      'unavailable',
      `Check access failed: ${failureReason(data, 'auth backend error')}`,
    );
  }
  const user = asRecord(data?.user);
  const userId = UserId.safeParse(user?.user_id);
  return {
    allowed: data?.allowed === true,
    user: user
      ? {
          user_id: userId.success ? userId.data : 0,
          email: nonBlank(user.email) ?? 'unknown',
          display_name: nonBlank(user.display_name) ?? 'Unknown User',
          roles: Roles.parse(user.roles),
        }
      : null,
    playbook_path: request.playbook_path,
    permission_type: request.permission_type,
    message: nonBlank(data?.message) ?? 'Access check completed',
  };
}

export interface ValidatedSession {
  user: User;
  expiresAt: string;
}

/** Validate-session playbook: anything but a clear `valid: true` with a user is an invalid session. */
export function validateOutcome(status: string, dataValue: unknown): ValidatedSession | null {
  if (status !== 'success') return null;
  const parsed = ValidateCallbackData.safeParse(dataValue);
  if (!parsed.success || !parsed.data.valid || !parsed.data.user) return null;
  const { user, expires_at } = parsed.data;
  const userId = UserId.safeParse(user.user_id);
  return {
    user: {
      user_id: userId.success ? userId.data : 0,
      email: user.email,
      display_name: nonBlank(user.display_name) ?? user.email,
      roles: user.roles ?? [],
    },
    expiresAt: expires_at ?? '',
  };
}
