import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiGoneResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@mustafid/auth';
import { SurveyLinkAnswerDto } from './survey.dto';
import { SurveyService } from './survey.service';

/** The one-time survey link of the survey notice: no sign-in, the token is the key. */
@ApiTags('survey')
@Controller('survey')
export class SurveyController {
  constructor(private readonly survey: SurveyService) {}

  /** The request a link is for, and whether it still works. */
  @Public()
  @Get('invitations/:token')
  @ApiNotFoundResponse({ description: 'No such link' })
  invitation(@Param('token') token: string) {
    return this.survey.invitation(token);
  }

  /** Answer the survey through the link (once; ratings 1–5). */
  @Public()
  @Post('answers')
  @HttpCode(201)
  @ApiNotFoundResponse({ description: 'Unknown link (SURVEY_LINK_INVALID)' })
  @ApiForbiddenResponse({ description: 'The link is for another request (SURVEY_LINK_OTHER_CASE)' })
  @ApiGoneResponse({ description: 'The link was used or has expired (SURVEY_LINK_USED, SURVEY_LINK_EXPIRED)' })
  @ApiConflictResponse({ description: 'The request was rated already (SURVEY_ALREADY_ANSWERED)' })
  answer(@Body() dto: SurveyLinkAnswerDto) {
    return this.survey.answerFromLink(dto);
  }
}
