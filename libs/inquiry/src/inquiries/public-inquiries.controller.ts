import { Body, Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Public } from '@mustafid/auth';
import { InquiryFromPersonDto, InquiryRatingDto } from './inquiry.dto';
import { InquiriesService } from './inquiries.service';
import { PublicInquiryLimits } from './public-limits';

/**
 * The website (C7), no account: send an inquiry, follow it through its link, read the answer and
 * rate it. The link's token is the key (only its hash is stored).
 */
@ApiTags('public')
@Controller('public/inquiries')
export class PublicInquiriesController {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly limits: PublicInquiryLimits,
  ) {}

  /** Send an inquiry through the website; answers the number and the token of the person's link. */
  @Public()
  @Post()
  @HttpCode(201)
  @ApiBadRequestResponse({ description: 'A field is missing or wrong, or no way to answer was given (VALIDATION_FAILED)' })
  @ApiTooManyRequestsResponse({ description: 'PUBLIC_INQUIRIES_PER_HOUR reached for this address, mobile or e-mail (TOO_MANY_INQUIRIES, Retry-After)' })
  async send(@Body() dto: InquiryFromPersonDto, @Ip() address: string) {
    await this.limits.take(address, [dto.mobile, dto.email]);
    const { number, trackingToken } = await this.inquiries.recordFromWebsite(dto);
    return { number, trackingToken };
  }

  /** The inquiry through its link: status, answer, the public article it cites. */
  @Public()
  @Get(':token')
  @ApiNotFoundResponse({ description: 'No such link' })
  track(@Param('token') token: string) {
    return this.inquiries.track(token);
  }

  /** Rate the answer, 1–5, once (T3: counted only in aggregate). */
  @Public()
  @Post(':token/rating')
  @HttpCode(201)
  @ApiNotFoundResponse({ description: 'No such link' })
  @ApiConflictResponse({ description: 'Not answered yet (NOT_ANSWERED_YET) or rated already (ALREADY_RATED)' })
  rate(@Param('token') token: string, @Body() dto: InquiryRatingDto) {
    return this.inquiries.rate(token, dto.rating);
  }
}
