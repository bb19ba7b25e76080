import { BadRequestException, Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { SLUG_PATTERN } from '../common/validators';
import { UuidPipe } from '../common/uuid.pipe';
import { ConsoleFormDto } from '../console/console-form.dto';
import { dataTable, html, SafeHtml } from '../console/console-html';
import { csrfField, renderConsolePage, sendConsolePage } from '../console/console-layout';
import { fill, formatDateTime } from '../console/console-messages';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { IMPORT_COLUMNS } from '../imports/import-people.service';
import type { ImportColumn, PreviewLine } from '../imports/import-people.service';
import type { ImportJobRow } from '../imports/import-jobs.repository';
import { ImportWizardService } from '../imports/import-wizard.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { consoleImportsMessages, ConsoleImportsMessages } from './console-imports.messages';
import { readUploadedFile } from './multipart-upload';

const toArray = ({ value }: { value: unknown }): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The wizard's mapping step: a field (or '' to ignore) per column, lists, consent and overwrite. */
export class ImportChoicesForm extends ConsoleFormDto {
  @Transform(toArray)
  @IsArray()
  @IsIn(['', ...IMPORT_COLUMNS], { each: true })
  field!: string[];

  @IsOptional()
  @Transform(toArray)
  @IsArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(SLUG_PATTERN, { each: true, message: 'lists must be list slugs' })
  lists?: string[];

  @IsIn(['none', 'confirmed'])
  consent!: 'none' | 'confirmed';

  @IsOptional()
  @IsIn(['1'])
  overwrite?: '1';
}

const REJECTIONS_PER_PAGE = 500;
/**
 * The progress page's one script, served from our origin (the CSP allows no inline script):
 * it reloads the page every two seconds while the import runs. Without JavaScript the page
 * has a Refresh link.
 */
const PROGRESS_SCRIPT = `'use strict';
if (document.querySelector('[data-import-running]')) setTimeout(function () { location.reload(); }, 2000);
`;

/**
 * The import wizard in the console (organizers, as the API's import route): upload a CSV
 * (stored in PostgreSQL), map its columns (remembered per header), preview the first lines
 * with their problems, choose consent and overwrite, start; then the progress (a <progress>
 * bar, refreshed by a same-origin script or the Refresh link) and the report with every
 * rejected line, also as a CSV download. The rules are the import's own (src/imports).
 */
@ConsoleController('console/imports')
@ConsoleAuth('organizer')
export class ConsoleImportsController {
  constructor(private readonly wizard: ImportWizardService) {}

  @Get()
  async index(@CurrentSession() session: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    const t = consoleImportsMessages(session.lang);
    const recent = await this.wizard.recent(20);
    // A streamed upload cannot carry the CSRF token in its body: it rides in the URL.
    const body = html`<p>${t.intro}</p>
      <form class="stack card" method="post" action="/console/imports?_csrf=${session.csrfToken}" enctype="multipart/form-data">
        <label for="import-file">${t.fileLabel}</label>
        <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        <button type="submit">${t.upload}</button>
      </form>
      <h2>${t.recent}</h2>
      ${
        recent.length === 0
          ? html`<p>${t.noRecent}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${t.file}</th>
                  <th scope="col">${t.started}</th>
                  <th scope="col">${t.statusLabel}</th>
                </tr>
              </thead>
              <tbody>
                ${recent.map(
                  (j) =>
                    html`<tr>
                      <td>
                        <a href="/console/imports/${j.id}"><bdi>${j.filename}</bdi></a>
                      </td>
                      <td>${formatDateTime(session.lang, j.createdAt)}</td>
                      <td>${t.statuses[j.status]}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.title, body, path: '/console/imports' }));
  }

  /** The upload (multipart/form-data, streamed into PostgreSQL, at most 50 MB). */
  @Post()
  async upload(@CurrentSession() session: ConsoleSession, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const uploaded = await readUploadedFile(req, 'file', (file, filename) => this.wizard.upload(file, filename, session.organizerId));
    await reply.status(303).header('location', `/console/imports/${uploaded.job.id}`).send();
  }

  @Get('progress.js')
  async progressScript(@Res() reply: FastifyReply): Promise<void> {
    await reply.status(200).header('content-type', 'text/javascript; charset=utf-8').send(PROGRESS_SCRIPT);
  }

  @Get(':id')
  async show(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Query('after') after: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const job = await this.wizard.get(id);
    if (job.status === 'uploaded') {
      const { mapping, remembered } = await this.wizard.mappingFor(job);
      await this.sendMapping(reply, session, job, { mapping, lists: [], consent: 'none', overwrite: false }, null, remembered);
      return;
    }
    await this.sendProgress(reply, session, job, Math.max(0, Number.parseInt(after ?? '0', 10) || 0));
  }

  /** The preview: the same page with the chosen mapping and the first lines' problems. */
  @Post(':id/preview')
  async preview(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() form: ImportChoicesForm,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const job = await this.wizard.get(id);
    const choices = this.choicesOf(form);
    const lines = await this.wizard.preview(id, choices);
    await this.sendMapping(
      reply,
      session,
      job,
      { mapping: choices.mapping as Array<ImportColumn | null>, lists: choices.lists, consent: form.consent, overwrite: choices.overwrite },
      lines,
      false,
    );
  }

  @Post(':id/start')
  async start(
    @Param('id', UuidPipe) id: string,
    @Body() form: ImportChoicesForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.wizard.start(req as AuthenticatedRequest, id, this.choicesOf(form));
    await reply.status(303).header('location', `/console/imports/${id}`).send();
  }

  /** Every rejected line as CSV (`line,reason`), streamed and audited like the exports. */
  @Get(':id/rejected.csv')
  async report(@Param('id', UuidPipe) id: string, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.wizard.reportCsv(req as AuthenticatedRequest, reply, id);
  }

  private choicesOf(form: ImportChoicesForm): {
    mapping: Array<string | null>;
    lists: string[];
    consentConfirmed: boolean;
    overwrite: boolean;
  } {
    if (form.field.length === 0) throw new BadRequestException('Map the columns of the file');
    return {
      mapping: form.field.map((f) => (f === '' ? null : f)),
      lists: [...new Set(form.lists ?? [])],
      consentConfirmed: form.consent === 'confirmed',
      overwrite: form.overwrite === '1',
    };
  }

  private async sendMapping(
    reply: FastifyReply,
    session: ConsoleSession,
    job: ImportJobRow,
    chosen: { mapping: Array<ImportColumn | null>; lists: string[]; consent: 'none' | 'confirmed'; overwrite: boolean },
    preview: PreviewLine[] | null,
    remembered: boolean,
  ): Promise<void> {
    const t = consoleImportsMessages(session.lang);
    const allLists = await this.wizard.lists();
    const rows = job.header.map((cell, i) => {
      const selected = chosen.mapping[i] ?? '';
      return html`<tr>
        <th scope="row">
          <label for="field-${i}"><bdi>${cell}</bdi></label>
        </th>
        <td>
          <select id="field-${i}" name="field">
            <option value="" ${selected === '' ? html`selected` : html``}>${t.ignore}</option>
            ${IMPORT_COLUMNS.map((c) => html`<option value="${c}" ${selected === c ? html`selected` : html``}>${t.fields[c]}</option>`)}
          </select>
        </td>
      </tr>`;
    });
    const listBoxes = allLists.length
      ? allLists.map(
          (l, i) =>
            html`<div>
              <input
                type="checkbox"
                id="list-${i}"
                name="lists"
                value="${l.slug}"
                ${chosen.lists.includes(l.slug) ? html`checked` : html``}
              />
              <label for="list-${i}"><bdi>${l.name}</bdi> (<bdi>${l.slug}</bdi>)</label>
            </div>`,
        )
      : html`<p>${t.noLists}</p>`;
    const body = html`${remembered ? html`<p class="notice">${t.remembered}</p>` : html``}
      <p>${t.mapIntro}</p>
      <p><bdi>${job.filename}</bdi></p>
      <form class="stack" method="post" action="/console/imports/${job.id}/start">
        ${csrfField(session)}
        ${dataTable([t.column, t.field], rows)}
        <fieldset>
          <legend>${t.listsLegend}</legend>
          ${listBoxes}
        </fieldset>
        <fieldset>
          <legend>${t.consentLegend}</legend>
          <div>
            <input type="radio" id="consent-none" name="consent" value="none" ${chosen.consent === 'none' ? html`checked` : html``} />
            <label for="consent-none">${t.consentNone}</label>
          </div>
          <div>
            <input
              type="radio"
              id="consent-confirmed"
              name="consent"
              value="confirmed"
              ${chosen.consent === 'confirmed' ? html`checked` : html``}
            />
            <label for="consent-confirmed">${t.consentConfirmed}</label>
          </div>
        </fieldset>
        <div>
          <input type="checkbox" id="overwrite" name="overwrite" value="1" ${chosen.overwrite ? html`checked` : html``} />
          <label for="overwrite">${t.overwrite}</label>
        </div>
        <div>
          <button type="submit" class="secondary" formaction="/console/imports/${job.id}/preview">${t.preview}</button>
          <button type="submit">${t.start}</button>
        </div>
      </form>
      ${preview ? this.previewTable(t, job, chosen.mapping, preview) : html``}
      <p><a href="/console/imports">${t.back}</a></p>`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.mapTitle, body, path: '/console/imports' }));
  }

  private previewTable(t: ConsoleImportsMessages, job: ImportJobRow, mapping: Array<ImportColumn | null>, lines: PreviewLine[]): SafeHtml {
    const columns = mapping.filter((c): c is ImportColumn => c !== null);
    return html`<section aria-labelledby="preview-h">
      <h2 id="preview-h">${t.previewTitle}</h2>
      <table>
        <caption>
          ${t.previewCaption}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.line}</th>
            ${columns.map((c) => html`<th scope="col">${t.fields[c]}</th>`)}
            <th scope="col">${t.problem}</th>
          </tr>
        </thead>
        <tbody>
          ${lines.map(
            (l) =>
              html`<tr>
                <td>${l.line}</td>
                ${columns.map((c) => html`<td><bdi>${l.cells[c] ?? ''}</bdi></td>`)}
                <td>${l.problem ? html`<span class="problem">${l.problem}</span>` : t.ok}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private async sendProgress(reply: FastifyReply, session: ConsoleSession, job: ImportJobRow, after: number): Promise<void> {
    const t = consoleImportsMessages(session.lang);
    const finished = job.status === 'done' || job.status === 'failed';
    const percent = job.bytes > 0 ? Math.min(100, Math.floor((job.bytesRead / job.bytes) * 100)) : 0;
    const counts = { imported: job.imported, updated: job.updated, rejected: job.rejected };
    const progress = finished
      ? html``
      : html`<section aria-labelledby="progress-h" data-import-running="1">
          <h2 id="progress-h">${t.progressTitle}</h2>
          <label for="import-progress">${t.progressLabel}</label>
          <progress id="import-progress" max="100" value="${percent}">${percent}%</progress>
          <p role="status">${fill(t.progressText, { percent, ...counts })}</p>
          <p><a href="/console/imports/${job.id}">${t.refresh}</a></p>
        </section>`;
    const rejections = finished ? await this.wizard.rejections(job.id, after, REJECTIONS_PER_PAGE) : [];
    const last = rejections.at(-1);
    const report = finished
      ? html`<section aria-labelledby="report-h">
          <h2 id="report-h">${t.reportTitle}</h2>
          <p role="status">${fill(t.reportText, counts)}</p>
          ${job.status === 'failed' ? html`<p class="problem" role="alert">${fill(t.failedText, { error: job.error ?? '' })}</p>` : html``}
          <h3>${t.rejectedTitle}</h3>
          ${
            job.rejected === 0
              ? html`<p>${t.noRejected}</p>`
              : html`<p><a href="/console/imports/${job.id}/rejected.csv" download>${t.downloadReport}</a></p>
                  <table>
                    <caption>
                      ${t.rejectedCaption}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">${t.line}</th>
                        <th scope="col">${t.reason}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${rejections.map(
                        (r) =>
                          html`<tr>
                            <td>${r.line}</td>
                            <td>${r.reason}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                  ${
                    rejections.length === REJECTIONS_PER_PAGE && last
                      ? html`<p><a href="/console/imports/${job.id}?after=${last.line}" rel="next">${t.moreRejected}</a></p>`
                      : html``
                  }`
          }
        </section>`
      : html``;
    const body = html`<p><bdi>${job.filename}</bdi> · ${t.statuses[job.status]}</p>
      ${progress}${report}
      <p><a href="/console/imports">${t.back}</a></p>`;
    const scripts = finished ? [] : ['/console/imports/progress.js'];
    await sendConsolePage(reply, renderConsolePage({ session, title: t.title, body, path: '/console/imports', scripts }));
  }
}
