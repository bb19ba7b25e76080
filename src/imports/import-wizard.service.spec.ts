import { guessMapping, headerKey } from './import-wizard.service';

describe('import wizard: mapping guessed from a header', () => {
  it('finds each field once from the names spreadsheets use, in English and French, ignoring the rest', () => {
    expect(guessMapping(['E-mail', 'First Name', 'Nom', 'Pays', 'ZIP code', 'Langue', 'Listes', 'Notes'])).toEqual([
      'email',
      'givenName',
      'familyName',
      'country',
      'postalCode',
      'language',
      'lists',
      null,
    ]);
    expect(guessMapping(['email', 'Email', 'Prénom'])).toEqual(['email', null, 'givenName']);
    expect(guessMapping(['=cmd()', ''])).toEqual([null, null]);
  });

  it('keys remembered mappings by the header trimmed and lower-cased, cell by cell', () => {
    expect(headerKey([' Email ', 'NAME'])).toBe(headerKey(['email', 'name']));
    expect(headerKey(['a,b'])).not.toBe(headerKey(['a', 'b']));
  });
});
