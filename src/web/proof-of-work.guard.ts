import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationException } from '../common/validation';
import { ProofOfWorkProblem, ProofOfWorkService } from './proof-of-work.service';

export const PROOF_OF_WORK_MESSAGES: Record<ProofOfWorkProblem, string> = {
  missing: 'altcha must hold a solved challenge from GET /api/v1/challenge',
  invalid: 'altcha is not a valid solution, or its challenge has expired',
  reused: 'altcha has been used already; solve a new challenge',
};

/**
 * On the public JSON POSTs (sign-ups, signatures, RSVPs): with PROOF_OF_WORK=on the body's
 * `altcha` must be a fresh solution, else a 400 in the contract's shape naming `altcha`.
 * Off, it lets everything through (the DTOs accept and ignore the field).
 */
@Injectable()
export class ProofOfWorkGuard implements CanActivate {
  constructor(private readonly proofOfWork: ProofOfWorkService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.proofOfWork.enabled) return true;
    const body = context.switchToHttp().getRequest<FastifyRequest>().body as Record<string, unknown> | undefined;
    const problem = await this.proofOfWork.spend(body && typeof body === 'object' ? body.altcha : undefined);
    if (problem) throw new RequestValidationException([{ field: 'altcha', message: PROOF_OF_WORK_MESSAGES[problem] }]);
    return true;
  }
}
