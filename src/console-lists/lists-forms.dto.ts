import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ConsoleFormDto } from '../console/console-form.dto';
import { SingleLineText, SLUG_PATTERN, Trim } from '../common/validators';

/** An HTML checkbox sends `on` when ticked and nothing otherwise. */
const CHECKED = ['on', 'true'];

export class CreateListForm extends ConsoleFormDto {
  @Trim()
  @IsString()
  @Length(1, 64)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and single hyphens' })
  slug!: string;

  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLineText()
  name!: string;

  @IsOptional()
  @IsIn(CHECKED)
  public?: string;

  @IsOptional()
  @IsIn(CHECKED)
  isDefault?: string;
}

export class RenameListForm extends ConsoleFormDto {
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLineText()
  name!: string;
}

export class ListVisibilityForm extends ConsoleFormDto {
  @IsIn(['true', 'false'])
  public!: 'true' | 'false';
}

export const isChecked = (value: string | undefined): boolean => value !== undefined && CHECKED.includes(value);
