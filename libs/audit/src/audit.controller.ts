import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsKeyText, RequireRoles, validationFailure } from '@mustafid/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { AuditLog } from './audit-log';

export class AuditQueryDto {
  @IsOptional() @IsString() @Length(1, 64)
  actor?: string;

  @IsOptional() @IsString() @Matches(/^[\w.-]{1,60}$/, { message: 'action must be an action name such as case.read' })
  action?: string;

  @IsOptional() @IsUUID('all', { message: 'case must be a case id' })
  case?: string;

  /** From this time (ISO 8601). */
  @IsOptional() @Type(() => Date)
  from?: Date;

  /** Before this time (ISO 8601). */
  @IsOptional() @Type(() => Date)
  to?: Date;

  /** From the previous page's nextBeforeSeq. */
  @IsOptional() @IsKeyText({ message: 'beforeSeq must be a whole number from 0 to 9223372036854775807' })
  beforeSeq?: string;

  /** Events per page (at most 500). */
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(500, { message: 'limit must be at most 500' })
  limit = 100;
}

@ApiTags('audit')
@Controller('audit')
@RequireRoles(['auditor', 'admin'])
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /** Recomputes the hash chain from the first row: ok, or the first row that does not match. */
  @Get('verify')
  verify() {
    return this.audit.verify();
  }

  /** Events, newest first, by actor, action, case and time range, a page at a time. */
  @Get('events')
  events(@Query() q: AuditQueryDto) {
    for (const [name, d] of [['from', q.from], ['to', q.to]] as const) {
      if (d && Number.isNaN(d.getTime())) throw validationFailure({ [name]: [`${name} must be a date or a date and time (ISO 8601)`] });
    }
    if (q.from && q.to && q.from > q.to) throw validationFailure({ to: ['to must not be before from'] });
    return this.audit.list({ actor: q.actor, action: q.action, caseId: q.case, from: q.from, to: q.to, beforeSeq: q.beforeSeq, limit: q.limit });
  }
}
