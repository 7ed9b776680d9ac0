/**
 * @module contract
 * The one place the client reaches into the gateway's contract (`src/contract/`). Frames are validated
 * with the very Zod schemas the server builds them from, so the client cannot drift from the server:
 * a field changed there is a type error or a validation error here, never a silent `undefined`.
 */
import type { z } from 'zod';
import {
  FrameByEvent,
  type FrameEventName,
  type InitFrame,
  type PlaybookProgressFrame,
  type PlaybookResultFrame,
  type PlaybookStateFrame,
  type SubscriptionEventFrame,
} from '../../src/contract/frames.ts';

export {
  ErrorFrame,
  FrameByEvent,
  FrameErrorCode,
  type FrameEventName,
  InitFrame,
  PingFrame,
  PlaybookProgressFrame,
  PlaybookResultFrame,
  PlaybookStateFrame,
  SubscriptionEventFrame,
} from '../../src/contract/frames.ts';
export { SubscriptionErrorData } from '../../src/contract/subscriptions.ts';

/** The validated `data` of an SSE event, by event name. */
export type FrameOf<E extends FrameEventName> = z.output<(typeof FrameByEvent)[E]>;

/** `result` of the init frame: the client id, capabilities, requests still pending for this client. */
export type InitResult = InitFrame['result'];
export type PlaybookResultParams = PlaybookResultFrame['params'];
export type PlaybookStateParams = PlaybookStateFrame['params'];
export type PlaybookProgressParams = PlaybookProgressFrame['params'];
export type SubscriptionEventParams = SubscriptionEventFrame['params'];

/** Every SSE event name the gateway sends, in the order the contract lists them. */
export const FRAME_EVENTS = Object.keys(FrameByEvent) as FrameEventName[];
