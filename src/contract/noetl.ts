/**
 * @module contract/noetl
 * What the gateway sends to and reads from the NoETL server, and the callback payloads of the auth
 * playbooks. Tolerant where real servers differ (numeric or string ids, optional fields).
 */
import { z } from 'zod';
import { Roles, UserId } from './auth.ts';
import { FlexibleId, JsonValue } from './common.ts';
import { ResourceKind } from './playbooks.ts';

export const NoetlExecuteRequest = z.object({
  path: z.string(),
  workload: JsonValue,
  resource_kind: ResourceKind,
});
export type NoetlExecuteRequest = z.infer<typeof NoetlExecuteRequest>;

export const NoetlExecuteResponse = z
  .object({
    execution_id: FlexibleId,
    name: z.string().nullish(),
    status: z.string().nullish(),
    path: z.string().nullish(),
  })
  .loose();
export type NoetlExecuteResponse = z.infer<typeof NoetlExecuteResponse>;

export const NoetlCancelRequest = z.object({ reason: z.string(), cascade: z.boolean() });

const CallbackUser = z.object({
  user_id: UserId,
  email: z.string(),
  display_name: z.string().nullish(),
  roles: Roles.optional(),
});

/** `POST /api/auth/session/validate` answer (Python server / sync fast path). */
export const NoetlValidateResponse = z.object({
  status: z.string(),
  valid: z.boolean(),
  user: CallbackUser.nullish(),
  expires_at: z.string().nullish(),
  error: z.string().nullish(),
});

/** The `{status, data}` envelope of the synchronous auth endpoints (same `data` as the callbacks). */
export const NoetlSyncEnvelope = z.object({ status: z.string(), data: JsonValue.default(null) });

/** `data` of a successful login callback. Each field is checked in turn for the reference's messages. */
export const LoginCallbackUser = CallbackUser;

/** `data` of a validate-session playbook callback. */
export const ValidateCallbackData = z.object({
  valid: z.boolean(),
  user: z
    .object({
      user_id: z.unknown(),
      email: z.string(),
      display_name: z.string().nullish(),
      roles: Roles.optional(),
    })
    .nullish(),
  expires_at: z.string().nullish(),
  message: z.string().nullish(),
});
