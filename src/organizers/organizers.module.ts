import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './auth.guard';
import { OrganizersRepository } from './organizers.repository';
import { OrganizersService } from './organizers.service';

/** Global so that any feature's controllers can use @Auth(). */
@Global()
@Module({
  providers: [OrganizersRepository, OrganizersService, ApiKeyGuard],
  exports: [OrganizersService, ApiKeyGuard],
})
export class OrganizersModule {}
