import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { CASE_READERS } from '@mustafid/intake';
import { CaseRecordService } from './case-record.service';

@ApiTags('cases')
@Controller('cases/:id')
@Roles(...CASE_READERS)
export class CaseRecordController {
  constructor(private readonly record: CaseRecordService) {}

  /**
   * The case's record for the staff who work it, oldest first: the request as recorded, each
   * completed step with its answers named by the form's labels (notes, reasons, decisions), the
   * documents provided, the signature and the notices sent.
   */
  @Get('record')
  @ApiNotFoundResponse()
  caseRecord(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.record.record(id, user);
  }
}
