import { EmailField, NameField } from '../common/person-fields';

/**
 * Who acts in a petition signature or an RSVP: the address the link proves, and the names
 * the emails greet them by (a given name is required there). Each kind's body extends it and
 * adds its own fields after these, so validation details keep their order.
 */
export class NamedRequestDto {
  @EmailField()
  email!: string;

  @NameField({ example: 'أمل', required: true })
  givenName!: string;

  @NameField({ example: 'Haddad' })
  familyName?: string;
}
