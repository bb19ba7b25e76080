import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Base of every console form's DTO: the global ValidationPipe refuses unknown fields, and
 * every form carries the session's CSRF token as `_csrf` (checked by the guard, not here).
 */
export class ConsoleFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  _csrf?: string;
}
