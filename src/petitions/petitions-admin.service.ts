import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isUniqueViolation } from '../database/database.module';
import { canonicalLanguageTag } from '../common/languages';
import { decodeCursor, Page, syncWindow, toPage } from '../common/pagination';
import { AdminPetitionResponse, CreatePetitionDto, UpdatePetitionDto } from './dto/petition.dto';
import { PetitionStatus, PetitionTranslations } from './petition.entity';
import { displayedGoal } from './petition-goal';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsRepository, PetitionWithCount } from './petitions.repository';

export interface AdminSignature {
  id: string;
  status: string;
  /** Null, like every detail the signer typed, on a signature whose person was erased (kept, anonymous, for the count). */
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  comment: string | null;
  language: string | null;
  publicName: boolean;
  subscribe: boolean;
  referrer: { source: string | null; medium: string | null; campaign: string | null; url: string | null };
  createdAt: Date;
  confirmedAt: Date | null;
  /** The last change a sync should see (status, erasure, typed details). */
  modifiedAt: Date;
}

function canonicalTranslations(translations: PetitionTranslations | undefined): PetitionTranslations | undefined {
  if (!translations) return undefined;
  return Object.fromEntries(Object.entries(translations).map(([lang, c]) => [canonicalLanguageTag(lang), { ...c }]));
}

/** The organizer's side of petitions: write them, run them, see who signed. */
@Injectable()
export class PetitionsAdminService {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly cache: PetitionReadCache,
  ) {}

  static toResponse(p: PetitionWithCount): AdminPetitionResponse {
    return {
      id: p.id,
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      body: p.body,
      target: p.target,
      goal: displayedGoal(p.goal, p.goalFixed, p.signatureCount),
      goalSet: p.goal,
      goalFixed: p.goalFixed,
      signatureCount: p.signatureCount,
      status: p.status,
      language: p.language,
      translations: p.translations,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  async create(dto: CreatePetitionDto): Promise<AdminPetitionResponse> {
    let id: string;
    try {
      id = await this.petitions.insertPetition({
        slug: dto.slug,
        title: dto.title,
        summary: dto.summary,
        body: dto.body,
        target: dto.target,
        goal: dto.goal,
        goalFixed: dto.goalFixed ?? false,
        language: canonicalLanguageTag(dto.language),
        status: dto.status ?? 'draft',
        translations: canonicalTranslations(dto.translations) ?? {},
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('A petition with this slug already exists');
      throw err;
    }
    this.cache.forget(dto.slug);
    return this.get(id);
  }

  async get(id: string): Promise<AdminPetitionResponse> {
    const petition = await this.petitions.findPetition(id);
    if (!petition) throw new NotFoundException('No such petition');
    return PetitionsAdminService.toResponse(petition);
  }

  async list(limit: number, cursor: string | undefined, status?: PetitionStatus): Promise<Page<AdminPetitionResponse>> {
    const rows = await this.petitions.pagePetitions(limit, decodeCursor(cursor), status);
    return toPage(rows, limit, (p) => PetitionsAdminService.toResponse(p));
  }

  async update(id: string, dto: UpdatePetitionDto): Promise<AdminPetitionResponse> {
    const before = await this.petitions.findPetition(id);
    if (!before) throw new NotFoundException('No such petition');
    try {
      await this.petitions.updatePetition(id, {
        ...dto,
        language: dto.language ? canonicalLanguageTag(dto.language) : undefined,
        translations: canonicalTranslations(dto.translations),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('A petition with this slug already exists');
      throw err;
    }
    this.cache.forget(before.slug, ...(dto.slug ? [dto.slug] : []));
    return this.get(id);
  }

  async signatures(id: string, limit: number, cursor: string | undefined, modifiedSince?: string): Promise<Page<AdminSignature>> {
    const after = decodeCursor(cursor);
    const sync = syncWindow(modifiedSince);
    if (!(await this.petitions.findPetitionStatus(id))) throw new NotFoundException('No such petition');
    const rows = await this.petitions.pageSignatures(id, limit, after, sync);
    return toPage(rows, limit, (s) => ({
      id: s.id,
      status: s.status,
      email: s.email,
      givenName: s.givenName,
      familyName: s.familyName,
      country: s.country,
      postalCode: s.postalCode,
      comment: s.comment,
      language: s.language,
      publicName: s.publicName,
      subscribe: s.subscribe,
      referrer: { source: s.referrerSource, medium: s.referrerMedium, campaign: s.referrerCampaign, url: s.referrerUrl },
      createdAt: s.createdAt,
      confirmedAt: s.confirmedAt,
      modifiedAt: s.modifiedAt,
    }));
  }
}
