import { Module } from '@nestjs/common';
import { OrganizersController } from './organizers.controller';
import { OrganizersModule } from './organizers.module';

@Module({ imports: [OrganizersModule], controllers: [OrganizersController] })
export class OrganizersHttpModule {}
