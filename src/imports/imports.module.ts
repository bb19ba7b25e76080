import { Module } from '@nestjs/common';
import { ImportPeopleService } from './import-people.service';
import { ImportsRepository } from './imports.repository';

/** The people import, shared by the HTTP route and the CLI. */
@Module({ providers: [ImportsRepository, ImportPeopleService], exports: [ImportPeopleService] })
export class ImportsModule {}
