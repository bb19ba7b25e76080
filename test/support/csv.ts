import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';

/** supertest: keep a CSV body as raw bytes (the BOM included). */
export function rawBody(
  res: NodeJS.ReadableStream & { setEncoding(e: string): void },
  callback: (err: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The CSV rows of a response as objects keyed by the header row. */
export function csvRecords(res: Response): Array<Record<string, string>> {
  return parse(res.body as Buffer, { bom: true, columns: true }) as Array<Record<string, string>>;
}
