/**
 * @module subscriptions/pendingRoutes
 * Routes that issue 5 defines (Firestore subscriptions) but that `openapi/openapi.json` does not list
 * yet, so the generated types cannot describe them. Typed here by hand from the issue text — the only
 * hand-written shapes in the package; replace them with `Schemas[...]` and `rest.POST(...)` once the
 * routes are in the document.
 */

import { GatewayHttpError } from '../errors.ts';
import { errorMessage } from '../rest.ts';

/** `POST /api/subscriptions/firestore` (issue 5; clients-and-upstream.md §1.8). */
export const FIRESTORE_SUBSCRIPTIONS_PATH = '/api/subscriptions/firestore';
export interface FirestoreSubscribeRequest {
  path: string;
  scope: string;
  client_id: string;
}
export interface FirestoreSubscribeResponse {
  subscription_id: string;
  client_id: string;
}

/** `DELETE /api/subscriptions/{subscription_id}` → 204. */
export function subscriptionPath(subscriptionId: string): string {
  return `/api/subscriptions/${encodeURIComponent(subscriptionId)}`;
}

export interface JsonCall {
  baseUrl: string;
  token: string;
  fetch: typeof globalThis.fetch;
  onUnauthorized: () => void;
}

/** A JSON call with the session as Bearer; non-2xx → `GatewayHttpError`, like the generated client. */
export async function callJson(
  call: JsonCall,
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await call.fetch(`${call.baseUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${call.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    // A DELETE sent while a page unloads must still leave (the travel SPA's choice).
    keepalive: method === 'DELETE',
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (response.status === 401) call.onUnauthorized();
  if (!response.ok) {
    const code =
      parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string'
        ? (parsed as { code: string }).code
        : undefined;
    throw new GatewayHttpError(response.status, errorMessage(parsed, response.status), code, parsed);
  }
  return parsed;
}

/** Reads `subscription_id` from an answer, refusing anything without one. */
export function subscriptionIdOf(answer: unknown, path: string): string {
  const id =
    answer && typeof answer === 'object'
      ? (answer as { subscription_id?: unknown }).subscription_id
      : undefined;
  if (typeof id !== 'string' || id === '')
    throw new GatewayHttpError(200, `${path} answered without a subscription_id`, undefined, answer);
  return id;
}
