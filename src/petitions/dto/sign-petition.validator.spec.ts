import { validationPipe } from '../../common/validation';
import { ReferrerDto, SignPetitionDto } from './sign-petition.dto';
import { compileSignPetitionValidator } from './sign-petition.validator';

/**
 * The compiled check against the ValidationPipe, body by body: whatever it accepts, the pipe
 * accepts too and turns into the same DTO; whatever the pipe refuses, it refuses (and the
 * pipe answers it). Bodies as they arrive: parsed JSON.
 */
describe('compiled SignPetitionDto validator', () => {
  const fast = compileSignPetitionValidator()!;
  const pipe = validationPipe();

  async function slow(body: unknown): Promise<{ ok: true; value: unknown } | { ok: false }> {
    try {
      return { ok: true, value: await pipe.transform(body, { type: 'body', metatype: SignPetitionDto }) };
    } catch {
      return { ok: false };
    }
  }

  const long = (n: number, c = 'a'): string => c.repeat(n);
  const base = { email: 'amal@example.org', givenName: 'Amal', familyName: 'Haddad', country: 'LB', language: 'ar' };
  const strings = [
    '',
    ' ',
    '  Ali  ',
    'أمل',
    'Zoë',
    long(99),
    long(100),
    long(101),
    long(50, '😀'),
    long(51, '😀'),
    long(100, '😀'),
    long(101, '😀'),
    'a\nb',
    'a\r\nb',
    'a\rb',
    'a\u0000b',
    'a\u202Eb',
    'a\u2066b',
    'a\u2028b',
    'a\u200Db',
    'a\u200Eb',
    '\t x \t',
    'x'.repeat(1000),
    'x'.repeat(1001),
    ' ' + 'x'.repeat(1000) + ' ',
    '=cmd|x',
    'https://partner.example/a?b=c',
    'http://localhost:3000/x',
    'ftp://x.example/',
    'javascript:alert(1)',
    ' https://x.example ',
    '12 345',
    '-123',
    'AB-12',
    'fa-IR',
    'zh-Hant-TW',
    'en-',
    'x'.repeat(36),
  ];
  const others = [null, true, false, 0, 1, 2.5, [], ['a'], {}, { a: 1 }];
  const values = [...strings, ...others];
  const fields = [
    'email',
    'givenName',
    'familyName',
    'country',
    'postalCode',
    'comment',
    'publicName',
    'subscribe',
    'language',
    'website',
    'altcha',
    'protectIdentity',
    'unknownField',
    '__proto__',
    'constructor',
  ];
  const emails = [
    'amal@example.org',
    ' Amal@Example.ORG ',
    'e\u0301lise@example.org',
    '\u212Aate@rt.example',
    'ａ@example.org',
    '"x"@example.org',
    'a b@example.org',
    'a@b',
    'a@[127.0.0.1]',
    'a@127.0.0.1',
    `${long(245)}@example.org`,
    `${long(64)}@example.org`,
    `${long(65)}@example.org`,
    'user+tag@sub.example.co',
    'a@example.org\u200B',
    'مثال@مثال.إختبار',
  ];
  const countries = ['LB', 'lb', ' fr ', 'XX', 'GBR', 'UK', 'IR', ''];
  const referrers: unknown[] = [
    {},
    { source: 'newsletter', medium: 'email', campaign: 'x', url: 'https://partner.example/article' },
    { source: '  padded  ' },
    { url: 'not a url' },
    { url: 'http://localhost/x' },
    { url: `https://x.example/${long(1990)}` },
    { url: `https://x.example/${long(2000)}` },
    { source: long(101) },
    { source: 'a\nb' },
    { source: null, url: null },
    { other: 'x' },
    { source: 5 },
    [],
    'x',
    null,
  ];

  const bodies: unknown[] = [base, {}, null, [], 'text', 5, { ...base, email: undefined }];
  for (const field of fields) for (const value of values) bodies.push({ ...base, [field]: value });
  for (const email of emails) bodies.push({ ...base, email });
  for (const country of countries) bodies.push({ ...base, country });
  for (const referrer of referrers) bodies.push({ ...base, referrer });
  for (const required of ['email', 'givenName', 'country']) {
    const rest: Record<string, unknown> = { ...base };
    delete rest[required];
    bodies.push(rest);
  }
  // A few hundred pairs of changes, from a fixed seed.
  let seed = 7;
  const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 0) % n;
  for (let i = 0; i < 400; i++) {
    bodies.push({
      ...base,
      [fields[next(fields.length)]]: values[next(values.length)],
      [fields[next(fields.length)]]: values[next(values.length)],
    });
  }

  it('accepts only what the pipe accepts, and yields the same DTO', async () => {
    let acceptedBySlow = 0;
    let acceptedByFast = 0;
    for (const raw of bodies) {
      // As Fastify hands it over: parsed JSON (undefined values dropped).
      const body: unknown = raw === undefined ? undefined : JSON.parse(JSON.stringify(raw));
      const quick = fast(body);
      const reference = await slow(JSON.parse(JSON.stringify(raw ?? null)));
      // The pipe strips these two keys; Fastify's JSON parser refuses a __proto__ before either.
      const hostile = typeof body === 'object' && body !== null && (Object.hasOwn(body, '__proto__') || Object.hasOwn(body, 'constructor'));
      if (reference.ok && !hostile) acceptedBySlow++;
      if (quick === undefined) continue;
      acceptedByFast++;
      expect({ body, accepted: reference.ok }).toEqual({ body, accepted: true });
      if (!reference.ok) continue;
      expect(quick).toBeInstanceOf(SignPetitionDto);
      expect(quick).toEqual(reference.value);
      const referrer = (reference.value as SignPetitionDto).referrer;
      if (referrer) expect(quick.referrer).toBeInstanceOf(ReferrerDto);
    }
    // And it is the path every valid body takes.
    expect(acceptedByFast).toBe(acceptedBySlow);
    expect(acceptedBySlow).toBeGreaterThan(150);
  });

  it('is on for SignPetitionDto as declared (a field added to the DTO and not here turns it off)', () => {
    expect(compileSignPetitionValidator()).toEqual(expect.any(Function));
  });

  it('takes a body whose every field is right without the pipe', () => {
    expect(fast({ ...base, familyName: '  ', referrer: { source: ' x ' }, comment: ' a\r\nb ' })).toEqual(
      Object.assign(new SignPetitionDto(), {
        ...base,
        familyName: undefined,
        referrer: Object.assign(new ReferrerDto(), { source: 'x' }),
        comment: 'a\nb',
      }),
    );
  });
});
