import { pageLanguage } from '../web/i18n';
import { FORMS, readSubmission, renderForm, validateSubmission } from './page-forms';

describe('page forms', () => {
  it('turn a form body into the API body: own fields only, empty is absent, ticked boxes true, guests a number', () => {
    const { body, values, honeypot } = readSubmission(
      'rsvp',
      { email: 'a@example.org', givenName: 'Amal', familyName: '', guests: '2', subscribe: 'on', website: 'x', role: 'admin' },
      'ar',
    );
    // Every action's DTO takes the honeypot (its service drops a filled one).
    expect(body).toEqual({ email: 'a@example.org', givenName: 'Amal', guests: 2, subscribe: true, language: 'ar', website: 'x' });
    expect(values).toEqual({ email: 'a@example.org', givenName: 'Amal', guests: '2', subscribe: 'on' });
    expect(honeypot).toBe('x');
    expect(readSubmission('join', { email: 'a@example.org', consent: 'true', website: 'x' }, 'en').body).toMatchObject({
      consent: true,
      website: 'x',
    });
  });

  it('validate with the API’s DTO and report each bad field once, in the page’s language', async () => {
    const result = await validateSubmission('join', { email: 'nope', country: 'France', language: 'fr' }, 'fr');
    expect(result.dto).toBeNull();
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(['consent', 'country', 'email']);
    expect(result.errors?.consent).toBe('Cochez cette case pour rejoindre le mouvement.');
    const ok = await validateSubmission('join', { email: 'a@example.org', consent: true, country: 'fr', language: 'fr' }, 'fr');
    expect(ok.dto).toMatchObject({ email: 'a@example.org', consent: true, country: 'FR' });
  });

  it('render errors tied to their fields and keep what was typed, escaped', () => {
    const html = renderForm({
      kind: 'sign',
      language: 'en',
      action: '/p/x?lang=en',
      api: '/api/v1/petitions/x/signatures',
      proofOfWork: false,
      values: { givenName: '"><script>' },
      errors: { email: 'Enter an email address such as name@example.org.' },
    });
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(html).toMatch(/id="field-email"[^>]*aria-invalid="true" aria-describedby="field-email-error"/);
    expect(html).toContain('<p class="field-error" id="field-email-error">');
    expect(html).not.toContain('name="altcha"');
  });

  it('offer countries by their name in the page’s language and keep the one chosen', () => {
    const html = renderForm({
      kind: 'join',
      language: 'ar',
      action: '/?lang=ar',
      api: '/api/v1/signups',
      proofOfWork: false,
      values: { country: 'lb' },
    });
    const lebanon = new Intl.DisplayNames(['ar'], { type: 'region' }).of('LB') ?? '';
    expect(html).toContain(`<option value="LB" selected>${lebanon}</option>`);
    expect(html.match(/ selected>/g)).toHaveLength(1);
    // The empty choice first: the country is optional on the join form.
    expect(html).toMatch(/<select id="field-country" name="country"[^>]*>\n<option value="">/);
  });

  it.each(['join', 'sign', 'rsvp'] as const)(
    'mark the %s form’s required fields with required alone (no redundant aria-required)',
    (kind) => {
      const html = renderForm({ kind, language: 'en', action: '/x', api: '/api/v1/x', proofOfWork: false });
      const controls = html.match(/<(input|select|textarea) [^>]*>/g) ?? [];
      const required = FORMS[kind].fields.filter((f) => f.required).map((f) => `id="field-${f.name}"`);
      expect(required.length).toBeGreaterThan(0);
      for (const id of required) expect(controls.find((c) => c.includes(id))).toMatch(/ required[ >]/);
      expect(html).not.toContain('aria-required');
    },
  );

  it('choose the language: ?lang=, then Accept-Language, then the content’s, then English', () => {
    expect(pageLanguage('fa', 'fr', 'ar')).toBe('fa');
    expect(pageLanguage('xx', 'de, fr;q=0.8', 'ar')).toBe('fr');
    expect(pageLanguage(undefined, 'de', 'ar-LB')).toBe('ar');
    expect(pageLanguage(['fa'], undefined, 'de')).toBe('en');
  });
});
