import { Controller, Get, Header, HttpCode, Inject, Param, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiPayloadTooLargeResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles, SignedIn } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { DomainError, requestValueProblem } from '@mustafid/platform';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import type { Request } from 'express';
import { type DeployResult, type ElementName, isDmnResource, type ProcessDefinitionSummary, ProcessElementNames, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { deploymentAuditEntries } from './deployment-audit';
import { DeployXmlDto } from './engine-api.dto';

/** The file name a body without one gets: a DMN file (its root in a DMN namespace) is decisions.dmn, anything else diagram.bpmn. */
const defaultName = (xml: string) => (isDmnResource('', xml) ? 'decisions.dmn' : 'diagram.bpmn');

/** The XML and its file name from a multipart upload, an XML body or a JSON body. */
async function deploymentSource(req: Request, file?: Express.Multer.File): Promise<{ resourceName: string; xml: string }> {
  // Multipart text parts come from multer, after the edge's checks of a parsed body: the same checks here.
  const problem = requestValueProblem(req.body, 'body');
  if (problem) throw problem;
  if (file) {
    if (!/\.(bpmn|dmn|xml)$/i.test(file.originalname)) {
      throw new DomainError('INVALID_BPMN', `Upload a .bpmn diagram or a .dmn decision file (got ${file.originalname})`, 400);
    }
    return { resourceName: file.originalname, xml: file.buffer.toString('utf8') };
  }
  if (typeof req.body === 'string') {
    const name = typeof req.query.resourceName === 'string' ? req.query.resourceName : defaultName(req.body);
    return { resourceName: name, xml: req.body };
  }
  const dto = plainToInstance(DeployXmlDto, req.body ?? {});
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0 || !req.body || Object.keys(req.body).length === 0) {
    const message = errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ');
    throw new DomainError('VALIDATION_FAILED', message || 'Send the BPMN or DMN as a multipart file named "file", as an XML body, or as JSON {resourceName, xml}', 400);
  }
  return { resourceName: dto.resourceName ?? defaultName(dto.xml), xml: dto.xml };
}

@ApiTags('deployments')
@UseInterceptors(ClientCommands)
@Controller()
export class DeploymentsController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly names: ProcessElementNames,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Deploy a BPMN diagram or a DMN file (`.dmn`: its decisions, for business rule tasks). Same
   * content as the latest version returns that version; changed content becomes version + 1.
   * Problems (lint for Camunda 8.8, unsupported elements, FEEL that does not parse, unsafe XML)
   * answer 400 with a list naming the element ids (code INVALID_BPMN or INVALID_DMN).
   */
  @Roles('process-owner', 'admin')
  @Post('deployments')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data', 'application/xml', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary', description: 'a .bpmn or .dmn file' } },
    },
  })
  @ApiBadRequestResponse({ description: 'The diagram or DMN file has problems (code INVALID_BPMN or INVALID_DMN, details.problems)' })
  @ApiPayloadTooLargeResponse({ description: 'Over DEPLOYMENT_MAX_BYTES' })
  async deploy(@Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFile() file?: Express.Multer.File): Promise<DeployResult> {
    const source = await deploymentSource(req, file);
    const result = await this.engine.deploy({ ...source, deployedBy: { id: user.id, username: user.username } });
    await this.audit.record(...deploymentAuditEntries(result, user.username));
    return result;
  }

  /** Every deployed process with its versions, newest first. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('process-definitions')
  list(): Promise<ProcessDefinitionSummary[]> {
    return this.engine.listProcessDefinitions();
  }

  /** The BPMN XML of one deployed version (no personal data: any signed-in page may draw it). */
  @SignedIn()
  @Get('process-definitions/:key/xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  xml(@Param('key') key: string): Promise<string> {
    return this.engine.getProcessDefinitionXml(key);
  }

  /**
   * The elements of one deployed version by id: the name drawn on the diagram (Arabic), its
   * English name (the `name:en` property), its BPMN type and the policy clauses it carries out.
   */
  @SignedIn()
  @Get('process-definitions/:key/elements')
  async elements(@Param('key') key: string): Promise<Record<string, ElementName>> {
    return Object.fromEntries(await this.names.of(key));
  }
}
