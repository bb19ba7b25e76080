import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EmailAddress } from '../../common/validators';
import { ROLES } from '../organizer.entity';
import type { Role } from '../organizer.entity';

export class CreateOrganizerDto {
  @ApiProperty({ example: 'organizer@example.org' })
  @EmailAddress()
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}

export class OrganizerResponse {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) revokedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'First characters of the current key' }) keyPrefix!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastUsedAt!: Date | null;
}

export class CreatedOrganizerResponse extends OrganizerResponse {
  @ApiProperty({ description: 'The API key. Shown once: store it now.' })
  apiKey!: string;
}

export class OrganizerPage {
  @ApiProperty({ type: [OrganizerResponse] }) items!: OrganizerResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
