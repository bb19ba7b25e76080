import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';

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

  @ApiPropertyOptional({ description: 'the list sign-ups join when they name none (one at a time: the previous default stops being it)' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class ListResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty() createdAt!: Date;
}

export class ListPage {
  @ApiProperty({ type: [ListResponse] }) items!: ListResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
