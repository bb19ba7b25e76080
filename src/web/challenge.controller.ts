import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { ProofOfWorkService } from './proof-of-work.service';

export class ChallengeResponse {
  @ApiProperty({ example: 'SHA-256' }) algorithm!: string;
  @ApiProperty() challenge!: string;
  @ApiProperty({ example: 100000 }) maxnumber!: number;
  @ApiProperty({ description: 'Holds the expiry (?expires=)' }) salt!: string;
  @ApiProperty() signature!: string;
}

@ApiTags('public')
@Controller('api/v1/challenge')
export class ChallengeController {
  constructor(private readonly proofOfWork: ProofOfWorkService) {}

  @Get()
  @ApiOperation({
    summary: 'A proof-of-work challenge (ALTCHA v1) for the public POSTs when PROOF_OF_WORK=on',
    description:
      'Find n ≤ maxnumber with sha256(salt + n) = challenge, send base64(JSON {algorithm, challenge, number, salt, signature}) as `altcha`. Each solution is accepted once.',
  })
  @ApiOkResponse({ type: ChallengeResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Proof of work is off' })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<ChallengeResponse> {
    if (!this.proofOfWork.enabled) throw new NotFoundException('Proof of work is off');
    void reply.header('cache-control', 'no-store');
    const challenge = await this.proofOfWork.challenge();
    return { ...challenge, maxnumber: challenge.maxnumber ?? 0 };
  }
}
