import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * OpenAPI shapes of what OSDI clients post. Bodies are read by `osdi-input.ts`, not by the
 * global pipe: OSDI clients send fields this platform does not keep (`identifiers`,
 * `origin_system`, `phone_numbers`, `triggers`...), which are ignored rather than refused.
 */
export class OsdiEmailAddress {
  @ApiProperty({ example: 'amal@example.org' })
  address!: string;

  @ApiPropertyOptional({ example: true })
  primary?: boolean;

  @ApiPropertyOptional({ example: 'subscribed', description: 'Ignored: subscription follows the consent' })
  status?: string;
}

export class OsdiPostalAddress {
  @ApiPropertyOptional({ example: '1000' })
  postal_code?: string;

  @ApiPropertyOptional({ example: 'LB', description: 'ISO 3166-1 alpha-2' })
  country?: string;

  @ApiPropertyOptional({ example: true })
  primary?: boolean;
}

export class OsdiPersonInput {
  @ApiPropertyOptional({ example: 'Amal' })
  given_name?: string;

  @ApiPropertyOptional({ example: 'Haddad' })
  family_name?: string;

  @ApiPropertyOptional({ type: [OsdiEmailAddress], description: 'The primary address (else the first) is the person' })
  email_addresses?: OsdiEmailAddress[];

  @ApiPropertyOptional({ type: [OsdiPostalAddress], description: 'The primary one (else the first): postal_code and country' })
  postal_addresses?: OsdiPostalAddress[];

  @ApiPropertyOptional({ type: [String], example: ['ar'], description: 'The first is the person’s language' })
  languages_spoken?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Accepted and not stored' })
  custom_fields?: Record<string, unknown>;
}

export class OsdiHref {
  @ApiProperty({ example: 'https://campaign.example/api/osdi/v1/people/2f1c…' })
  href!: string;
}

export class OsdiPersonLink {
  @ApiProperty({ type: OsdiHref })
  'osdi:person'!: OsdiHref;
}

export class OsdiHelperBody {
  @ApiPropertyOptional({
    type: OsdiPersonInput,
    description: 'The person (required unless _links names one, on signatures and attendances)',
  })
  person?: OsdiPersonInput;

  @ApiPropertyOptional({ type: OsdiPersonLink, description: 'An existing person, as n8n and Parsons send it (signatures, attendances)' })
  _links?: OsdiPersonLink;

  @ApiPropertyOptional({ type: [String], example: ['volunteer'], description: 'Tag names (lower-case letters, digits, dashes)' })
  add_tags?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['movement'],
    description: 'List slugs or names; without consent=confirmed, public lists only',
  })
  add_lists?: string[];

  @ApiPropertyOptional({ example: 'I care', description: 'A signature’s comment' })
  comments?: string;
}

export class OsdiTagBody {
  @ApiProperty({ example: 'volunteer', description: 'Lower-case letters, digits and dashes, at most 64' })
  name!: string;
}

export class OsdiTaggingBody {
  @ApiProperty({ type: OsdiPersonLink })
  _links!: OsdiPersonLink;
}
