import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';

/** supertest parser: keeps a CSV body as raw bytes (the BOM included). */
export function rawBody(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The CSV rows of a response as objects keyed by the header row. */
export function csvRecords(res: Response): Array<Record<string, string>> {
  return parse<Record<string, string>>(res.body as Buffer, { bom: true, columns: true });
}
