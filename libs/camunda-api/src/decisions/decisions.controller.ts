import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { type DecisionDefinitionView, type DecisionEvaluation, type DecisionRequirementsView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, KeyPipe, assertDefaultTenant, badRequest, isLongText } from '../shared/values';
import { EvaluateDecisionDto } from './decisions.dto';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-definitions/ */
const DEFINITION_FILTERS = ['decisionDefinitionKey', 'decisionDefinitionId', 'name', 'version', 'decisionRequirementsId', 'decisionRequirementsKey', 'tenantId'];
const DEFINITION_SORT = {
  decisionDefinitionKey: 'key',
  decisionDefinitionId: 'decisionId',
  name: 'name',
  version: 'version',
  decisionRequirementsId: 'decisionRequirementsId',
  decisionRequirementsKey: 'decisionRequirementsKey',
  tenantId: 'key',
} as const;
/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-requirements/ */
const REQUIREMENTS_FILTERS = ['decisionRequirementsKey', 'decisionRequirementsId', 'decisionRequirementsName', 'version', 'resourceName', 'tenantId'];
const REQUIREMENTS_SORT = {
  decisionRequirementsKey: 'key',
  decisionRequirementsName: 'name',
  version: 'version',
  decisionRequirementsId: 'decisionRequirementsId',
  tenantId: 'key',
} as const;

/** Camunda's DecisionDefinitionResult. */
function definitionResult(d: DecisionDefinitionView) {
  return {
    decisionDefinitionId: d.decisionId,
    name: d.name ?? d.decisionId,
    version: d.version,
    decisionRequirementsId: d.decisionRequirementsId,
    tenantId: DEFAULT_TENANT,
    decisionDefinitionKey: d.key,
    decisionRequirementsKey: d.decisionRequirementsKey,
  };
}

/** Camunda's DecisionRequirementsResult. */
function requirementsResult(r: DecisionRequirementsView) {
  return {
    decisionRequirementsName: r.name ?? r.decisionRequirementsId,
    version: r.version,
    decisionRequirementsId: r.decisionRequirementsId,
    resourceName: r.resourceName,
    tenantId: DEFAULT_TENANT,
    decisionRequirementsKey: r.key,
  };
}

/** A JSON value as Zeebe writes its documents: JSON text. */
const text = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Camunda's EvaluateDecisionResult, as Zeebe's gateway fills it: outputs and values as JSON text,
 * failedDecisionDefinitionId and failureMessage empty unless the evaluation failed.
 */
export function evaluationResult(e: DecisionEvaluation) {
  return {
    decisionDefinitionId: e.decision.decisionId,
    decisionDefinitionName: e.decision.name ?? e.decision.decisionId,
    decisionDefinitionVersion: e.decision.version,
    decisionRequirementsId: e.decision.decisionRequirementsId,
    output: text(e.output),
    failedDecisionDefinitionId: e.failedDecisionId ?? '',
    failureMessage: e.failureMessage ?? '',
    tenantId: DEFAULT_TENANT,
    decisionDefinitionKey: e.decision.key,
    decisionRequirementsKey: e.decision.decisionRequirementsKey,
    decisionInstanceKey: e.key,
    decisionEvaluationKey: e.key,
    evaluatedDecisions: e.evaluatedDecisions.map((d) => ({
      decisionDefinitionId: d.decision.decisionId,
      decisionDefinitionName: d.decision.name ?? d.decision.decisionId,
      decisionDefinitionVersion: d.decision.version,
      decisionDefinitionType: d.decisionType,
      output: text(d.output),
      tenantId: DEFAULT_TENANT,
      matchedRules: d.matchedRules.map((m) => ({
        ruleId: m.ruleId,
        ruleIndex: m.ruleIndex,
        evaluatedOutputs: m.evaluatedOutputs.map((o) => ({ outputId: o.outputId, outputName: o.outputName ?? o.outputId, outputValue: text(o.outputValue) })),
      })),
      evaluatedInputs: d.evaluatedInputs.map((input) => ({ inputId: input.inputId, inputName: input.inputName ?? input.inputId, inputValue: text(input.inputValue) })),
      decisionDefinitionKey: d.decision.key,
    })),
  };
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2')
export class DecisionsController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-definitions/ */
  @Roles(...ACCESS.readDefinitions)
  @Post('decision-definitions/search')
  @HttpCode(200)
  async searchDefinitions(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'decision definition search', DEFINITION_FILTERS, []);
    f.tenant(false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        keys: f.values('decisionDefinitionKey', 'key', false),
        decisionIds: f.values('decisionDefinitionId', 'string', false),
        names: f.values('name', 'string', false),
        versions: f.values('version', 'int', false),
        decisionRequirementsIds: f.values('decisionRequirementsId', 'string', false),
        decisionRequirementsKeys: f.values('decisionRequirementsKey', 'key', false),
      },
      page,
      sort: sortOf(dto.sort, DEFINITION_SORT),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchDecisionDefinitions(query);
    return { items: found.items.map(definitionResult), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-definition/ */
  @Roles(...ACCESS.readDefinitions)
  @Get('decision-definitions/:decisionDefinitionKey')
  async getDefinition(@Param('decisionDefinitionKey', KeyPipe) key: string) {
    return definitionResult(await this.definition(key));
  }

  /** The DMN file the decision is part of: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-definition-xml/ */
  @Roles(...ACCESS.readDefinitions)
  @Get('decision-definitions/:decisionDefinitionKey/xml')
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async definitionXml(@Param('decisionDefinitionKey', KeyPipe) key: string): Promise<string> {
    return this.engine.getDecisionRequirementsXml((await this.definition(key)).decisionRequirementsKey);
  }

  /**
   * Evaluates a decision by its key, or by its id (the latest version): 200 also when it fails to
   * evaluate (failedDecisionDefinitionId, failureMessage), as Zeebe answers:
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/
   */
  @Roles(...ACCESS.evaluateDecisions)
  @Post('decision-definitions/evaluation')
  @HttpCode(200)
  async evaluate(@Body() dto: EvaluateDecisionDto) {
    assertDefaultTenant([dto.tenantId], 'tenantId');
    const byId = dto.decisionDefinitionId !== undefined;
    const byKey = dto.decisionDefinitionKey !== undefined;
    if (byId === byKey) throw badRequest('Give exactly one of decisionDefinitionId (its latest version is evaluated) and decisionDefinitionKey');
    if (byKey && !isLongText(dto.decisionDefinitionKey)) throw badRequest('decisionDefinitionKey must be a key: a whole number written as a string, e.g. "2251799813685249"');
    const evaluation = await this.engine.evaluateDecision({ decisionKey: dto.decisionDefinitionKey, decisionId: dto.decisionDefinitionId, variables: dto.variables ?? {} });
    return evaluationResult(evaluation);
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-requirements/ */
  @Roles(...ACCESS.readDefinitions)
  @Post('decision-requirements/search')
  @HttpCode(200)
  async searchRequirements(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'decision requirements search', REQUIREMENTS_FILTERS, []);
    f.tenant(false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        keys: f.values('decisionRequirementsKey', 'key', false),
        decisionRequirementsIds: f.values('decisionRequirementsId', 'string', false),
        names: f.values('decisionRequirementsName', 'string', false),
        versions: f.values('version', 'int', false),
        resourceNames: f.values('resourceName', 'string', false),
      },
      page,
      sort: sortOf(dto.sort, REQUIREMENTS_SORT),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchDecisionRequirements(query);
    return { items: found.items.map(requirementsResult), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-requirements/ */
  @Roles(...ACCESS.readDefinitions)
  @Get('decision-requirements/:decisionRequirementsKey')
  async getRequirements(@Param('decisionRequirementsKey', KeyPipe) key: string) {
    const [found] = (await this.engine.searchDecisionRequirements({ filter: { keys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Decision requirements', key);
    return requirementsResult(found);
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-requirements-xml/ */
  @Roles(...ACCESS.readDefinitions)
  @Get('decision-requirements/:decisionRequirementsKey/xml')
  @Header('Content-Type', 'text/xml; charset=utf-8')
  requirementsXml(@Param('decisionRequirementsKey', KeyPipe) key: string): Promise<string> {
    return this.engine.getDecisionRequirementsXml(key);
  }

  private async definition(key: string): Promise<DecisionDefinitionView> {
    const [found] = (await this.engine.searchDecisionDefinitions({ filter: { keys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Decision definition', key);
    return found;
  }
}
