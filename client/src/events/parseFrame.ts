/**
 * @module events/parseFrame
 * Turns the `data` of one SSE event into a contract-validated frame, or an `InvalidFrameError` that
 * names the event and every offending field. Nothing downstream ever sees an unvalidated frame.
 */
import { checkFrame, type FrameEventName, type FrameOf } from '../contract.ts';
import { InvalidFrameError } from '../errors.ts';

/** A validated frame with its SSE event name and id (`<clientId>:<seq>`). */
export type ParsedFrame = {
  [E in FrameEventName]: { event: E; frame: FrameOf<E>; id: string };
}[FrameEventName];

export function parseFrame(event: FrameEventName, data: string, id: string): ParsedFrame | InvalidFrameError {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new InvalidFrameError(`${event} frame is not JSON: ${reason}`, event, data, []);
  }
  const result = checkFrame(event, json);
  if (!result.success) {
    const { issues } = result;
    const summary = issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return new InvalidFrameError(
      `${event} frame does not match the contract: ${summary}`,
      event,
      data,
      issues,
    );
  }
  // Sound: the schema was picked by `event`, so its output is that event's frame.
  return { event, frame: result.data, id } as ParsedFrame;
}
