import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';

const PUBLIC_DESCRIPTION =
  'whether public requests (a sign-up naming it, a petition or RSVP `subscribe`) may join it; private lists are joined only ' +
  'through an organizer (imports). The default list is always public';

export class CreateListDto {
  @ApiProperty({ example: 'newsletter', maxLength: 64 })
  @Trim()
  @IsString()
  @Length(1, 64)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and single hyphens' })
  slug!: string;

  @ApiProperty({ example: 'Monthly newsletter', maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLineText()
  name!: string;

  @ApiPropertyOptional({
    description: 'the list sign-ups join when they name none (one at a time: the previous default stops being it); makes it public',
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ description: `${PUBLIC_DESCRIPTION}. Default false (true for a default list)` })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

export class UpdateListDto {
  @ApiPropertyOptional({ example: 'Monthly newsletter', maxLength: 200 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLineText()
  name?: string;

  @ApiPropertyOptional({
    enum: [true],
    description:
      'true makes this list the default (and public); the previous default stops being it. To change the default, make another list the default',
  })
  @IsOptional()
  @Equals(true, { message: 'isDefault can only be set to true: make another list the default instead' })
  isDefault?: true;

  @ApiPropertyOptional({ description: PUBLIC_DESCRIPTION })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

export class ListResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ description: PUBLIC_DESCRIPTION }) public!: boolean;
  @ApiProperty() createdAt!: Date;
}

export class ListPage {
  @ApiProperty({ type: [ListResponse] }) items!: ListResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
