/**
 * @module core/subscriptions/subscriptionFrames
 * The frames a Firestore subscription sends: one `subscription/event` per document change (params keys
 * alphabetical, as the reference), and `error` frames (code -32010) naming the subscription.
 */
import type { DocumentChange } from '../../adapters/ports.ts';
import {
  type ErrorFrame,
  FrameErrorCode,
  type SubscriptionErrorData,
  type SubscriptionEventFrame,
} from '../../contract/index.ts';

export function subscriptionEventFrame(
  subscriptionId: string,
  change: DocumentChange,
): SubscriptionEventFrame {
  return {
    jsonrpc: '2.0',
    method: 'subscription/event',
    params: { data: change.data, doc_id: change.docId, op: change.op, subscription_id: subscriptionId },
  };
}

export function subscriptionErrorFrame(message: string, data: SubscriptionErrorData): ErrorFrame {
  const { reason, retrying, subscription_id } = data;
  return {
    jsonrpc: '2.0',
    error: { code: FrameErrorCode.subscription, message, data: { reason, retrying, subscription_id } },
  };
}
