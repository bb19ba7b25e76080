import { AppConfig } from '../config/app-config';
import { ListLinkTokens } from './list-link-tokens.service';

const person = '0b7f6d3e-1c2a-4b5d-8e9f-0a1b2c3d4e5f';
const list = '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describe('ListLinkTokens', () => {
  const tokens = new ListLinkTokens(Object.assign(new AppConfig(), { APP_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://act.example.org' }));

  it('round-trips an unsubscribe token for one person and one list, with a 128-bit MAC', () => {
    const token = tokens.unsubscribeToken(person, list);
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(tokens.readUnsubscribeToken(token)).toEqual({ personId: person, listId: list });
    expect(tokens.unsubscribeUrl(person, list)).toBe(`https://act.example.org/u/${token}`);
  });

  it('refuses altered tokens, other purposes and other secrets', () => {
    const token = tokens.unsubscribeToken(person, list);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(tokens.readUnsubscribeToken(flipped)).toBeNull();
    expect(tokens.readPreferencesToken(token)).toBeNull();
    expect(tokens.readUnsubscribeToken(tokens.preferencesToken(person))).toBeNull();
    const other = new ListLinkTokens(Object.assign(new AppConfig(), { APP_SECRET: 'y'.repeat(40) }));
    expect(other.readUnsubscribeToken(token)).toBeNull();
    expect(tokens.readUnsubscribeToken('not a token')).toBeNull();
  });
});
