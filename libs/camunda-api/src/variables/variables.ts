import { VARIABLE_VALUE_LIMIT, type VariableView } from '@mustafid/workflow';
import { badRequest } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-variables/ */
export const VARIABLE_SORT_FIELDS = {
  value: 'value',
  name: 'name',
  tenantId: 'key',
  variableKey: 'key',
  scopeKey: 'scopeKey',
  processInstanceKey: 'processInstanceKey',
} as const;

/** `?truncateValues=`: true (the default) or false, else 400. */
export function truncateValuesOf(value: unknown): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest('truncateValues must be true or false');
}

/** A variable as Camunda's VariableSearchResult: its value as JSON text, cut at Camunda's limit when `truncate` and it is longer. */
export function variableSearchResult(v: VariableView, truncate: boolean) {
  const isTruncated = truncate && v.value.length > VARIABLE_VALUE_LIMIT;
  return { ...variableBase(v), value: isTruncated ? v.value.slice(0, VARIABLE_VALUE_LIMIT) : v.value, isTruncated };
}

/** A variable as Camunda's VariableResult: its full value. */
export function variableResult(v: VariableView) {
  return { ...variableBase(v), value: v.value };
}

function variableBase(v: VariableView) {
  return { name: v.name, tenantId: '<default>', variableKey: v.key, scopeKey: v.scopeKey, processInstanceKey: v.processInstanceKey };
}
