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
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response';
import { OSDI_SECURITY } from '../common/openapi';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import type { Role } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';

const OSDI_MIN_ROLE = 'osdiMinRole';
const RANK: Record<Role, number> = { viewer: 1, organizer: 2, admin: 3 };

/**
 * `OSDI-API-Token: <organizer API key>`, as OSDI clients (n8n, Parsons, Zapier) send it:
 * the same keys and roles as `Authorization: Bearer` on the organizer API.
 */
@Injectable()
export class OsdiTokenGuard implements CanActivate {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers['osdi-api-token'];
    const token = typeof header === 'string' ? header.trim() : '';
    const organizer = token ? await this.organizers.authenticate(token) : null;
    if (!organizer) throw new UnauthorizedException('A valid API key is required (OSDI-API-Token: <key>)');
    const minRole = this.reflector.getAllAndOverride<Role>(OSDI_MIN_ROLE, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (RANK[organizer.role] < RANK[minRole]) throw new ForbiddenException(`This action needs the ${minRole} role`);
    req.organizer = organizer;
    return true;
  }
}

/** Requires an OSDI token whose key's role is at least `minRole`: viewers read, organizers write. */
export function OsdiAuth(minRole: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(OSDI_MIN_ROLE, minRole),
    UseGuards(OsdiTokenGuard),
    ApiSecurity(OSDI_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid OSDI-API-Token' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'The key’s role may not do this' }),
  );
}
