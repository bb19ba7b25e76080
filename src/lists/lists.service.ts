import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, toPage } from '../common/pagination';
import { RequestValidationException } from '../common/validation';
import { TransactionRunner } from '../database/database.module';
import { CreateListDto, ListPage, ListResponse, UpdateListDto } from './dto/list.dto';
import { ListRow, ListsRepository } from './lists.repository';

const DEFAULT_IS_PUBLIC = { field: 'public', message: 'the default list is always public' };

/**
 * Mailing lists (the `lists` table of src/people): what people subscribe to and newsletters
 * go to. A list is private unless the organizer makes it public; only public lists can be
 * named in a public request (MembershipRepository.resolveLists). The default list, which a
 * sign-up naming none joins, is always public (also a CHECK in the database).
 */
@Injectable()
export class ListsService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(dto: CreateListDto): Promise<ListResponse> {
    const isDefault = dto.isDefault ?? false;
    if (isDefault && dto.public === false) throw new RequestValidationException([DEFAULT_IS_PUBLIC]);
    const row = await this.transactions.run((tx) =>
      this.lists.create(tx, { slug: dto.slug, name: dto.name, isDefault, isPublic: isDefault || (dto.public ?? false) }),
    );
    if (!row) throw new ConflictException(`A list with slug ${dto.slug} already exists`);
    return response(row);
  }

  /** Renames a list, makes it public or private, or makes it the default (hence public). */
  async update(id: string, dto: UpdateListDto): Promise<ListResponse> {
    const row = await this.transactions.run(async (tx) => {
      const list = await this.lists.lock(tx, id);
      if (!list) throw new NotFoundException('No such list');
      const isDefault = list.isDefault || dto.isDefault === true;
      if (isDefault && dto.public === false) throw new RequestValidationException([DEFAULT_IS_PUBLIC]);
      return this.lists.update(tx, { id, name: dto.name ?? list.name, isDefault, isPublic: isDefault || (dto.public ?? list.isPublic) });
    });
    return response(row);
  }

  async list(limit: number, cursor?: string): Promise<ListPage> {
    return toPage(await this.lists.page(limit, decodeCursor(cursor)), limit, response);
  }
}

function response(row: Omit<ListRow, 'cursorMicros'>): ListResponse {
  return { id: row.id, slug: row.slug, name: row.name, isDefault: row.isDefault, public: row.isPublic, createdAt: row.createdAt };
}
