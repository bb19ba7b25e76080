import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { MailModule } from '../mail/mail.module';
import { ErasePersonService } from './erase-person.service';
import { MembershipRepository } from './membership.repository';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';
import { PersonSectionRegistry } from './person-sections.registry';
import { PersonTimelineService } from './person-timeline.service';

/**
 * The person core and the organizers' people tools. Features depend on it, never the other
 * way: `MembershipRepository` holds the person write operations every feature shares, and
 * `PersonSectionRegistry` is where features add their sections, erasure steps and holding
 * tables.
 */
@Module({
  imports: [ExportsModule, MailModule],
  providers: [PeopleRepository, PeopleService, PersonTimelineService, ErasePersonService, PersonSectionRegistry, MembershipRepository],
  exports: [PeopleService, PersonTimelineService, ErasePersonService, PersonSectionRegistry, MembershipRepository],
})
export class PeopleModule {}
