import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response';
import { OSDI_SECURITY } from '../common/openapi';
import { authorizeApiKey, type AuthenticatedRequest } from '../organizers/auth.guard';
import type { Role } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';

const OSDI_MIN_ROLE = 'osdiMinRole';

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

  canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<AuthenticatedRequest>().headers['osdi-api-token'];
    const token = typeof header === 'string' ? header.trim() : '';
    return authorizeApiKey(this.organizers, this.reflector, context, token || undefined, {
      metadataKey: OSDI_MIN_ROLE,
      missing: 'A valid API key is required (OSDI-API-Token: <key>)',
    });
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
