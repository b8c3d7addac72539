import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { CASE_READERS } from '@mustafid/intake';
import type { Response } from 'express';
import { CaseHistoryService, timelineCsv } from './case-history.service';

@ApiTags('audit')
@Controller('cases/:id')
@Roles(...CASE_READERS)
export class CaseHistoryController {
  constructor(private readonly history: CaseHistoryService) {}

  /** The case's timeline: time, actor, action, element (Arabic and English), variable changes. */
  @Get('history')
  @ApiNotFoundResponse()
  timeline(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.history.history(id, user);
  }

  /** The timeline as a JSON file to keep. */
  @Get('history.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  async json(@Param('id') id: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const h = await this.history.history(id, user);
    res.setHeader('content-disposition', `attachment; filename="${h.case.applicationNumber}-history.json"`);
    res.send(JSON.stringify(h, null, 2));
  }

  /** The timeline as CSV (UTF-8 with a byte-order mark, for spreadsheets). */
  @Get('history.csv')
  @ApiProduces('text/csv')
  async csv(@Param('id') id: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const h = await this.history.history(id, user);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${h.case.applicationNumber}-history.csv"`);
    res.send(timelineCsv(h.timeline));
  }

  /** The version of the diagram the case ran on, the elements and flows it took with counts, where it is now, its incidents. */
  @Get('path')
  @ApiNotFoundResponse()
  path(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.history.path(id, user);
  }
}
