import { redactUrl } from './logging';

describe('redactUrl', () => {
  it('keeps link tokens and query strings out of logs', () => {
    expect(redactUrl('/confirm/zdE-tLqKbUtM0eIh7lASGyPdLTKnb9dGFRbin1rQHXg')).toBe('/confirm/[token]');
    expect(redactUrl('/api/v1/admin/people?email=a@example.org')).toBe('/api/v1/admin/people');
    expect(redactUrl('/api/v1/signups')).toBe('/api/v1/signups');
  });
});
