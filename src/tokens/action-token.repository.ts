import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ActionToken } from './action-token.entity';

@Injectable()
export class ActionTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: EntityManager,
    token: Pick<ActionToken, 'id' | 'nonce' | 'tokenHash' | 'purpose' | 'subjectId' | 'personId' | 'expiresAt'>,
  ): Promise<void> {
    await tx.getRepository(ActionToken).insert(token);
  }

  findById(id: string): Promise<ActionToken | null> {
    return this.dataSource.getRepository(ActionToken).findOne({ where: { id } });
  }

  findByHash(tokenHash: string, tx?: EntityManager): Promise<ActionToken | null> {
    return (tx ?? this.dataSource.manager).getRepository(ActionToken).findOne({ where: { tokenHash } });
  }

  /** Marks a token used; false when it already was (another request won). */
  async markUsed(tx: EntityManager, id: string): Promise<boolean> {
    const result = await tx
      .getRepository(ActionToken)
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
