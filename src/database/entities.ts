import { join } from 'node:path';

/**
 * Every entity of the platform, found by its file name (`*.entity.ts`, compiled `*.entity.js`)
 * wherever its module keeps it: the app and the migration CLI share this, and no list here
 * imports every feature (which tied the folders into one knot).
 */
export const ENTITIES = [join(__dirname, '..', '**', '*.entity.{js,ts}')];
