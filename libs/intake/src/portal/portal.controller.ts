import { Body, Controller, Get, HttpCode, Inject, Ip, Param, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiExtraModels,
  getSchemaPath,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Public, Roles, SignedInView, setSessionCookie } from '@mustafid/auth';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { Request, Response } from 'express';
import { CreateApplicationDto, ProvideDocumentsDto } from '../applications/application.dto';
import { DocumentFilesInterceptor } from '../documents/document-files.interceptor';
import { SurveyAnswerDto } from '../survey/survey.dto';
import { CodeRequestDto, CodeSignInDto, PortalAttestationDto } from './portal.dto';
import { PortalService } from './portal.service';
import { SignInCodes } from './sign-in-codes';

/**
 * The applicant portal (channel C7): sign in with a mobile number and a one-time code, then
 * submit and follow one's own requests. Every `requests/:id` route answers 404 for a request
 * that is not the caller's.
 */
@ApiTags('portal')
@ApiExtraModels(CreateApplicationDto, ProvideDocumentsDto)
@Controller('portal')
export class PortalController {
  constructor(
    private readonly portal: PortalService,
    private readonly codes: SignInCodes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Send a one-time sign-in code to a Saudi mobile number (through the notification outbox). */
  @Public()
  @Post('sign-in/code')
  @HttpCode(202)
  @ApiTooManyRequestsResponse({ description: 'Too many codes asked for this number or from this address (TOO_MANY_CODE_ATTEMPTS)' })
  requestCode(@Body() dto: CodeRequestDto, @Ip() ip: string) {
    return this.codes.request(dto.mobile, ip);
  }

  /** Sign in (or register, the first time) with the number and the code; the same session as staff, role applicant. */
  @Public()
  @Post('sign-in')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'Wrong, replaced or expired code (INVALID_CODE, CODE_EXPIRED)' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes (TOO_MANY_CODE_ATTEMPTS)' })
  async signIn(@Body() dto: CodeSignInDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response): Promise<SignedInView> {
    const signedIn = await this.codes.signIn(dto.mobile, dto.code, ip);
    setSessionCookie(res, signedIn, this.config);
    return signedIn;
  }

  /** Demo setting only (demo accounts, no SMTP_URL, no SMS_URL): the sign-in notices in the outbox for a number, so a demo can read its code. */
  @Public()
  @Get('demo/sign-in-codes')
  @ApiNotFoundResponse({ description: 'Not the demo setting: codes go only to the phone' })
  demoCodes(@Query() dto: CodeRequestDto) {
    return this.codes.demoNotices(dto.mobile);
  }

  /** The signed-in applicant's number. */
  @Roles('applicant')
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.portal.me(user);
  }

  /** The applicant's own requests, newest first, each with its stage in plain words. */
  @Roles('applicant')
  @Get('requests')
  list(@CurrentUser() user: AuthUser) {
    return this.portal.list(user);
  }

  /**
   * Submit a request: the same fields and checks as staff intake (POST /applications); the
   * channel is C7 and the mobile number the one signed in with. JSON, or multipart with the
   * request in the part "application" and the scans in document-0, document-1, …
   */
  @Roles('applicant')
  @Post('requests')
  @HttpCode(201)
  @UseInterceptors(DocumentFilesInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { $ref: getSchemaPath(CreateApplicationDto) } })
  submit(@Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] = []) {
    return this.portal.submit(req.body, files, user);
  }

  /** One of the applicant's requests: its stage, the earliest answer date, messages, what is missing, the decision once communicated. */
  @Roles('applicant')
  @Get('requests/:id')
  @ApiNotFoundResponse({ description: 'No such request of yours' })
  detail(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.portal.detail(id, user);
  }

  /** Provide missing documents (S2's loop): the process is told they arrived. */
  @Roles('applicant')
  @Post('requests/:id/documents')
  @HttpCode(201)
  @UseInterceptors(DocumentFilesInterceptor)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { $ref: getSchemaPath(ProvideDocumentsDto) } })
  @ApiNotFoundResponse({ description: 'No such request of yours' })
  provideDocuments(@Param('id') id: string, @Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] = []) {
    return this.portal.provideDocuments(id, req.body, files, user);
  }

  /** The data the applicant is asked to sign (S4), and its hash. */
  @Roles('applicant')
  @Get('requests/:id/attestation')
  @ApiNotFoundResponse({ description: 'No such request of yours' })
  toSign(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.portal.toSign(id, user);
  }

  /** Sign the data shown (electronic signature, S4). */
  @Roles('applicant')
  @Post('requests/:id/attestation')
  @HttpCode(201)
  @ApiConflictResponse({ description: 'Not waiting for a signature, signed already, or the data changed since it was shown' })
  sign(@Param('id') id: string, @Body() dto: PortalAttestationDto, @CurrentUser() user: AuthUser) {
    return this.portal.sign(id, dto, user);
  }

  /** Answer the satisfaction survey (O5) once the service is provided; once per request. */
  @Roles('applicant')
  @Post('requests/:id/survey')
  @HttpCode(201)
  @ApiConflictResponse({ description: 'Answered already (SURVEY_ALREADY_ANSWERED) or not open (SURVEY_NOT_OPEN)' })
  answerSurvey(@Param('id') id: string, @Body() dto: SurveyAnswerDto, @CurrentUser() user: AuthUser) {
    return this.portal.answerSurvey(id, dto, user);
  }
}
