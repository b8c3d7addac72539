import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, type Role, Roles } from '@mustafid/auth';
import { CASE_READERS } from '@mustafid/intake';
import { AnswerInquiryDto, InquiryListDto, RecordInquiryDto } from './inquiry.dto';
import { InquiriesService } from './inquiries.service';

/** Who reads inquiries: whoever reads cases (the case page lists a request's inquiries), and the supervisors (managers). */
export const INQUIRY_READERS: [Role, ...Role[]] = [...CASE_READERS, 'manager'];
/** Who answers: the beneficiary-relations officers and, once escalated, their supervisors. */
export const INQUIRY_ANSWERERS: [Role, ...Role[]] = ['reception', 'manager', 'admin'];

/** Inquiries for staff: reception records them from any channel; officers answer them from the library. */
@ApiTags('inquiries')
@Controller('inquiries')
export class InquiriesController {
  constructor(private readonly inquiries: InquiriesService) {}

  /** Record an inquiry, suggestion, complaint or compliment from any channel (C1–C8); its process starts at once. */
  @Roles('reception', 'admin')
  @Post()
  @HttpCode(201)
  @ApiBadRequestResponse({ description: 'A field is missing or wrong (VALIDATION_FAILED, details.fields)' })
  record(@Body() dto: RecordInquiryDto, @CurrentUser() user: AuthUser) {
    return this.inquiries.record(dto, user);
  }

  /** Open ones first, the soonest due first; or those of one request (`application`: its id or number). */
  @Roles(...INQUIRY_READERS)
  @Get()
  list(@Query() query: InquiryListDto) {
    return this.inquiries.list(query);
  }

  /** One inquiry: the person, the text, the answer with the article version it cited, the notices. */
  @Roles(...INQUIRY_READERS)
  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such inquiry' })
  get(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.inquiries.get(id, user);
  }

  /** Answer it (once): the text, how it reaches the person, the article version it rests on (R1). */
  @Roles(...INQUIRY_ANSWERERS)
  @Post(':id/answer')
  @HttpCode(200)
  @ApiForbiddenResponse({ description: 'The complaint names the caller (COMPLAINT_NAMES_YOU)' })
  @ApiConflictResponse({ description: 'Answered already (INQUIRY_CLOSED) or not waiting for an answer (NOT_AWAITING_ANSWER)' })
  @ApiNotFoundResponse({ description: 'No such inquiry' })
  answer(@Param('id') id: string, @Body() dto: AnswerInquiryDto, @CurrentUser() user: AuthUser) {
    return this.inquiries.answer(id, dto, user);
  }
}
