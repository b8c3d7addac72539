import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, type Role, Roles } from '@mustafid/auth';
import { validationFailure } from '@mustafid/platform';
import type { Request, Response } from 'express';
import { AttestationDto, CaseQueryDto, CreateApplicationDto, ProvideDocumentsDto, UpdateApplicantDto } from '../applications/application.dto';
import { ApplicationsService } from '../applications/applications.service';
import { AttestationService } from '../attestation/attestation.service';
import { DocumentFilesInterceptor } from '../documents/document-files.interceptor';
import { CasesService } from './cases.service';

/** Staff who work or audit cases: they may read a case and its documents. */
export const CASE_READERS: [Role, ...Role[]] = ['reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service', 'auditor', 'admin'];

@ApiTags('cases')
@ApiExtraModels(CreateApplicationDto, ProvideDocumentsDto, AttestationDto)
@Controller()
export class CasesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly cases: CasesService,
    private readonly attestation: AttestationService,
  ) {}

  /**
   * Record a request and start the intake process. JSON, or multipart with the request as
   * JSON in the part "application" and each document's scan in the part its `file` names
   * (document-0, document-1, …; PDF, JPEG or PNG). Every field is checked before anything is stored.
   */
  @Roles('reception', 'admin')
  @Post('applications')
  @HttpCode(201)
  @UseInterceptors(DocumentFilesInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { $ref: getSchemaPath(CreateApplicationDto) } })
  @ApiBadRequestResponse({ description: 'Invalid fields (code VALIDATION_FAILED, details.fields maps each field to its problems)' })
  @ApiPayloadTooLargeResponse({ description: 'A file over DOCUMENT_MAX_BYTES, or a body over BODY_LIMIT' })
  submit(@Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] = []) {
    return this.applications.submit(req.body, files, user);
  }

  /** Cases, newest first: filter by status, channel, current step, submission dates; search by name, application number, ID number or mobile number. */
  @Roles(...CASE_READERS)
  @Get('cases')
  list(@Query() query: CaseQueryDto, @CurrentUser() user: AuthUser) {
    return this.cases.list(query, user);
  }

  /** One case (by id or application number): where it is, who holds it, the earliest answer date, the decision once communicated. */
  @Roles(...CASE_READERS)
  @Get('cases/:id')
  @ApiNotFoundResponse()
  detail(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.cases.detail(id, user);
  }

  /** The notices sent (or waiting in the outbox) for a case, in Arabic and English. */
  @Roles(...CASE_READERS)
  @Get('cases/:id/notifications')
  notifications(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.cases.notifications(id, user);
  }

  /** A document's file, to staff who may see the case. */
  @Roles(...CASE_READERS)
  @Get('cases/:id/documents/:documentId/file')
  @ApiNotFoundResponse()
  async documentFile(@Param('id') id: string, @Param('documentId') documentId: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const file = await this.cases.documentFile(id, documentId, user);
    res.setHeader('content-type', file.mediaType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.send(file.bytes);
  }

  /** Documents the applicant provided later (S2's loop): the process is told they arrived. */
  @Roles('reception', 'admin')
  @Post('cases/:id/documents')
  @HttpCode(201)
  @UseInterceptors(DocumentFilesInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { $ref: getSchemaPath(ProvideDocumentsDto) } })
  @ApiConflictResponse({ description: 'The case is closed (code CASE_CLOSED)' })
  async provideDocuments(@Param('id') id: string, @Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] = []) {
    const ref = await this.cases.ref(id);
    return this.applications.provideDocuments(ref.id, req.body, files, user);
  }

  /**
   * S4: record the applicant's signature on the data as it stands. Staff record a paper
   * signature: JSON in the part "attestation", the scanned signed form in the part "scan".
   */
  @Roles('reception', 'admin')
  @Post('cases/:id/attestation')
  @HttpCode(201)
  @UseInterceptors(DocumentFilesInterceptor)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { $ref: getSchemaPath(AttestationDto) } })
  @ApiConflictResponse({ description: 'The case is not waiting for a signature (NOT_AWAITING_SIGNATURE) or is signed already (ALREADY_SIGNED)' })
  async attest(@Param('id') id: string, @Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] = []) {
    const ref = await this.cases.ref(id);
    const unexpected = files.filter((f) => f.fieldname !== 'scan');
    if (unexpected.length > 0 || files.length > 1) {
      throw validationFailure({ scan: ['Send one file, in the part named "scan"'] });
    }
    return this.attestation.sign(ref, req.body, files[0], user);
  }

  /** Correct the applicant's data. A change to signed data voids the signature and the case goes back to be signed (S4). */
  @Roles('reception', 'admin')
  @Patch('cases/:id/applicant')
  @ApiConflictResponse({ description: 'The decision was communicated already (DECISION_COMMUNICATED)' })
  async updateApplicant(@Param('id') id: string, @Body() dto: UpdateApplicantDto, @CurrentUser() user: AuthUser) {
    const ref = await this.cases.ref(id);
    return this.attestation.updateApplicant(ref, dto, user);
  }
}
