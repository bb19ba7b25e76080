import { PickType } from '@nestjs/swagger';
import { CreateSignupDto } from '../../join/dto/create-signup.dto';

/** One line of a people import: the same rules as the public join form's fields. */
export class ImportRowDto extends PickType(CreateSignupDto, ['email', 'givenName', 'familyName', 'country', 'postalCode', 'language']) {}
