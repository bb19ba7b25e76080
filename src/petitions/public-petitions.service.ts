import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { SLUG_PATTERN } from '../common/validators';
import { PublicPetitionResponse, PublicSigner } from './dto/petition.dto';
import { chooseLanguage, contentIn, publicName } from './petition-content';
import { displayedGoal } from './petition-goal';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsRepository, PetitionWithCount, PublicSigner as StoredPublicSigner } from './petitions.repository';

/** What anyone may read about petitions: open and closed ones, never drafts. */
@Injectable()
export class PublicPetitionsService {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly cache: PetitionReadCache,
  ) {}

  static render(p: PetitionWithCount, lang: string | undefined, acceptLanguage: string | undefined): PublicPetitionResponse {
    const language = chooseLanguage(p.language, Object.keys(p.translations), lang, acceptLanguage);
    const content = contentIn(p, language);
    return {
      id: p.id,
      slug: p.slug,
      title: content.title,
      summary: content.summary,
      body: content.body,
      target: p.target,
      goal: displayedGoal(p.goal, p.goalFixed, p.signatureCount),
      signatureCount: p.signatureCount,
      status: p.status,
      language,
      createdAt: new Date(p.createdAt).toISOString(),
    };
  }

  /** An open or closed petition; a draft is as unknown as a slug nobody used. */
  async visible(slug: string): Promise<PetitionWithCount> {
    // Not a slug at all: no query, and no cache entry for whatever a client made up.
    if (slug.length > 100 || !SLUG_PATTERN.test(slug)) throw new NotFoundException('No such petition');
    const petition = await this.cache.petition(slug);
    if (!petition || petition.status === 'draft') throw new NotFoundException('No such petition');
    return petition;
  }

  async get(slug: string, lang: string | undefined, acceptLanguage: string | undefined): Promise<PublicPetitionResponse> {
    return PublicPetitionsService.render(await this.visible(slug), lang, acceptLanguage);
  }

  async listOpen(
    limit: number,
    cursor: string | undefined,
    lang: string | undefined,
    acceptLanguage: string | undefined,
  ): Promise<Page<PublicPetitionResponse>> {
    const after = decodeCursor(cursor);
    const page = await this.cache.openPage(`${limit}:${cursor ?? ''}`, async () => {
      const rows = await this.petitions.pagePetitions(limit, after, 'open');
      return toPage(rows, limit, (p) => p);
    });
    return { items: page.items.map((p) => PublicPetitionsService.render(p, lang, acceptLanguage)), nextCursor: page.nextCursor };
  }

  async signers(slug: string, limit: number): Promise<{ items: PublicSigner[] }> {
    const petition = await this.visible(slug);
    return PublicPetitionsService.renderSigners(await this.cache.publicSigners(petition.id, limit));
  }

  static renderSigners(rows: StoredPublicSigner[]): { items: PublicSigner[] } {
    return {
      items: rows.map((s) => ({
        name: publicName(s.givenName, s.familyName),
        country: s.country,
        ...(s.comment ? { comment: s.comment } : {}),
        createdAt: new Date(s.createdAt).toISOString(),
      })),
    };
  }

  /** For the sign path: the petition's id when it takes signatures; 404 or 410 otherwise. */
  async signable(slug: string): Promise<string> {
    const petition = await this.visible(slug);
    if (petition.status === 'closed') throw new GoneException('This petition is closed');
    return petition.id;
  }
}
