import { BadRequestException } from '@nestjs/common';
import Busboy from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { IMPORT_MAX_BYTES } from '../imports/import-people.service';

/** The only route that takes a streamed upload: the import wizard's first step. */
const UPLOAD_ROUTE = /^\/console\/imports\/?(\?|$)/;
/** What the upload's body is handed to the route as (the multipart body, unread). */
const UPLOAD_TYPE = 'application/x-console-upload';
const ORIGINAL_TYPE = Symbol('console upload content type');

type RawWithType = FastifyRequest['raw'] & { [ORIGINAL_TYPE]?: string };

/**
 * Fastify's one multipart parser (src/mailings: one-click unsubscribes) reads small bodies
 * as text. The import wizard's upload is up to 50 MB and must stream into PostgreSQL, so on
 * that one route the body is handed over unread: a preParsing hook renames its content type
 * (keeping the original, with its boundary), and a parser for that name passes the stream
 * through. Every other route keeps its parsers and limits.
 */
export function acceptStreamedUpload(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'] ?? '';
    if (request.method === 'POST' && UPLOAD_ROUTE.test(request.url) && /^multipart\/form-data\b/i.test(type)) {
      (request.raw as RawWithType)[ORIGINAL_TYPE] = type;
      request.headers['content-type'] = UPLOAD_TYPE;
    }
    return payload;
  });
  fastify.addContentTypeParser(UPLOAD_TYPE, (request, payload, done) => {
    if (!UPLOAD_ROUTE.test(request.url) || !(request.raw as RawWithType)[ORIGINAL_TYPE]) {
      done(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), undefined);
      return;
    }
    done(null, payload);
  });
}

/**
 * Reads the multipart body of an upload and hands the one file field `field` to `handle`
 * as a stream (never buffered whole); every other part is discarded. 400 without the file.
 */
export async function readUploadedFile<T>(
  req: FastifyRequest,
  field: string,
  handle: (file: Readable, filename: string) => Promise<T>,
): Promise<T> {
  const type = (req.raw as RawWithType)[ORIGINAL_TYPE];
  const body = req.body;
  if (!type || !(body instanceof Readable)) throw new BadRequestException('Send the file as a form upload (multipart/form-data)');
  const parser = Busboy({ headers: { 'content-type': type }, limits: { files: 1, fields: 10, fileSize: IMPORT_MAX_BYTES + 1 } });
  return new Promise<T>((resolve, reject) => {
    let result: Promise<T> | undefined;
    parser.on('file', (name, stream, filename) => {
      if (name !== field || result) {
        stream.resume();
        return;
      }
      result = handle(stream, filename);
      // The handler's failure (413, 400) must not wait for the rest of the body.
      result.catch((err: unknown) => {
        body.unpipe(parser);
        body.resume();
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
    parser.on('error', (err: unknown) => reject(new BadRequestException(`The upload could not be read: ${(err as Error).message}`)));
    parser.on('finish', () => {
      if (!result) reject(new BadRequestException('Choose a CSV file to upload'));
      else result.then(resolve, reject);
    });
    body.pipe(parser);
  });
}
