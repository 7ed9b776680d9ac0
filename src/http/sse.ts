/**
 * @module http/sse
 * Server-Sent-Events framing: one event is `id:`, `event:`, `data:` lines and a blank line.
 * Frame JSON never contains a raw newline (JSON.stringify escapes them), so `data` is one line.
 */
import { type Frame, frameEventName } from '../contract/index.ts';

export function encodeEvent(event: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

export function encodeFrame(frame: Frame, id?: string): string {
  return encodeEvent(frameEventName(frame), JSON.stringify(frame), id);
}

export function encodeComment(text: string): string {
  return `: ${text}\n\n`;
}

export function encodeRetry(milliseconds: number): string {
  return `retry: ${milliseconds}\n\n`;
}

/** The SSE id of a frame: client id and sequence, so a browser's reconnect names both. */
export function eventId(clientId: string, seq: number): string {
  return `${clientId}:${seq}`;
}

/**
 * The client and sequence a `Last-Event-ID` names. A sequence the gateway cannot have issued — beyond
 * 2^53, where a double no longer tells neighbours apart (`9007199254740993` would read as `…992`) — is
 * not taken (`seq` undefined): the stream resumes after what the client was last delivered, never skipping
 * frames on a rounded number. A fraction (`41.5`) names a frame stored together with the next ones.
 */
export function parseEventId(
  lastEventId: string | undefined,
): { clientId: string; seq: number | undefined } | undefined {
  if (!lastEventId) return undefined;
  const match = /^([A-Za-z0-9_-]{1,128}):(\d{1,32})(\.\d{1,20})?$/.exec(lastEventId.trim());
  if (!match) return undefined;
  const whole = Number(match[2]);
  const seq = Number(`${match[2]}${match[3] ?? ''}`);
  return { clientId: match[1]!, seq: Number.isSafeInteger(whole) ? seq : undefined };
}
