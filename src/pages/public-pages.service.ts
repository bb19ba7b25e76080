import { GoneException, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SupportedLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { CreateRsvpDto } from '../events/dto/create-rsvp.dto';
import { PublicEventsService } from '../events/public-events.service';
import { SignPetitionDto } from '../petitions/dto/sign-petition.dto';
import { PublicPetitionsService } from '../petitions/public-petitions.service';
import { SignPetitionService } from '../petitions/sign-petition.service';
import { CreateSignupDto } from '../join/dto/create-signup.dto';
import { SignupService } from '../join/signup.service';
import { intlLocale, MESSAGES, pageLanguage } from '../web/i18n';
import { renderLayout } from '../web/layout';
import { FormErrors, FormKind, FormValues, readSubmission, renderForm, validateSubmission } from './page-forms';
import { renderEvent, renderJoin, renderPetition, renderShare, renderThanks } from './page-templates';
import { ProofOfWorkService } from '../web/proof-of-work.service';

/** An answer of a public page: its status and whole HTML. */
export interface PageAnswer {
  status: number;
  html: string;
}

/** Who is asking, as the pages need it. */
export interface PageRequest {
  queryLang: unknown;
  acceptLanguage: string | undefined;
  embed: boolean;
}

/** A form to show again, with what was typed and what is wrong. */
interface FormState {
  values: FormValues;
  errors: FormErrors;
}

type Submitted = { accepted: true } | { accepted: false; state: FormState };

/** How many recent signers a petition page lists. */
export const SIGNERS_SHOWN = 10;

/**
 * The public pages (join, petition, event) and their no-JavaScript form posts. The rules are
 * the feature services' (the same calls and DTOs as the JSON API); this service only turns
 * requests into those calls and their outcomes into pages.
 */
@Injectable()
export class PublicPagesService {
  constructor(
    private readonly signups: SignupService,
    private readonly petitions: PublicPetitionsService,
    private readonly signing: SignPetitionService,
    private readonly events: PublicEventsService,
    private readonly proofOfWork: ProofOfWorkService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  // ---- join ----

  joinPage(req: PageRequest, state?: FormState, status = 200): PageAnswer {
    const language = pageLanguage(req.queryLang, req.acceptLanguage);
    const path = req.embed ? '/embed/join' : '/';
    const form = this.form('join', language, path, '/api/v1/signups', state);
    const t = MESSAGES[language];
    return {
      status,
      html: renderLayout({
        language,
        title: t.joinTitle,
        content: renderJoin(language, form),
        embed: req.embed,
        script: true,
        switcherPath: path,
        share: req.embed ? undefined : { url: `${this.config.publicUrl}/`, description: t.joinIntro },
      }),
    };
  }

  async submitJoin(req: PageRequest, raw: unknown, clientIp: string): Promise<PageAnswer> {
    const language = pageLanguage(req.queryLang, req.acceptLanguage);
    const outcome = await this.submit<CreateSignupDto>('join', raw, language, (dto) =>
      this.signups.accept(dto, clientIp, req.acceptLanguage),
    );
    return outcome.accepted ? this.thanks(language, req.embed) : this.joinPage(req, outcome.state, 400);
  }

  // ---- petitions ----

  async petitionPage(slug: string, req: PageRequest, state?: FormState, status = 200): Promise<PageAnswer> {
    const petition = await this.petitions.get(slug, this.askedLanguage(req), req.acceptLanguage);
    const language = pageLanguage(req.queryLang, req.acceptLanguage, petition.language);
    const path = `${req.embed ? '/embed' : ''}/p/${slug}`;
    const url = `${this.config.publicUrl}/p/${slug}`;
    const open = petition.status === 'open' && status !== 410;
    const signers = req.embed ? [] : (await this.petitions.signers(slug, SIGNERS_SHOWN)).items;
    const content = renderPetition({
      language,
      petition,
      signers,
      numberLocale: intlLocale(language),
      form: open ? this.form('sign', language, path, `/api/v1/petitions/${slug}/signatures`, state) : null,
      share: renderShare(language, url, petition.title),
      embed: req.embed,
    });
    return {
      status,
      html: renderLayout({
        language,
        title: petition.title,
        content,
        embed: req.embed,
        script: true,
        switcherPath: path,
        share: req.embed ? undefined : { url, description: petition.summary },
      }),
    };
  }

  async submitSignature(slug: string, req: PageRequest, raw: unknown, clientIp: string): Promise<PageAnswer> {
    const petition = await this.petitions.get(slug, this.askedLanguage(req), req.acceptLanguage);
    const language = pageLanguage(req.queryLang, req.acceptLanguage, petition.language);
    if (petition.status === 'closed') return this.petitionPage(slug, req, undefined, 410);
    try {
      const outcome = await this.submit<SignPetitionDto>('sign', raw, language, (dto) =>
        this.signing.sign(slug, dto, clientIp, req.acceptLanguage),
      );
      return outcome.accepted ? this.thanks(language, req.embed) : await this.petitionPage(slug, req, outcome.state, 400);
    } catch (err) {
      if (err instanceof GoneException) return this.petitionPage(slug, req, undefined, 410);
      throw err;
    }
  }

  // ---- events ----

  async eventPage(slug: string, req: PageRequest, state?: FormState, status = 200): Promise<PageAnswer> {
    const event = await this.events.get(slug);
    const language = pageLanguage(req.queryLang, req.acceptLanguage);
    const path = `${req.embed ? '/embed' : ''}/e/${slug}`;
    const url = `${this.config.publicUrl}/e/${slug}`;
    const closedReason =
      event.status === 'cancelled'
        ? 'cancelled'
        : new Date(event.startsAt).getTime() <= this.clock.now().getTime() || status === 410
          ? 'started'
          : null;
    const content = renderEvent({
      language,
      event,
      numberLocale: intlLocale(language),
      form: closedReason ? null : this.form('rsvp', language, path, `/api/v1/events/${slug}/rsvps`, state),
      closedReason,
      share: renderShare(language, url, event.title),
      embed: req.embed,
    });
    const description = (event.description ?? '').trim().split('\n')[0].slice(0, 300) || event.title;
    return {
      status,
      html: renderLayout({
        language,
        title: event.title,
        content,
        embed: req.embed,
        script: true,
        switcherPath: path,
        share: req.embed ? undefined : { url, description },
      }),
    };
  }

  async submitRsvp(slug: string, req: PageRequest, raw: unknown, clientIp: string): Promise<PageAnswer> {
    const language = pageLanguage(req.queryLang, req.acceptLanguage);
    try {
      const outcome = await this.submit<CreateRsvpDto>('rsvp', raw, language, (dto) =>
        this.events.rsvp(slug, dto, clientIp, req.acceptLanguage),
      );
      return outcome.accepted ? this.thanks(language, req.embed) : await this.eventPage(slug, req, outcome.state, 400);
    } catch (err) {
      if (err instanceof GoneException) return this.eventPage(slug, req, undefined, 410);
      throw err;
    }
  }

  // ---- shared ----

  /** The page's own choice of content language (?lang=), passed to the petition so its text follows. */
  private askedLanguage(req: PageRequest): string | undefined {
    return typeof req.queryLang === 'string' && req.queryLang.length <= 35 && /^[A-Za-z-]+$/.test(req.queryLang)
      ? req.queryLang
      : undefined;
  }

  private form(kind: FormKind, language: SupportedLanguage, path: string, api: string, state?: FormState): string {
    return renderForm({
      kind,
      language,
      action: `${path}?lang=${language}`,
      api,
      proofOfWork: this.proofOfWork.enabled,
      values: state?.values,
      errors: state?.errors,
    });
  }

  /** The same page for every accepted form, whatever the address's history: nothing in it depends on the input. */
  private thanks(language: SupportedLanguage, embed: boolean): PageAnswer {
    return {
      status: 200,
      html: renderLayout({ language, title: MESSAGES[language].thanksTitle, content: renderThanks(language), embed, script: embed }),
    };
  }

  /**
   * The API's path for a form: its DTO's validation, then the proof of work (checked only
   * while the form has errors, spent once it has none), then the feature service.
   */
  private async submit<T>(kind: FormKind, raw: unknown, language: SupportedLanguage, act: (dto: T) => Promise<void>): Promise<Submitted> {
    const submission = readSubmission(kind, raw, language);
    const validated = await validateSubmission<T>(kind, submission.body, language);
    const errors: FormErrors = { ...(validated.errors ?? {}) };
    if (this.proofOfWork.enabled) {
      const problem = validated.dto ? await this.proofOfWork.spend(submission.altcha) : await this.proofOfWork.check(submission.altcha);
      if (problem) errors.altcha = MESSAGES[language].errorAltcha;
    }
    if (!validated.dto || Object.keys(errors).length > 0) return { accepted: false, state: { values: submission.values, errors } };
    await act(validated.dto);
    return { accepted: true };
  }
}
