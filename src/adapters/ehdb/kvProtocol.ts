/**
 * @module adapters/ehdb/kvProtocol
 * The wire format of EHDB's KV face (contract §12.11): every frame, both ways, is a 4-byte big-endian length
 * followed by that many bytes of JSON. Requests are externally tagged (`{"Get":{…}}`); an answer is
 * `{"ok", "value"?, "entries"?, "err"?}`. A missing key is `ok: true` without `value` — never the same as a
 * failed call (`ok: false`), which must not read as "no such session" or "no such request".
 */

export type KvRequest =
  | { Get: { bucket: string; key: string } }
  | { Put: { bucket: string; key: string; value: string; ttl_ms: number } }
  | { Delete: { bucket: string; key: string } }
  | { Scan: { bucket: string } };

export interface KvResponse {
  ok: boolean;
  value?: string;
  entries?: [string, string][];
  err?: string;
}

/** Bytes of the length prefix. */
export const LENGTH_BYTES = 4;

/** One request as it goes on the wire. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, LENGTH_BYTES);
  return frame;
}

/** A frame the peer sent that breaks the protocol: the connection cannot be trusted past it. */
export class KvProtocolError extends Error {
  override name = 'KvProtocolError';
}

/**
 * Splits a byte stream into frame bodies. Chunks may hold several frames or a part of one; `push` returns
 * every body completed by the chunk, in order. A declared length above `maxFrameBytes` is a protocol error
 * (nothing that large is buffered).
 */
export class FrameReader {
  readonly #maxFrameBytes: number;
  #buffered: Buffer = Buffer.alloc(0);

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  push(chunk: Buffer): Buffer[] {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const bodies: Buffer[] = [];
    let offset = 0;
    while (this.#buffered.length - offset >= LENGTH_BYTES) {
      const length = this.#buffered.readUInt32BE(offset);
      if (length > this.#maxFrameBytes)
        throw new KvProtocolError(`frame of ${length} bytes exceeds the limit of ${this.#maxFrameBytes}`);
      if (this.#buffered.length - offset - LENGTH_BYTES < length) break;
      bodies.push(this.#buffered.subarray(offset + LENGTH_BYTES, offset + LENGTH_BYTES + length));
      offset += LENGTH_BYTES + length;
    }
    this.#buffered = offset === 0 ? this.#buffered : this.#buffered.subarray(offset);
    return bodies;
  }
}

/** Parses an answer body; anything but the documented shape is a protocol error. */
export function decodeResponse(body: Buffer): KvResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new KvProtocolError('answer is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new KvProtocolError('answer is not a JSON object');
  const { ok, value, entries, err } = parsed as Record<string, unknown>;
  if (typeof ok !== 'boolean') throw new KvProtocolError('answer has no boolean "ok"');
  const response: KvResponse = { ok };
  if (value !== undefined && value !== null) {
    if (typeof value !== 'string') throw new KvProtocolError('"value" is not a string');
    response.value = value;
  }
  if (entries !== undefined && entries !== null) {
    if (!Array.isArray(entries)) throw new KvProtocolError('"entries" is not an array');
    response.entries = entries.map((entry) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string')
        throw new KvProtocolError('an entry is not a [key, value] pair of strings');
      return [entry[0], entry[1]];
    });
  }
  if (typeof err === 'string') response.err = err;
  return response;
}
