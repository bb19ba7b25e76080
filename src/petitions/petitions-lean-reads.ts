import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LANGUAGE_TAG_PATTERN } from '../common/validators';
import { isSlug, LeanAnswer, LeanReads, plainQuery, VersionedAnswers } from '../web/lean-reads';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionWithCount, PublicSigner } from './petitions.repository';
import { PublicPetitionsService } from './public-petitions.service';

/** As the controller sets them (petitions.controller.ts). */
const JSON_TYPE = 'application/json; charset=utf-8';
const SHORT_CACHE = 'public, max-age=1';
const NOT_FOUND = JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'No such petition' });
/**
 * The lean path (src/web/lean-reads.ts) of `GET /api/v1/petitions/{slug}` and of its signer
 * list: the same cache (PetitionReadCache: a count at most about two seconds old, an
 * organizer's change served at once by this process), the same rendering
 * (PublicPetitionsService), serialised once per cached version and variant. What it does not
 * answer the controller does: an invalid slug or `?lang=`, an unknown parameter, a failed load.
 */
@Injectable()
export class PetitionsLeanReads implements OnModuleInit {
  private readonly petitions = new VersionedAnswers<PetitionWithCount>();
  private readonly signerLists = new VersionedAnswers<PublicSigner[]>();
  private notFound?: LeanAnswer;

  constructor(
    private readonly reads: LeanReads,
    private readonly cache: PetitionReadCache,
  ) {}

  onModuleInit(): void {
    this.reads.register('/api/v1/petitions/:slug', (request) => this.petition(request));
    this.reads.register('/api/v1/petitions/:slug/signatures', (request) => this.signers(request));
  }

  private petition(request: FastifyRequest): LeanAnswer | Promise<LeanAnswer> | undefined {
    const slug = (request.params as { slug?: unknown }).slug;
    const query = plainQuery(request.query, ['lang']);
    if (!isSlug(slug) || !query) return undefined;
    const lang = query.lang;
    if (lang !== undefined && (lang.length > 35 || !LANGUAGE_TAG_PATTERN.test(lang))) return undefined;
    const accept = request.headers['accept-language'];
    const answer = (p: PetitionWithCount | null): LeanAnswer =>
      !p || p.status === 'draft'
        ? this.notFoundAnswer()
        : this.petitions.get(p, `${lang ?? ''}\n${accept ?? ''}`, () =>
            this.reads.answer(
              200,
              { 'content-type': JSON_TYPE, 'cache-control': SHORT_CACHE, vary: 'Accept-Language' },
              JSON.stringify(PublicPetitionsService.render(p, lang, accept)),
              { publicApi: true },
            ),
          );
    const hit = this.cache.peekPetition(slug);
    return hit ? answer(hit.value) : this.cache.petition(slug).then(answer);
  }

  private signers(request: FastifyRequest): LeanAnswer | Promise<LeanAnswer> | undefined {
    const slug = (request.params as { slug?: unknown }).slug;
    const query = plainQuery(request.query, ['limit']);
    if (!isSlug(slug) || !query) return undefined;
    // PublicSignersQuery's 1..100, default 20; any other spelling ('05', ' 5') is the controller's.
    if (query.limit !== undefined && !/^(?:[1-9][0-9]?|100)$/.test(query.limit)) return undefined;
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    const list = (rows: PublicSigner[]): LeanAnswer =>
      this.signerLists.get(rows, '', () =>
        this.reads.answer(
          200,
          { 'content-type': JSON_TYPE, 'cache-control': SHORT_CACHE },
          JSON.stringify(PublicPetitionsService.renderSigners(rows)),
          { publicApi: true },
        ),
      );
    const forPetition = (p: PetitionWithCount | null): LeanAnswer | Promise<LeanAnswer> => {
      if (!p || p.status === 'draft') return this.notFoundAnswer();
      const rows = this.cache.peekPublicSigners(p.id, limit);
      return rows ? list(rows.value) : this.cache.publicSigners(p.id, limit).then(list);
    };
    const hit = this.cache.peekPetition(slug);
    return hit ? forPetition(hit.value) : this.cache.petition(slug).then(forPetition);
  }

  /** The controller's 404 for an unknown or draft petition, byte for byte. */
  private notFoundAnswer(): LeanAnswer {
    return (this.notFound ??= this.reads.answer(404, { 'content-type': JSON_TYPE }, NOT_FOUND, { publicApi: true }));
  }
}
