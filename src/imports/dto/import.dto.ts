import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG_PATTERN } from '../../common/validators';

export class ImportPeopleQuery {
  @ApiPropertyOptional({ example: 'movement', description: 'A list every imported person is added to (besides the `lists` column)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(SLUG_PATTERN, { message: 'list must be a list slug' })
  list?: string;

  @ApiPropertyOptional({
    enum: ['confirmed'],
    description: 'The organizer vouches that every person in the file consented: they are subscribed, with an `import` consent record',
  })
  @IsOptional()
  @IsIn(['confirmed'], { message: 'consent must be "confirmed" or absent' })
  consent?: 'confirmed';

  @ApiPropertyOptional({
    enum: ['0', '1'],
    default: '0',
    description: "1: the file's non-empty cells also replace the details of people who confirmed their address themselves",
  })
  @IsOptional()
  @IsIn(['0', '1'], { message: 'overwrite must be 0 or 1' })
  overwrite?: '0' | '1';
}

export class RejectedLine {
  @ApiProperty({ description: 'Line in the file (the header is line 1)' }) line!: number;
  @ApiProperty() reason!: string;
}

export class ImportReport {
  @ApiProperty({ description: 'People created' }) imported!: number;
  @ApiProperty({ description: 'People who already existed, updated' }) updated!: number;
  @ApiProperty({ type: [RejectedLine], description: 'At most 10,000 entries; rejectedCount has the total' }) rejected!: RejectedLine[];
  @ApiProperty() rejectedCount!: number;
}
