/**
 * @module core/ingress/deliveryEnvelope
 * A verified delivery as the playbook receives it, in the reference's shapes:
 *
 * - the envelope `{attributes, data, headers, id, metadata: {mode: "push", source}}`. A webhook's data is its
 *   body (JSON when it parses, else its text; `null` when empty), its headers the request's without
 *   credentials or the signature, its directive channel those headers. A Pub/Sub push
 *   (`{message: {data: <base64>, messageId, attributes}, subscription}`) is unwrapped: data decoded (then
 *   JSON or text), the attributes are the headers and the directive channel;
 * - the workload `{message: <envelope>, subscription: <catalog_path>, source, …}` plus, per `payload_from`,
 *   the data's fields (`message.json`), the attributes' fields (`message.attributes`) or the data as text
 *   (`message.body`, under `body`), and the idempotency key / content type directives.
 */

import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IngressListenerConfig } from '../../contract/ingress.ts';
import { isRawJson, jsonNestingExceeds, parseJsonExact } from '../../lib/losslessJson.ts';
import { type HeaderMap, headersObject, withoutCredentials } from './deliveryHeaders.ts';
import type { DirectiveChannel, DispatchPlan } from './directives.ts';

export interface DeliveryEnvelope {
  envelope: Record<string, unknown>;
  /** Where directives are read from: the safe headers (webhook) or the lowercased attributes (Pub/Sub). */
  channel: DirectiveChannel;
  messageId: string;
}

/**
 * A body's bytes as a value: `null` when empty, JSON when it is UTF-8 JSON nesting no deeper than
 * `maxDepth` (numbers kept as written), its text otherwise.
 */
export function bodyValue(bytes: Buffer, maxDepth: number): unknown {
  if (bytes.length === 0) return null;
  if (!isUtf8(bytes)) return bytes.toString('utf8');
  const text = bytes.toString('utf8');
  if (jsonNestingExceeds(text, maxDepth)) return text;
  try {
    return parseJsonExact(text);
  } catch {
    return text;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isRawJson(value);

/** Strict standard base64 (padding, no stray characters or bits), as the reference decodes it. */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function unwrapPubsub(body: Buffer, maxDepth: number): DeliveryEnvelope | undefined {
  const parsed = bodyValue(body, maxDepth);
  if (!isObject(parsed) || !Object.hasOwn(parsed, 'message')) return undefined;
  const message = isObject(parsed.message) ? parsed.message : {};
  const encoded = typeof message.data === 'string' ? message.data : '';
  let data: unknown = null;
  if (encoded !== '') {
    const bytes = decodeBase64(encoded);
    data = bytes ? bodyValue(bytes, maxDepth) : encoded;
  }
  const attributes = isObject(message.attributes) ? message.attributes : {};
  const id = [message.messageId, message.message_id].find((value) => typeof value === 'string');
  const messageId = (id as string | undefined) ?? randomUUID();
  const channel = new Map(Object.entries(attributes).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    envelope: {
      attributes,
      data,
      headers: Object.fromEntries(channel),
      id: messageId,
      metadata: { mode: 'push', source: 'pubsub' },
    },
    channel,
    messageId,
  };
}

export function deliveryEnvelope(
  config: IngressListenerConfig,
  headers: HeaderMap,
  body: Buffer,
  maxDepth: number,
): DeliveryEnvelope {
  if (config.source === 'pubsub') {
    const unwrapped = unwrapPubsub(body, maxDepth);
    if (unwrapped) return unwrapped;
    // Not a push envelope after all: handled as a plain webhook, as the reference does.
  }
  const safe = withoutCredentials(headers, config.verify.header ?? undefined);
  const given = safe.get('x-message-id');
  const messageId = typeof given === 'string' ? given : randomUUID();
  return {
    envelope: {
      attributes: {},
      data: bodyValue(body, maxDepth),
      headers: headersObject(safe),
      id: messageId,
      metadata: { mode: 'push', source: config.source },
    },
    channel: safe,
    messageId,
  };
}

/** The execution's workload for a delivery (see the module comment). */
export function deliveryWorkload(
  config: IngressListenerConfig,
  envelope: Record<string, unknown>,
  plan: DispatchPlan,
): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['message', envelope],
    ['subscription', config.catalog_path],
    ['source', config.source],
  ];
  const data = envelope.data;
  const primary =
    config.dispatch.payload_from === 'message.attributes'
      ? envelope.attributes
      : config.dispatch.payload_from === 'message.body'
        ? typeof data === 'string'
          ? data
          : JSON.stringify(data)
        : data;
  if (isObject(primary)) {
    // The data's fields join the workload; the three above are never overwritten by them.
    for (const [key, value] of Object.entries(primary))
      if (key !== 'message' && key !== 'subscription' && key !== 'source') entries.push([key, value]);
  } else {
    entries.push(['body', primary]);
  }
  if (plan.idempotencyKey !== undefined) entries.push(['idempotency_key', plan.idempotencyKey]);
  if (plan.contentType !== undefined) entries.push(['content_type', plan.contentType]);
  // fromEntries defines each key as data (a `__proto__` field stays a field); a later entry wins.
  return Object.fromEntries(entries);
}
