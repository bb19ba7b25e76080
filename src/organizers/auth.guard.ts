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
import { roleAtLeast } from './roles';

const MIN_ROLE = 'minRole';

export type AuthenticatedRequest = FastifyRequest & { organizer?: AuthenticatedOrganizer };

/**
 * The check every API-key guard makes, whatever header carries the key: 401 without a valid
 * key (`missing` says how to send one), 403 below the route's role (`minRole` metadata read
 * by `metadataKey`, admin when the route names none); the organizer set on the request.
 */
export async function authorizeApiKey(
  organizers: OrganizersService,
  reflector: Reflector,
  context: ExecutionContext,
  key: string | undefined,
  options: { metadataKey: string; missing: string },
): Promise<true> {
  const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const organizer = key ? await organizers.authenticate(key) : null;
  if (!organizer) throw new UnauthorizedException(options.missing);
  const minRole = reflector.getAllAndOverride<Role>(options.metadataKey, [context.getHandler(), context.getClass()]) ?? 'admin';
  if (!roleAtLeast(organizer.role, minRole)) throw new ForbiddenException(`This action needs the ${minRole} role`);
  req.organizer = organizer;
  return true;
}

/** Bearer API key → organizer; 401 without a valid key, 403 below the route's role. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return authorizeApiKey(this.organizers, this.reflector, context, match?.[1], {
      metadataKey: MIN_ROLE,
      missing: 'A valid API key is required (Authorization: Bearer <key>)',
    });
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
