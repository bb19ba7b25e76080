import { CanActivate, ConflictException, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';

/**
 * Refuses an admin revoking their own organizer (409): with their last key gone only the
 * command line could let them back in, and a lone admin would lock the whole movement out.
 * Runs after ApiKeyGuard (class guards first), so the caller is known.
 */
@Injectable()
export class NotSelfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { params?: { id?: string } }>();
    const target = req.params?.id?.toLowerCase();
    if (req.organizer && target === req.organizer.organizerId.toLowerCase()) {
      throw new ConflictException('You cannot revoke your own organizer; another admin can');
    }
    return true;
  }
}
