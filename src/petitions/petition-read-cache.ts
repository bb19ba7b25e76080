import { Injectable } from '@nestjs/common';
import { Page } from '../common/pagination';
import { PetitionsRepository, PetitionWithCount, PublicSigner } from './petitions.repository';
import { TtlCache } from '../common/ttl-cache';

/**
 * What the public reads of petitions come from: the petition with its count (two primary-key
 * lookups, whatever its size) and the recent public signers, each loaded at most about once a
 * second per API process, and never keep a request waiting for it under steady traffic. The count itself lives in PostgreSQL, so nothing here needs
 * rebuilding after a Redis flush.
 */
@Injectable()
export class PetitionReadCache {
  // Fresh for a second, then served up to one more second while a reload runs: under load no
  // reader or signer waits for the database.
  private readonly bySlug = new TtlCache<PetitionWithCount | null>(1_000, 10_000, 1_000);
  private readonly signers = new TtlCache<PublicSigner[]>(2_000, 10_000, 1_000);
  private readonly openPages = new TtlCache<Page<PetitionWithCount>>(1_000, 1_000, 1_000);

  constructor(private readonly petitions: PetitionsRepository) {}

  petition(slug: string): Promise<PetitionWithCount | null> {
    return this.bySlug.get(slug, () => this.petitions.findPetitionBySlug(slug));
  }

  /** The petition when it is cached already (the lean reads answer in the same turn), else undefined. */
  peekPetition(slug: string): { value: PetitionWithCount | null } | undefined {
    return this.bySlug.peek(slug, () => this.petitions.findPetitionBySlug(slug));
  }

  peekPublicSigners(petitionId: string, limit: number): { value: PublicSigner[] } | undefined {
    return this.signers.peek(`${petitionId}:${limit}`, () => this.petitions.publicSigners(petitionId, limit));
  }

  publicSigners(petitionId: string, limit: number): Promise<PublicSigner[]> {
    return this.signers.get(`${petitionId}:${limit}`, () => this.petitions.publicSigners(petitionId, limit));
  }

  openPage(key: string, load: () => Promise<Page<PetitionWithCount>>): Promise<Page<PetitionWithCount>> {
    return this.openPages.get(key, load);
  }

  /** After an organizer's change: this process serves it at once, others within a second. */
  forget(...slugs: string[]): void {
    for (const slug of slugs) this.bySlug.delete(slug);
    this.openPages.clear();
  }
}
