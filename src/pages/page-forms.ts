import type { Type } from '@nestjs/common';
import { isISO31661Alpha2 } from 'class-validator';
import { SupportedLanguage } from '../common/languages';
import { createValidationPipe, RequestValidationException } from '../common/validation';
import { CreateRsvpDto } from '../events/dto/create-rsvp.dto';
import { COMMENT_MAX, SignPetitionDto } from '../petitions/dto/sign-petition.dto';
import { CreateSignupDto } from '../join/dto/create-signup.dto';
import { MessageKey, MESSAGES } from '../web/i18n';
import { renderTemplate } from '../web/layout';

export type FormKind = 'join' | 'sign' | 'rsvp';

interface FieldSpec {
  /** The API's field name, used as the input's name. */
  name: string;
  control: 'text' | 'email' | 'country' | 'textarea' | 'checkbox' | 'guests';
  label: MessageKey;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

interface FormSpec {
  dto: Type<object>;
  fields: FieldSpec[];
  submit: MessageKey;
}

const EMAIL: FieldSpec = { name: 'email', control: 'email', label: 'fieldEmail', required: true, autocomplete: 'email', maxlength: 254 };
const given = (required: boolean): FieldSpec => ({
  name: 'givenName',
  control: 'text',
  label: 'fieldGivenName',
  required,
  autocomplete: 'given-name',
  maxlength: 100,
});
const FAMILY: FieldSpec = { name: 'familyName', control: 'text', label: 'fieldFamilyName', autocomplete: 'family-name', maxlength: 100 };
const country = (required: boolean): FieldSpec => ({
  name: 'country',
  control: 'country',
  label: 'fieldCountry',
  required,
  autocomplete: 'country',
});
const POSTAL: FieldSpec = { name: 'postalCode', control: 'text', label: 'fieldPostalCode', autocomplete: 'postal-code', maxlength: 20 };
const SUBSCRIBE: FieldSpec = { name: 'subscribe', control: 'checkbox', label: 'fieldSubscribe' };

/** The three public forms, field for field the API's bodies (same names, same DTOs, same rules). */
export const FORMS: Record<FormKind, FormSpec> = {
  join: {
    dto: CreateSignupDto,
    fields: [
      EMAIL,
      given(false),
      FAMILY,
      country(false),
      POSTAL,
      { name: 'consent', control: 'checkbox', label: 'fieldConsentJoin', required: true },
    ],
    submit: 'joinSubmit',
  },
  sign: {
    dto: SignPetitionDto,
    fields: [
      EMAIL,
      given(true),
      FAMILY,
      country(true),
      POSTAL,
      { name: 'comment', control: 'textarea', label: 'fieldComment', maxlength: COMMENT_MAX },
      { name: 'publicName', control: 'checkbox', label: 'fieldPublicName' },
      SUBSCRIBE,
    ],
    submit: 'signSubmit',
  },
  rsvp: {
    dto: CreateRsvpDto,
    fields: [EMAIL, given(true), FAMILY, country(false), { name: 'guests', control: 'guests', label: 'fieldGuests' }, SUBSCRIBE],
    submit: 'rsvpSubmit',
  },
};

const ERROR_MESSAGE: Record<string, MessageKey> = {
  email: 'errorEmail',
  givenName: 'errorGivenName',
  familyName: 'errorFamilyName',
  country: 'errorCountry',
  postalCode: 'errorPostalCode',
  comment: 'errorComment',
  publicName: 'errorPublicName',
  subscribe: 'errorSubscribe',
  guests: 'errorGuests',
  consent: 'errorConsent',
  language: 'errorLanguage',
  altcha: 'errorAltcha',
};

/** What the person typed, as strings, for re-rendering the form. */
export type FormValues = Record<string, string>;
/** Field name → its error message (already in the page's language). */
export type FormErrors = Record<string, string>;

export interface Submission {
  values: FormValues;
  /** The API body the form stands for. */
  body: Record<string, unknown>;
  honeypot: string;
  altcha: string;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * A form-urlencoded body as the API body it stands for: only the form's own fields, an empty
 * input is an absent field, a ticked checkbox ("true" or "on") is true, guests a number.
 * Values that are not what the API expects are passed on as they are, so the DTO says why.
 */
export function readSubmission(kind: FormKind, raw: unknown, language: SupportedLanguage): Submission {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const values: FormValues = {};
  const body: Record<string, unknown> = {};
  for (const field of FORMS[kind].fields) {
    const value = firstString(source[field.name]);
    if (value === undefined || value === '') continue;
    values[field.name] = value;
    if (field.control === 'checkbox') body[field.name] = value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
    else if (field.control === 'guests') body[field.name] = /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value;
    else body[field.name] = value;
  }
  body.language = language;
  // The honeypot goes to the API's body like any field: every action's service drops a filled one.
  const honeypot = firstString(source.website) ?? '';
  if (honeypot) body.website = honeypot;
  return { values, body, honeypot, altcha: firstString(source.altcha) ?? '' };
}

const pipe = createValidationPipe();

/** The API's own validation of the body: the DTO instance, or each bad field's message in the page's language. */
export async function validateSubmission<T>(
  kind: FormKind,
  body: Record<string, unknown>,
  language: SupportedLanguage,
): Promise<{ dto: T; errors: null } | { dto: null; errors: FormErrors }> {
  try {
    const dto = (await pipe.transform(body, { type: 'body', metatype: FORMS[kind].dto, data: undefined })) as T;
    return { dto, errors: null };
  } catch (err) {
    if (!(err instanceof RequestValidationException)) throw err;
    const t = MESSAGES[language];
    const errors: FormErrors = {};
    for (const detail of err.details) {
      const field = detail.field.split('.')[0];
      errors[field] ??= t[ERROR_MESSAGE[field] ?? 'errorField'];
    }
    return { dto: null, errors };
  }
}

const countryNames = new Map<SupportedLanguage, Array<{ code: string; name: string }>>();

/** Every ISO 3166-1 code with its name in the page's language, sorted by name: the country select's options. */
function countries(language: SupportedLanguage): Array<{ code: string; name: string }> {
  let list = countryNames.get(language);
  if (!list) {
    const names = new Intl.DisplayNames([language], { type: 'region' });
    const collator = new Intl.Collator(language);
    list = [];
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (isISO31661Alpha2(code)) list.push({ code, name: names.of(code) ?? code });
      }
    }
    list.sort((x, y) => collator.compare(x.name, y.name));
    countryNames.set(language, list);
  }
  return list;
}

/** The country options with the submitted one (any case) selected, so a re-rendered form keeps it. */
function countryOptions(language: SupportedLanguage, value: string | undefined): Array<{ code: string; label: string; selected: boolean }> {
  const chosen = (value ?? '').trim().toUpperCase();
  return countries(language).map((c) => ({ code: c.code, label: c.name, selected: c.code === chosen }));
}

const FORM_TEMPLATE = `<form method="post" action="{{action}}" novalidate data-form="{{kind}}" data-api="{{api}}"{{#pow}} data-pow="/api/v1/challenge" data-pow-running="{{t.proofOfWorkRunning}}"{{/pow}}{{#hasErrors}} aria-describedby="form-errors"{{/hasErrors}}
 data-submitting="{{t.submitting}}" data-error-summary="{{t.errorSummary}}" data-error-field="{{t.errorField}}" data-error-altcha="{{t.errorAltcha}}" data-error-network="{{t.networkError}}" data-error-busy="{{t.tooManyText}}">
{{#hasErrors}}
<p class="form-errors" id="form-errors" role="alert">{{t.errorSummary}}</p>
{{/hasErrors}}
{{#fields}}
<div class="field{{#checkbox}} field-checkbox{{/checkbox}}">
{{#checkbox}}
<input type="checkbox" id="{{id}}" name="{{name}}" value="true" data-error="{{errorText}}"{{#checked}} checked{{/checked}}{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="{{id}}-error"{{/error}}>
<label for="{{id}}">{{label}}</label>
{{/checkbox}}
{{^checkbox}}
<label for="{{id}}">{{label}}{{^required}} <span class="optional">{{t.optional}}</span>{{/required}}</label>
{{#select}}
<select id="{{id}}" name="{{name}}" data-error="{{errorText}}"{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}}{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="{{id}}-error"{{/error}}>
<option value="">{{t.chooseCountry}}</option>
{{#options}}
<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>
{{/options}}
</select>
{{/select}}
{{^select}}
{{#textarea}}
<textarea id="{{id}}" name="{{name}}" rows="4" data-error="{{errorText}}" maxlength="{{maxlength}}"{{#error}} aria-invalid="true" aria-describedby="{{id}}-error"{{/error}}>{{value}}</textarea>
{{/textarea}}
{{^textarea}}
<input type="{{type}}" id="{{id}}" name="{{name}}" value="{{value}}" data-error="{{errorText}}"{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}}{{#maxlength}} maxlength="{{maxlength}}"{{/maxlength}}{{#numeric}} inputmode="numeric" min="0" max="10"{{/numeric}}{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="{{id}}-error"{{/error}}{{#ltr}} dir="ltr"{{/ltr}}>
{{/textarea}}
{{/select}}
{{/checkbox}}
{{#error}}
<p class="field-error" id="{{id}}-error">{{error}}</p>
{{/error}}
</div>
{{/fields}}
<input type="hidden" name="language" value="{{language}}">
<div class="hp" aria-hidden="true"><label for="field-website">{{t.fieldWebsite}}</label><input type="text" id="field-website" name="website" tabindex="-1" autocomplete="off"></div>
{{#pow}}
<input type="hidden" name="altcha" value="">
<noscript><p class="notice">{{t.noscriptProofOfWork}}</p></noscript>
{{/pow}}
{{#altchaError}}
<p class="field-error" id="altcha-error">{{altchaError}}</p>
{{/altchaError}}
<p class="form-status" data-form-status role="status" aria-live="polite"></p>
<button type="submit">{{submit}}</button>
</form>
<div class="thanks" data-thanks hidden tabindex="-1">
<h2>{{t.thanksTitle}}</h2>
<p>{{t.thanksText}}</p>
</div>`;

export interface FormView {
  kind: FormKind;
  language: SupportedLanguage;
  /** The page's own URL: the form POSTs back to it. */
  action: string;
  /** The JSON API the enhanced form posts to. */
  api: string;
  proofOfWork: boolean;
  values?: FormValues;
  errors?: FormErrors;
}

/** One of the three forms; the values kept and every error tied to its field (aria-describedby, aria-invalid). */
export function renderForm(view: FormView): string {
  const t = MESSAGES[view.language];
  const errors = view.errors ?? {};
  const values = view.values ?? {};
  const spec = FORMS[view.kind];
  const fields = spec.fields.map((f) => ({
    ...f,
    id: `field-${f.name}`,
    label: t[f.label],
    type: f.control === 'email' ? 'email' : f.control === 'guests' ? 'number' : 'text',
    value: values[f.name] ?? (f.control === 'guests' ? '0' : ''),
    checkbox: f.control === 'checkbox',
    checked: f.control === 'checkbox' && (values[f.name] === 'true' || values[f.name] === 'on'),
    textarea: f.control === 'textarea',
    numeric: f.control === 'guests',
    // Supporters pick a country by its name in their language; the API still receives the code.
    select: f.control === 'country',
    options: f.control === 'country' ? countryOptions(view.language, values[f.name]) : [],
    // Addresses are Latin script: keep them left-to-right in an Arabic or Persian form.
    ltr: f.control === 'email',
    error: errors[f.name],
    errorText: t[ERROR_MESSAGE[f.name] ?? 'errorField'],
  }));
  return renderTemplate(FORM_TEMPLATE, {
    ...view,
    t,
    fields,
    pow: view.proofOfWork,
    hasErrors: Object.keys(errors).length > 0,
    altchaError: errors.altcha,
    submit: t[spec.submit],
  });
}
