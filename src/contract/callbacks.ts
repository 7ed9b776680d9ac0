/**
 * @module contract/callbacks
 * What workers and playbooks POST to `/api/internal/*`, and what they get back.
 */
import { z } from 'zod';
import { FlexibleId, JsonValue, rawNumberAsDouble } from './common.ts';

const RequestId = z.string().trim().min(1, 'request_id must not be empty').max(256);
const OptionalText = z.string().nullish();

/** `POST /api/internal/callback`: the result of an auth playbook (login, validate, check-access). */
export const AuthCallbackRequest = z
  .object({
    request_id: RequestId,
    execution_id: FlexibleId.nullish(),
    step: OptionalText,
    status: z.string().default('success'),
    data: JsonValue.default(null),
  })
  .meta({ id: 'AuthCallbackRequest' });
export type AuthCallbackRequest = z.infer<typeof AuthCallbackRequest>;

export const AuthCallbackResponse = z
  .object({ delivered: z.boolean(), message: z.string() })
  .meta({ id: 'AuthCallbackResponse' });
export type AuthCallbackResponse = z.infer<typeof AuthCallbackResponse>;

export const CallbackError = z
  .object({
    code: z.preprocess(rawNumberAsDouble, z.number().int().optional()),
    message: z.string(),
    data: JsonValue.optional(),
  })
  .meta({ id: 'CallbackError' });

/** `POST /api/internal/callback/async`: the result of a playbook started with a `client_id`. */
export const AsyncCallbackRequest = z
  .object({
    request_id: RequestId,
    execution_id: FlexibleId.nullish(),
    status: z.string().default('COMPLETED'),
    data: JsonValue.default(null),
    error: CallbackError.nullish(),
  })
  .meta({ id: 'AsyncCallbackRequest' });
export type AsyncCallbackRequest = z.infer<typeof AsyncCallbackRequest>;

export const AsyncCallbackResponse = z
  .union([
    z.object({ status: z.literal('delivered') }),
    z.object({
      clientDisconnected: z.literal(true),
      status: z.literal('queued').meta({
        description: 'The client is not connected; the frames are kept and replayed when it reconnects',
      }),
    }),
  ])
  .meta({ id: 'AsyncCallbackResponse' });
export type AsyncCallbackResponse = z.infer<typeof AsyncCallbackResponse>;

/** `POST /api/internal/progress`. */
export const ProgressRequest = z
  .object({
    request_id: RequestId,
    execution_id: FlexibleId.nullish(),
    step: OptionalText,
    message: OptionalText,
    progress: z.preprocess(rawNumberAsDouble, z.number().finite().nullish()),
  })
  .meta({ id: 'ProgressRequest' });
export type ProgressRequest = z.infer<typeof ProgressRequest>;

export const ProgressResponse = z.object({ status: z.literal('sent') }).meta({ id: 'ProgressResponse' });
