import { fill, greetingFor, renderActionEmail } from './email-layout';

const content = {
  subject: 'Subject',
  greeting: fill('Hello {{givenName}},', { givenName: '<script>alert(1)</script> & Co' }),
  paragraphs: ['One.'],
  actionLabel: 'Confirm',
  actionUrl: 'https://act.example.org/confirm/abc',
  fallbackLabel: 'Or open:',
  footer: 'Footer',
};

describe('renderActionEmail', () => {
  it('escapes supporter text in HTML and keeps it verbatim in plain text', () => {
    const { html, text } = renderActionEmail({ ...content, language: 'en' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(text).toContain('Hello <script>alert(1)</script> & Co,');
    expect(text).toContain('https://act.example.org/confirm/abc');
  });

  it('sets lang and dir for right-to-left languages', () => {
    const { html } = renderActionEmail({ ...content, language: 'fa' });
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('text-align:right');
  });
});

describe('renderActionEmail without an action', () => {
  it('leaves the button, its fallback and their blank lines out', () => {
    const { html, text } = renderActionEmail({ ...content, language: 'en', actionUrl: '', actionLabel: '' });
    expect(html).not.toContain('<a href');
    expect(html).not.toContain('Or open:');
    expect(text).toBe('Hello <script>alert(1)</script> & Co,\n\nOne.\n\nFooter\n');
  });
});

describe('greetingFor', () => {
  const texts = { greeting: 'Hello,', greetingNamed: 'Hello {{givenName}},' };
  const phishing = 'your account is locked. Reset it at http://evil.example/reset';

  it('greets an address that has not proven itself neutrally, whatever name was typed', () => {
    expect(greetingFor(texts, { addressProven: false })).toBe('Hello,');
  });

  it('greets a proven address by the name typed with that proof, or neutrally without one', () => {
    expect(greetingFor(texts, { addressProven: true, givenName: 'Amal' })).toBe('Hello Amal,');
    expect(greetingFor(texts, { addressProven: true, givenName: null })).toBe('Hello,');
    expect(greetingFor(texts, { addressProven: true, givenName: phishing })).toBe(`Hello ${phishing},`);
  });
});
