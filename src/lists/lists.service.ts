import { ConflictException, Injectable } from '@nestjs/common';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionRunner } from '../database/database.module';
import { CreateListDto, ListPage, ListResponse } from './dto/list.dto';
import { ListsRepository } from './lists.repository';

/** Mailing lists (the `lists` table of src/people): what people subscribe to and newsletters go to. */
@Injectable()
export class ListsService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(dto: CreateListDto): Promise<ListResponse> {
    const row = await this.transactions.run((tx) =>
      this.lists.create(tx, { slug: dto.slug, name: dto.name, isDefault: dto.isDefault ?? false }),
    );
    if (!row) throw new ConflictException(`A list with slug ${dto.slug} already exists`);
    return { id: row.id, slug: row.slug, name: row.name, isDefault: row.isDefault, createdAt: row.createdAt };
  }

  async list(limit: number, cursor?: string): Promise<ListPage> {
    return toPage(await this.lists.page(limit, decodeCursor(cursor)), limit, (row) => row);
  }
}
