import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { EmailAddress } from '../../common/validators';

export class EmailEventDto {
  @ApiProperty({ enum: ['bounce', 'complaint'] })
  @IsIn(['bounce', 'complaint'])
  type!: 'bounce' | 'complaint';

  @ApiProperty({ example: 'someone@example.org' })
  @EmailAddress()
  email!: string;

  @ApiPropertyOptional({ description: 'a permanent (hard) bounce; temporary bounces change nothing' })
  @IsOptional()
  @IsBoolean()
  permanent?: boolean;
}
