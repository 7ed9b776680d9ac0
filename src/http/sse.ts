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

export function parseEventId(lastEventId: string | undefined): { clientId: string; seq: number } | undefined {
  if (!lastEventId) return undefined;
  const match = /^([A-Za-z0-9_-]{1,128}):(\d{1,16})$/.exec(lastEventId.trim());
  if (!match) return undefined;
  return { clientId: match[1]!, seq: Number(match[2]) };
}
