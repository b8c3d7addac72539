import { INNER_INSTANCE_TYPE } from '../core/graph';

/**
 * The SQL behind Camunda's element instance and variable searches on the embedded engine: read
 * from what the engine keeps anyway (the event log, the instance rows), never written by a step.
 */

/** Camunda's element type (BpmnElementType) of each element type the engine records. */
const CAMUNDA_TYPES: Record<string, string> = {
  'bpmn:Process': 'PROCESS',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:AdHocSubProcess': 'AD_HOC_SUB_PROCESS',
  [INNER_INSTANCE_TYPE]: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:SequenceFlow': 'SEQUENCE_FLOW',
  'bpmn:MultiInstanceBody': 'MULTI_INSTANCE_BODY',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:SendTask': 'SEND_TASK',
};

// Constants of this file only: no request text reaches this SQL.
const TYPE_SQL = `CASE WHEN a.element_type = 'bpmn:SubProcess' AND a.payload ? 'triggeredByEvent' THEN 'EVENT_SUB_PROCESS' ${Object.entries(CAMUNDA_TYPES)
  .map(([bpmn, camunda]) => `WHEN a.element_type = '${bpmn}' THEN '${camunda}'`)
  .join(' ')} ELSE 'UNKNOWN' END`;

/**
 * One row per element instance: its ELEMENT_ACTIVATED event, its end event (by the element
 * lifecycle index), its instance's process id and its active incident. Element instances of
 * instances on the old core (bpmn-engine) have no numeric keys and are left out.
 */
export const ELEMENT_INSTANCES_SQL = `
  SELECT a.element_instance_key AS eik, a.element_instance_key::bigint AS key, a.process_instance_key AS pik, i.process_definition_key AS pdk, i.bpmn_process_id,
         a.element_id, ${TYPE_SQL} AS type,
         CASE e.intent WHEN 'ELEMENT_COMPLETED' THEN 'COMPLETED' WHEN 'ELEMENT_TERMINATED' THEN 'TERMINATED' ELSE 'ACTIVE' END AS state,
         CASE WHEN a.payload->>'flowScopeKey' ~ '^[0-9]{1,19}$' THEN (a.payload->>'flowScopeKey')::bigint END AS scope_key,
         (SELECT n.key FROM wf_incident n WHERE n.process_instance_key = a.process_instance_key AND n.element_instance_key = a.element_instance_key AND n.state = 'ACTIVE'
           ORDER BY n.key LIMIT 1) AS incident_key,
         a.created_at AS start_date, e.created_at AS end_date
    FROM wf_event a
    JOIN wf_process_instance i ON i.key = a.process_instance_key
    LEFT JOIN LATERAL (
      SELECT intent, created_at FROM wf_event e
       WHERE e.element_instance_key = a.element_instance_key AND e.intent IN ('ELEMENT_COMPLETED', 'ELEMENT_TERMINATED')
       ORDER BY e.position LIMIT 1) e ON true
   WHERE a.intent = 'ELEMENT_ACTIVATED' AND a.element_instance_key ~ '^[0-9]{1,19}$'`;

/**
 * One row per variable of every live scope: each instance's root variables (its key is the
 * scope's), and the local variables of the element instances in its stored core state.
 */
export const VARIABLES_SQL = `
  SELECT i.key AS pik, i.key AS scope, r.key AS name, r.value
    FROM wf_process_instance i CROSS JOIN LATERAL jsonb_each(i.variables) r
  UNION ALL
  SELECT i.key, s.key::bigint, l.key, l.value
    FROM wf_process_instance i
   CROSS JOIN LATERAL jsonb_each(CASE WHEN i.engine_state->>'core' = '2' AND jsonb_typeof(i.engine_state->'i') = 'object' THEN i.engine_state->'i' ELSE '{}'::jsonb END) s
   CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.value->'v') = 'object' THEN s.value->'v' ELSE '{}'::jsonb END) l
   WHERE s.value ? 'p' AND s.key ~ '^[0-9]{1,19}$'`;

/** Whether a filter's value is JSON (a value that is not matches no variable). */
export function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
