import { Readable } from 'node:stream';
import { coalesce } from './coalesce';

describe('coalesce', () => {
  const collect = async (chunks: Buffer[], min: number): Promise<Buffer[]> => {
    const out: Buffer[] = [];
    for await (const piece of coalesce(Readable.from(chunks, { objectMode: false }), min)) out.push(piece);
    return out;
  };

  it('joins small chunks into pieces of at least the minimum, keeping every byte in order', async () => {
    const chunks = Array.from({ length: 25 }, (_, i) => Buffer.from(`row ${i}\n`));
    const pieces = await collect(chunks, 40);
    expect(Buffer.concat(pieces).equals(Buffer.concat(chunks))).toBe(true);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(40);
    expect(pieces.length).toBeLessThan(chunks.length);
  });

  it('passes a chunk bigger than the minimum as it is, and ends with what is left', async () => {
    const big = Buffer.alloc(100, 'a');
    const pieces = await collect([big, Buffer.from('tail')], 64);
    expect(pieces[0]).toBe(big);
    expect(pieces[1].toString()).toBe('tail');
  });

  it('throws the stream error to the consumer', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('COPY failed'));
      },
    });
    await expect(
      (async () => {
        for await (const _ of coalesce(failing, 10)) void _;
      })(),
    ).rejects.toThrow('COPY failed');
  });
});
