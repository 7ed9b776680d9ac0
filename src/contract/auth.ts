/**
 * @module contract/auth
 * `/api/auth/*` bodies (snake_case, as the reference gateway) and the cached session record.
 */
import { z } from 'zod';
import { type RawInteger, rawIntegerAsText, rawNumberAsDouble } from './common.ts';

export const DEFAULT_AUTH0_DOMAIN = 'mestumre-development.us.auth0.com';

/** A NoETL user id: an integer, or a numeric string as templated playbooks send it. */
export const UserId = z
  .union([
    z.number().int(),
    z.string().regex(/^-?\d+$/, 'user_id must be an integer or a numeric string'),
    // An integer beyond 2^53 kept as its text by the gateway's body parser (a callback's user).
    z
      .custom<RawInteger>((value) => rawIntegerAsText(value) !== value)
      .meta({ override: { type: 'integer' } }),
  ])
  .transform((given): number | string => {
    const value = rawIntegerAsText(given) as number | string;
    if (typeof value === 'number') return value;
    const asNumber = Number(value);
    // Beyond 2^53 a number would silently lose digits; keep the exact string instead.
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  });

export const User = z
  .object({
    user_id: z
      .union([z.number().int(), z.string()])
      .meta({ description: 'Integer (a string only beyond 2^53)' }),
    email: z.string(),
    display_name: z.string(),
    roles: z.array(z.string()),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const LoginRequest = z
  .object({
    auth0_token: z
      .string()
      .min(1, 'auth0_token must not be empty')
      .meta({ description: 'Auth0 ID token (JWT)' }),
    auth0_refresh_token: z.string().nullish(),
    auth0_domain: z
      .string()
      .nullish()
      .meta({ description: `Defaults to ${DEFAULT_AUTH0_DOMAIN}` }),
    session_duration_hours: z
      .preprocess(rawNumberAsDouble, z.number().int().min(1).max(8784).optional())
      .meta({ description: 'Default 8' }),
    client_ip: z.string().nullish(),
    client_user_agent: z.string().nullish(),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z
  .object({
    status: z.literal('authenticated'),
    session_token: z.string(),
    user: User,
    expires_at: z.string(),
    message: z.string(),
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ValidateRequest = z
  .object({ session_token: z.string().min(1, 'session_token must not be empty') })
  .meta({ id: 'ValidateRequest' });

export const ValidateResponse = z
  .object({
    valid: z.boolean(),
    user: User.nullable(),
    expires_at: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'ValidateResponse' });
export type ValidateResponse = z.infer<typeof ValidateResponse>;

export const CheckAccessRequest = z
  .object({
    session_token: z.string().min(1, 'session_token must not be empty'),
    playbook_path: z.string().min(1, 'playbook_path must not be empty'),
    permission_type: z.string().min(1).meta({ description: 'execute, view or edit' }),
  })
  .meta({ id: 'CheckAccessRequest' });
export type CheckAccessRequest = z.infer<typeof CheckAccessRequest>;

export const CheckAccessResponse = z
  .object({
    allowed: z.boolean(),
    user: User.nullable(),
    playbook_path: z.string(),
    permission_type: z.string(),
    message: z.string(),
  })
  .meta({ id: 'CheckAccessResponse' });
export type CheckAccessResponse = z.infer<typeof CheckAccessResponse>;

/**
 * Roles as playbooks send them: an array, a JSON-array string, a Postgres array literal `{a,"b"}`,
 * or one plain role name. Anything else is no roles.
 */
export const Roles = z.unknown().transform((value): string[] => {
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((role): role is string => typeof role === 'string') : [];
    } catch {
      return [];
    }
  }
  if (text.startsWith('{') && text.endsWith('}')) {
    return text
      .slice(1, -1)
      .split(',')
      .map((role) => role.trim().replace(/^"(.*)"$/, '$1'))
      .filter((role) => role !== '');
  }
  return [text];
});

const Flag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

/**
 * A session in the `sessions` K/V bucket, keyed by the token. Written by the gateway and by the login
 * playbook itself (whose templates may render numbers and booleans as strings).
 */
export const CachedSession = z.object({
  session_token: z.string(),
  user_id: UserId,
  email: z.string(),
  display_name: z.string(),
  expires_at: z.string(),
  is_active: Flag,
  roles: Roles.optional().transform((roles) => roles ?? []),
});
export type CachedSession = z.infer<typeof CachedSession>;
