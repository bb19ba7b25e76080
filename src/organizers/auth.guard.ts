import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { Role } from './organizer.entity';
import { AuthenticatedOrganizer } from './organizers.repository';
import { OrganizersService } from './organizers.service';

const MIN_ROLE = 'minRole';
const RANK: Record<Role, number> = { viewer: 1, organizer: 2, admin: 3 };

export type AuthenticatedRequest = FastifyRequest & { organizer?: AuthenticatedOrganizer };

/** Bearer API key → organizer; 401 without a valid key, 403 below the route's role. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const organizer = match ? await this.organizers.authenticate(match[1]) : null;
    if (!organizer) throw new UnauthorizedException('A valid API key is required (Authorization: Bearer <key>)');
    const minRole = this.reflector.getAllAndOverride<Role>(MIN_ROLE, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (RANK[organizer.role] < RANK[minRole]) throw new ForbiddenException(`This action needs the ${minRole} role`);
    req.organizer = organizer;
    return true;
  }
}

/** Requires an API key whose role is at least `minRole` (viewer < organizer < admin). */
export function Auth(minRole: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(MIN_ROLE, minRole),
    UseGuards(ApiKeyGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponse }),
    ApiForbiddenResponse({ type: ErrorResponse }),
  );
}
