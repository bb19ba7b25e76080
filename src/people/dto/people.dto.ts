import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO31661Alpha2, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { SyncPageQuery } from '../../common/pagination';
import { EmailAddress, LanguageTag, SLUG_PATTERN, UpperCase } from '../../common/validators';

export const TAG_PATTERN = SLUG_PATTERN;

/** Filters shared by the people list and the people export. */
export class PeopleFilterQuery {
  @ApiPropertyOptional({ description: 'Exact address (matched trimmed, without regard to case)' })
  @IsOptional()
  @EmailAddress()
  email?: string;

  @ApiPropertyOptional({ example: 'LB', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @UpperCase()
  @IsString()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ example: 'movement', description: 'People subscribed (status subscribed) to this list' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(SLUG_PATTERN, { message: 'list must be a list slug' })
  list?: string;

  @ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag; `ar` also matches `ar-EG`' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language?: string;

  @ApiPropertyOptional({ example: 'volunteer' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(TAG_PATTERN, { message: 'tag must be lower-case letters, digits and dashes' })
  tag?: string;

  @ApiPropertyOptional({ example: 'am', description: 'Start of the given or the family name, without regard to case' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'name must not hold control characters' })
  name?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: people who proved their address; false: those who never did' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'confirmed must be true or false' })
  confirmed?: boolean;
}

export class PeopleListQuery extends IntersectionType(PeopleFilterQuery, SyncPageQuery) {}

export class PersonResponse {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) givenName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) familyName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) language!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When the person first proved the address' })
  confirmedAt!: Date | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty({ description: 'Last change a sync should see: details, confirmation, subscriptions, tags' }) modifiedAt!: Date;
}

/** In an incremental sync (`modifiedSince`): a person erased (or purged) since, for the client to delete. */
export class PersonTombstone {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: [true] }) erased!: true;
}

@ApiExtraModels(PersonResponse, PersonTombstone)
export class PeoplePage {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(PersonResponse) }, { $ref: getSchemaPath(PersonTombstone) }] },
    description: 'People; with modifiedSince also tombstones `{id, erased: true}`',
  })
  items!: Array<PersonResponse | PersonTombstone>;
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PersonDetailResponse extends PersonResponse {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '{list, listName, status, subscribedAt, unsubscribedAt}' })
  subscriptions!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) signatures!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) rsvps!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) consentRecords!: unknown[];
}

export class TagParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ example: 'volunteer', description: 'Lower-case letters, digits and dashes' })
  @IsString()
  @MaxLength(64)
  @Matches(TAG_PATTERN, { message: 'tag must be lower-case letters, digits and dashes' })
  tag!: string;
}
