import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { PetitionReadCache } from '../petitions/petition-read-cache';
import { PetitionWithCount, PublicSigner } from '../petitions/petitions.repository';
import { pagePolicyHeaders } from '../web/layout';
import { isSlug, LeanAnswer, LeanReads, plainQuery, VersionedAnswers } from '../web/lean-reads';
import { PublicPagesService, SIGNERS_SHOWN } from './public-pages.service';

const NO_SIGNERS: PublicSigner[] = [];

/**
 * The lean path (src/web/lean-reads.ts) of the petition page `/p/{slug}` and its embed: the
 * page PublicPagesService renders, built once per version of what it shows (the cached
 * petition, its cached signer list, the language asked and Accept-Language, embed or not)
 * and sent with the headers sendPage would set. An unknown or draft petition, an unusual
 * query or a failed load go to the controller (its 404 page, its error page).
 */
@Injectable()
export class PagesLeanReads implements OnModuleInit {
  private readonly answers = new VersionedAnswers<PetitionWithCount>();
  private readonly signerVersions = new WeakMap<PublicSigner[], number>();
  private nextSignerVersion = 1;

  constructor(
    private readonly reads: LeanReads,
    private readonly cache: PetitionReadCache,
    private readonly pages: PublicPagesService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.reads.register('/p/:slug', (request) => this.petitionPage(request, false));
    this.reads.register('/embed/p/:slug', (request) => this.petitionPage(request, true));
  }

  private petitionPage(request: FastifyRequest, embed: boolean): LeanAnswer | Promise<LeanAnswer | undefined> | undefined {
    const slug = (request.params as { slug?: unknown }).slug;
    const query = plainQuery(request.query, ['lang'], true);
    if (!isSlug(slug) || !query) return undefined;
    const lang = query.lang;
    const accept = request.headers['accept-language'];
    const withSigners = (p: PetitionWithCount, rows: PublicSigner[]): LeanAnswer | Promise<LeanAnswer> => {
      const variant = `${this.signerVersion(rows)}\n${embed ? 'e' : ''}\n${lang ?? '\u0000'}\n${accept ?? ''}`;
      const hit = this.answers.find(p, variant);
      if (hit) return hit;
      return this.pages
        .petitionPage(slug, { queryLang: lang, acceptLanguage: accept, embed })
        .then((page) => this.answers.keep(p, variant, this.answer(page.status, page.html, embed)));
    };
    const withPetition = (p: PetitionWithCount | null): LeanAnswer | Promise<LeanAnswer> | undefined => {
      if (!p || p.status === 'draft') return undefined;
      if (embed) return withSigners(p, NO_SIGNERS);
      const rows = this.cache.peekPublicSigners(p.id, SIGNERS_SHOWN);
      return rows ? withSigners(p, rows.value) : this.cache.publicSigners(p.id, SIGNERS_SHOWN).then((r) => withSigners(p, r));
    };
    const hit = this.cache.peekPetition(slug);
    return hit ? withPetition(hit.value) : this.cache.petition(slug).then(withPetition);
  }

  private signerVersion(rows: PublicSigner[]): number {
    let version = this.signerVersions.get(rows);
    if (version === undefined) this.signerVersions.set(rows, (version = this.nextSignerVersion++));
    return version;
  }

  /** As sendPage sends a GET page (page-response.ts). */
  private answer(status: number, html: string, embed: boolean): LeanAnswer {
    return this.reads.answer(
      status,
      {
        ...pagePolicyHeaders(this.reads.securityHeaders(), embed ? this.config.EMBED_ALLOWED_ORIGINS : undefined),
        'content-type': 'text/html; charset=utf-8',
        'cache-control': status === 200 ? 'public, max-age=1' : 'no-store',
        vary: 'Accept-Language',
      },
      html,
      { publicApi: false },
    );
  }
}
