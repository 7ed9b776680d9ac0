/**
 * @module contract
 * The one place the client reaches into the gateway's contract (`@noetl/gateway-contract`). Frames are
 * validated with the very schemas the server builds them from, so the client cannot drift from the server:
 * a field changed there is a type error or a validation error here, never a silent `undefined`. Only the
 * frames module is imported at run time (zod/mini schemas, a few KB in a browser bundle).
 */
import {
  FrameByEvent,
  type FrameEventName,
  type InitFrame,
  type PlaybookProgressFrame,
  type PlaybookResultFrame,
  type PlaybookStateFrame,
  type SubscriptionEventFrame,
} from '@noetl/gateway-contract/frames';

export {
  checkFrame,
  ErrorFrame,
  FrameByEvent,
  FrameErrorCode,
  type FrameEventName,
  type FrameIssue,
  type FrameOf,
  InitFrame,
  PingFrame,
  PlaybookProgressFrame,
  PlaybookResultFrame,
  PlaybookStateFrame,
  SubscriptionErrorData,
  SubscriptionEventFrame,
} from '@noetl/gateway-contract/frames';

/** `result` of the init frame: the client id, capabilities, requests still pending for this client. */
export type InitResult = InitFrame['result'];
export type PlaybookResultParams = PlaybookResultFrame['params'];
export type PlaybookStateParams = PlaybookStateFrame['params'];
export type PlaybookProgressParams = PlaybookProgressFrame['params'];
export type SubscriptionEventParams = SubscriptionEventFrame['params'];

/** Every SSE event name the gateway sends, in the order the contract lists them. */
export const FRAME_EVENTS = Object.keys(FrameByEvent) as FrameEventName[];
