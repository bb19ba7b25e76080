import type { Readable } from 'node:stream';

/**
 * The chunks of `stream` joined into pieces of at least `minBytes` (the last may be
 * smaller), reading only as fast as the consumer asks. PostgreSQL sends COPY output in
 * 8 KB messages: relayed one by one, a million-row export is some 14,000 socket writes and
 * as many turns of the async iterator, most of the API's CPU for an export; joined into
 * 64 KB pieces, an eighth of that. Errors of the stream are thrown to the consumer.
 */
export async function* coalesce(stream: Readable, minBytes: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    pending.push(buffer);
    size += buffer.length;
    if (size < minBytes) continue;
    yield pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
    pending = [];
    size = 0;
  }
  if (size > 0) yield Buffer.concat(pending, size);
}
