import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, Observable, switchMap } from 'rxjs';
import type { AuditedRequest } from './audit.service';
import { AuditService } from './audit.service';

const AUDITED = 'audited';

interface AuditedOptions {
  action: string;
  targetType?: string;
}

/**
 * Records the route in the audit log once it has succeeded: the organizer, the action, the
 * route's `:id` (or the created record's `id`) and the request id. The response waits for
 * the record, so an action the log could not record is reported as a 5xx to its caller.
 */
export const Audited = (action: string, targetType?: string): MethodDecorator =>
  SetMetadata(AUDITED, { action, targetType } satisfies AuditedOptions);

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<AuditedOptions | undefined>(AUDITED, context.getHandler());
    if (!options) return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest & { params?: Record<string, string> }>();
    return next.handle().pipe(
      switchMap((result: unknown) => {
        const created = result && typeof result === 'object' && 'id' in result ? String(result.id) : undefined;
        const params = { ...(req.params ?? {}) };
        delete params.id;
        return from(
          this.audit
            .record(req, {
              action: options.action,
              targetType: options.targetType,
              targetId: req.params?.id ?? created,
              details: Object.keys(params).length > 0 ? { params } : {},
            })
            .then(() => result)
            .catch((err: Error) => {
              this.logger.error(`audit record for ${options.action} failed: ${err.message}`);
              throw err;
            }),
        );
      }),
    );
  }
}
