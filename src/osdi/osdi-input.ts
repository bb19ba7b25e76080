import { FieldError } from '../common/error-response';
import { RequestValidationException } from '../common/validation';
import { SLUG_PATTERN } from '../common/validators';

/** What this platform keeps of an OSDI person (the rest of the OSDI fields is ignored). */
export interface OsdiPersonFields {
  email?: string;
  givenName?: string;
  familyName?: string;
  country?: string;
  postalCode?: string;
  language?: string;
}

export interface OsdiHelperInput {
  person?: OsdiPersonFields;
  /** The id at the end of `_links["osdi:person"].href`. */
  personId?: string;
  addTags: string[];
  addLists: string[];
  comment?: string;
}

/** Our DTOs' field names → where they are in an OSDI body, for the errors. */
export const OSDI_FIELD: Record<string, string> = {
  email: 'person.email_addresses.address',
  givenName: 'person.given_name',
  familyName: 'person.family_name',
  country: 'person.postal_addresses.country',
  postalCode: 'person.postal_addresses.postal_code',
  language: 'person.languages_spoken',
  comment: 'comments',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAMES = 20;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The primary entry of an OSDI array (else the first). */
function primary(value: unknown, field: string, errors: FieldError[]): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => !isObject(v))) {
    errors.push({ field, message: `${field} must be an array of objects` });
    return undefined;
  }
  const entries = value as Json[];
  return entries.find((e) => e.primary === true) ?? entries[0];
}

function text(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push({ field, message: `${field} must be a string` });
    return undefined;
  }
  return value;
}

function names(value: unknown, field: string, errors: FieldError[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_NAMES || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 100)) {
    errors.push({ field, message: `${field} must be an array of at most ${MAX_NAMES} names` });
    return [];
  }
  return [...new Set(value as string[])];
}

/** An OSDI person hash → the fields kept; each wrong shape reported under its OSDI name. */
export function readPerson(value: unknown, errors: FieldError[], prefix = 'person'): OsdiPersonFields | undefined {
  // `prefix` '' reads a person at the top level (a PUT's body).
  const at = (name: string): string => (prefix ? `${prefix}.${name}` : name);
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    errors.push({ field: prefix || 'body', message: `${prefix || 'the body'} must be an object` });
    return undefined;
  }
  const email = primary(value.email_addresses, at('email_addresses'), errors);
  const postal = primary(value.postal_addresses, at('postal_addresses'), errors);
  let language: string | undefined;
  if (value.languages_spoken !== undefined && value.languages_spoken !== null) {
    if (!Array.isArray(value.languages_spoken) || value.languages_spoken.some((l) => typeof l !== 'string')) {
      errors.push({ field: at('languages_spoken'), message: `${at('languages_spoken')} must be an array of language tags` });
    } else language = (value.languages_spoken as string[])[0] || undefined;
  }
  if (value.custom_fields !== undefined && value.custom_fields !== null && !isObject(value.custom_fields)) {
    errors.push({ field: at('custom_fields'), message: `${at('custom_fields')} must be an object` });
  }
  const fields: OsdiPersonFields = {
    email: email ? text(email.address, at('email_addresses.address'), errors) : undefined,
    givenName: text(value.given_name, at('given_name'), errors),
    familyName: text(value.family_name, at('family_name'), errors),
    country: postal ? text(postal.country, at('postal_addresses.country'), errors)?.toUpperCase() : undefined,
    postalCode: postal ? text(postal.postal_code, at('postal_addresses.postal_code'), errors) : undefined,
    language,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The person id an HAL link names, whatever host the client wrote (n8n writes actionnetwork.org's). */
export function personIdOfLink(value: unknown, field: string, errors: FieldError[]): string | undefined {
  const href = isObject(value) && isObject(value['osdi:person']) ? value['osdi:person'].href : undefined;
  if (typeof href !== 'string') {
    errors.push({ field, message: `${field} must be {"osdi:person": {"href": ".../people/<id>"}}` });
    return undefined;
  }
  const id = href.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
  if (!UUID.test(id)) {
    errors.push({ field, message: `${field} must end with a person id` });
    return undefined;
  }
  return id.toLowerCase();
}

/** A helper's body (`{person, add_tags?, add_lists?}`, or `_links["osdi:person"]`). */
export function readHelperBody(body: unknown, options: { personLink: boolean }): OsdiHelperInput {
  const errors: FieldError[] = [];
  if (!isObject(body)) throw new RequestValidationException([{ field: 'person', message: 'the body must be a JSON object' }]);
  const person = readPerson(body.person, errors);
  let personId: string | undefined;
  if (options.personLink && body._links !== undefined) personId = personIdOfLink(body._links, '_links', errors);
  if (!person && !personId && errors.length === 0) {
    errors.push({ field: 'person', message: options.personLink ? 'person or _links["osdi:person"] is required' : 'person is required' });
  }
  if (person && !personId && !person.email) errors.push({ field: 'person.email_addresses', message: 'an email address is required' });
  const addTags = names(body.add_tags, 'add_tags', errors);
  for (const tag of addTags) {
    if (!SLUG_PATTERN.test(tag) || tag.length > 64) {
      errors.push({ field: 'add_tags', message: 'tags are lower-case letters, digits and dashes (at most 64)' });
      break;
    }
  }
  const input: OsdiHelperInput = {
    person,
    personId,
    addTags,
    addLists: names(body.add_lists, 'add_lists', errors),
    comment: text(body.comments ?? body.comment, 'comments', errors),
  };
  if (errors.length > 0) throw new RequestValidationException(errors);
  return input;
}
