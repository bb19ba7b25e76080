import { PayloadTooLargeException } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteLimit } from './import-people.service';

describe('ByteLimit', () => {
  const drain = async (chunks: Buffer[], limit: number): Promise<number> => {
    const counter = new ByteLimit(limit);
    let seen = 0;
    await pipeline(Readable.from(chunks), counter, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) seen += chunk.length;
    });
    return seen;
  };

  it('passes a body up to the limit through untouched', async () => {
    expect(await drain([Buffer.alloc(600), Buffer.alloc(400)], 1000)).toBe(1000);
  });

  it('fails with 413 as soon as a streamed body passes the limit, without reading the rest', async () => {
    await expect(drain([Buffer.alloc(600), Buffer.alloc(401), Buffer.alloc(10_000)], 1000)).rejects.toBeInstanceOf(
      PayloadTooLargeException,
    );
  });
});
