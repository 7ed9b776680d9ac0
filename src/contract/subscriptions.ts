/**
 * @module contract/subscriptions
 * Firestore subscriptions: `POST /api/subscriptions/firestore` and `DELETE /api/subscriptions/{id}`
 * (the reference's field names) and the JSON forms of Firestore values inside `subscription/event` frames.
 * The `data` of a subscription's error frame (SubscriptionErrorData) is declared with the frames.
 */
import { z } from 'zod';
import { ClientId } from './common.ts';

/**
 * How Firestore values appear in the `data` of a `subscription/event` frame (and in the ownership check).
 * Native JSON values pass through unchanged.
 */
export const FIRESTORE_JSON_FORMS = {
  timestamp:
    'RFC 3339 UTC string with 0, 3, 6 or 9 fractional digits (proto3 JSON), e.g. "2024-05-01T09:30:00.250Z"',
  integer: 'a JSON number; beyond ±2^53 its exact decimal string',
  double: 'a JSON number; NaN, Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity"',
  geoPoint: '{"latitude": number, "longitude": number}',
  reference: 'the document path relative to the database, e.g. "users/alice"',
  bytes: 'standard base64 string',
  vector: 'array of numbers',
} as const;

const formsDescription = Object.entries(FIRESTORE_JSON_FORMS)
  .map(([kind, form]) => `${kind}: ${form}`)
  .join('; ');

export const FirestoreSubscribeRequest = z
  .object({
    path: z.string().max(1024).meta({
      description:
        'Collection path to watch; must match a configured template (default `chat_threads/{thread_id}/trip/current/events`)',
      example: 'chat_threads/thread-1/trip/current/events',
    }),
    scope: z.string().default('owner').meta({ description: 'Only `owner` is supported' }),
    client_id: ClientId.optional().meta({
      description:
        'SSE client that receives the frames; must belong to the caller’s session and be connected. Default: one of the session’s clients connected to this replica',
    }),
  })
  .meta({ id: 'FirestoreSubscribeRequest' });
export type FirestoreSubscribeRequest = z.infer<typeof FirestoreSubscribeRequest>;

export const FirestoreSubscribeResponse = z
  .object({
    subscription_id: z.string().meta({ description: 'Filter `subscription/event` frames by this id' }),
    client_id: z.string(),
  })
  .meta({ id: 'FirestoreSubscribeResponse' });
export type FirestoreSubscribeResponse = z.infer<typeof FirestoreSubscribeResponse>;

export const UnsubscribeRequest = z.object({
  subscription_id: z.string().min(1).max(256),
});

export const FIRESTORE_JSON_DESCRIPTION = `Document fields as JSON. ${formsDescription}.`;
