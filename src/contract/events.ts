/**
 * @module contract/events
 * `GET /events`: its query and headers, and the record that binds an SSE client id to its session.
 */
import { z } from 'zod';
import { ClientId } from './common.ts';

export const EventsQuery = z.object({
  session_token: z
    .string()
    .optional()
    .meta({ description: 'Session token (EventSource cannot send headers)' }),
  client_id: ClientId.optional().meta({ description: 'Reuse a client id this session owns' }),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventsHeaders = z.object({
  'last-event-id': z.string().optional().meta({ description: '`<client_id>:<seq>` to resume after' }),
});

/**
 * The `gateway_clients` K/V value: the owning session (hashed) and where delivery stopped (a frame
 * position, which may have a fraction: see FrameLog).
 */
export const ClientRecord = z.object({
  owner: z.string(),
  delivered_seq: z.number().nonnegative().default(0),
});
export type ClientRecord = z.infer<typeof ClientRecord>;
