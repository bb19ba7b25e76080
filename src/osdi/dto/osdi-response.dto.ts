import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OsdiEmailAddress, OsdiPostalAddress } from './osdi-body.dto';

/** OpenAPI shapes of the OSDI answers (HAL+JSON); `osdi-views.ts` builds them. */
export class HalLink {
  @ApiProperty({ example: 'https://campaign.example/api/osdi/v1/people/2f1c…' })
  href!: string;

  @ApiPropertyOptional()
  title?: string;
}

export class OsdiRecord {
  @ApiProperty({ type: [String], example: ['campaign_platform:2f1c0f5e-8a57-4c8e-9d1b-4f2f1b0e6a1d'] })
  identifiers!: string[];

  @ApiProperty({ format: 'date-time' })
  created_date!: string;

  @ApiProperty({ format: 'date-time', description: 'Filterable: modified_date gt ' })
  modified_date!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'self (its last path segment is the id), curies, related resources (osdi:person, osdi:taggings...)',
  })
  _links!: Record<string, unknown>;
}

export class OsdiPerson extends OsdiRecord {
  @ApiProperty({ type: String, nullable: true })
  given_name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  family_name!: string | null;

  @ApiProperty({ type: [OsdiEmailAddress], description: 'One, primary; status subscribed or unsubscribed' })
  email_addresses!: OsdiEmailAddress[];

  @ApiProperty({ type: [OsdiPostalAddress], description: '[] when neither postal code nor country is known' })
  postal_addresses!: OsdiPostalAddress[];

  @ApiProperty({ type: [Object], example: [], description: 'Always []: no phone number is kept' })
  phone_numbers!: unknown[];

  @ApiProperty({ type: [String], example: ['ar'] })
  languages_spoken!: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: {}, description: 'Always {}' })
  custom_fields!: Record<string, unknown>;
}

export class OsdiHelperAnswer extends OsdiRecord {
  @ApiProperty({ enum: ['pending', 'confirmed'], description: 'pending: a confirmation email is on its way; confirmed: vouched consent' })
  request_status!: 'pending' | 'confirmed';

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The person as sent (signatures and attendances)' })
  _embedded?: Record<string, unknown>;
}

export class OsdiPage {
  @ApiProperty({ example: 4 })
  total_pages!: number;

  @ApiProperty({ example: 25, maximum: 25 })
  per_page!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 87 })
  total_records!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'self, next, previous (keeping per_page and filter), osdi:<collection>, curies',
  })
  _links!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
    description: 'The records, under their one key osdi:<collection>',
  })
  _embedded!: Record<string, unknown[]>;
}
