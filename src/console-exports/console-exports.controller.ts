import { Get, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { RecordsExport } from '../actions/records-export';
import { html, SafeHtml } from '../console/console-html';
import { renderConsolePage, sendConsolePage } from '../console/console-layout';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { EventsAdminService } from '../events/events-admin.service';
import { RsvpsExportQuery } from '../events/dto/rsvps-export.query';
import { RSVP_STATUSES } from '../events/rsvp.entity';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleFilterQuery } from '../people/dto/people.dto';
import type { PeopleCsvOptionalColumn } from '../people/people.repository';
import { PeopleService } from '../people/people.service';
import { PetitionsAdminService } from '../petitions/petitions-admin.service';
import { SignaturesExportQuery } from '../petitions/dto/signatures-export.query';
import { SIGNATURE_STATUSES } from '../petitions/signature.entity';
import { consoleExportsMessages } from './console-exports.messages';

/** The people export's form: the people filters, the optional columns as checkboxes, the BOM. */
export class ConsolePeopleExportQuery extends PeopleFilterQuery {
  @IsOptional()
  @IsIn(['1'])
  lists?: '1';

  @IsOptional()
  @IsIn(['1'])
  tags?: '1';

  @IsOptional()
  @IsIn(['0', '1'], { message: 'bom must be 0 or 1' })
  bom?: '0' | '1';
}

export class ConsoleSignaturesExportQuery extends SignaturesExportQuery {
  @IsUUID(undefined, { message: 'petition must be a petition id' })
  petition!: string;
}

export class ConsoleRsvpsExportQuery extends RsvpsExportQuery {
  @IsUUID(undefined, { message: 'event must be an event id' })
  event!: string;
}

/** How many petitions and events the forms offer (the newest). */
const CHOICES = 100;

/**
 * Exports in the console (organizers, as in the API): forms that GET the downloads, which
 * stream through the same code as the API's (`PeopleService.exportCsv`, `RecordsExport`:
 * COPY, back-pressure, formula neutralising) and are audited the same way (`export.people`,
 * `export.signatures`, `export.rsvps`, with filters and the row count).
 */
@ConsoleController('console/exports')
@ConsoleAuth('organizer')
export class ConsoleExportsController {
  constructor(
    private readonly people: PeopleService,
    private readonly records: RecordsExport,
    private readonly petitions: PetitionsAdminService,
    private readonly events: EventsAdminService,
  ) {}

  @Get()
  async index(@CurrentSession() session: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    const t = consoleExportsMessages(session.lang);
    const [petitions, events] = await Promise.all([this.petitions.list(CHOICES, undefined), this.events.list(CHOICES)]);
    const text = (id: string, label: string, attrs: SafeHtml = html``): SafeHtml =>
      html`<div class="field">
        <label for="${id}">${label}</label>
        <input id="${id}" name="${id.split('-')[1]}" ${attrs} />
      </div>`;
    const bom = (prefix: string): SafeHtml =>
      html`<div>
        <input type="checkbox" id="${prefix}-bom" name="bom" value="1" />
        <label for="${prefix}-bom">${t.bom}</label>
      </div>`;
    const statusSelect = (prefix: string, statuses: readonly string[]): SafeHtml =>
      html`<div class="field">
        <label for="${prefix}-status">${t.status}</label>
        <select id="${prefix}-status" name="status">
          <option value="">${t.anyStatus}</option>
          ${statuses.map((s) => html`<option value="${s}">${s}</option>`)}
        </select>
      </div>`;
    const body = html`<p>${t.intro}</p>
      <section aria-labelledby="people-h" class="card">
        <h2 id="people-h">${t.peopleTitle}</h2>
        <form class="stack" method="get" action="/console/exports/people.csv">
          ${text('p-email', t.email, html`type="email" class="ltr" dir="ltr"`)} ${text('p-name', t.namePrefix)}
          ${text('p-country', t.country, html`maxlength="2" class="ltr" dir="ltr"`)}
          ${text('p-language', t.language, html`maxlength="35" class="ltr" dir="ltr"`)}
          ${text('p-list', t.list, html`class="ltr" dir="ltr"`)} ${text('p-tag', t.tag, html`class="ltr" dir="ltr"`)}
          <div class="field">
            <label for="p-confirmed">${t.confirmed}</label>
            <select id="p-confirmed" name="confirmed">
              <option value="">${t.anyStatus}</option>
              <option value="true">${t.confirmedYes}</option>
              <option value="false">${t.confirmedNo}</option>
            </select>
          </div>
          <fieldset>
            <legend>${t.include}</legend>
            <div><input type="checkbox" id="p-lists" name="lists" value="1" /> <label for="p-lists">${t.includeLists}</label></div>
            <div><input type="checkbox" id="p-tags" name="tags" value="1" /> <label for="p-tags">${t.includeTags}</label></div>
          </fieldset>
          ${bom('p')}
          <button type="submit">${t.download}</button>
        </form>
      </section>
      <section aria-labelledby="signatures-h" class="card">
        <h2 id="signatures-h">${t.signaturesTitle}</h2>
        ${
          petitions.items.length === 0
            ? html`<p>${t.noPetitions}</p>`
            : html`<form class="stack" method="get" action="/console/exports/signatures.csv">
                <div class="field">
                  <label for="s-petition">${t.petition}</label>
                  <select id="s-petition" name="petition" required>
                    ${petitions.items.map((p) => html`<option value="${p.id}"><bdi>${p.title}</bdi></option>`)}
                  </select>
                </div>
                ${statusSelect('s', SIGNATURE_STATUSES)} ${text('s-country', t.country, html`maxlength="2" class="ltr" dir="ltr"`)}
                ${text('s-language', t.language, html`maxlength="35" class="ltr" dir="ltr"`)} ${bom('s')}
                <button type="submit">${t.download}</button>
              </form>`
        }
      </section>
      <section aria-labelledby="rsvps-h" class="card">
        <h2 id="rsvps-h">${t.rsvpsTitle}</h2>
        ${
          events.items.length === 0
            ? html`<p>${t.noEvents}</p>`
            : html`<form class="stack" method="get" action="/console/exports/rsvps.csv">
                <div class="field">
                  <label for="r-event">${t.event}</label>
                  <select id="r-event" name="event" required>
                    ${events.items.map((e) => html`<option value="${e.id}"><bdi>${e.title}</bdi></option>`)}
                  </select>
                </div>
                ${statusSelect('r', RSVP_STATUSES)} ${bom('r')}
                <button type="submit">${t.download}</button>
              </form>`
        }
      </section>`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.title, body, path: '/console/exports' }));
  }

  @Get('people.csv')
  async peopleCsv(@Query() query: ConsolePeopleExportQuery, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const { lists, tags, bom, ...filters } = query;
    const include: PeopleCsvOptionalColumn[] = [...(lists ? ['lists' as const] : []), ...(tags ? ['tags' as const] : [])];
    await this.people.exportCsv(req as AuthenticatedRequest, reply, filters, { bom: bom === '1', include });
  }

  @Get('signatures.csv')
  async signaturesCsv(@Query() query: ConsoleSignaturesExportQuery, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const { petition, ...filters } = query;
    await this.records.send('signature', req as AuthenticatedRequest, reply, petition, filters);
  }

  @Get('rsvps.csv')
  async rsvpsCsv(@Query() query: ConsoleRsvpsExportQuery, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const { event, ...filters } = query;
    await this.records.send('rsvp', req as AuthenticatedRequest, reply, event, filters);
  }
}
