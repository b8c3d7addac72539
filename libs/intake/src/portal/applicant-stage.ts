import type { CaseStatus } from '../progress/case-progress';

/** Where a request stands, in the applicant's words (the web UI words each stage in Arabic and English). */
export const APPLICANT_STAGES = [
  'checking',
  'missing-documents',
  'researcher',
  'signature',
  'committee',
  'decision',
  'registration',
  'service',
  'survey',
  'in-progress',
  'closed-incomplete',
  'rejected',
  'completed',
  'cancelled',
] as const;
export type ApplicantStage = (typeof APPLICANT_STAGES)[number];

/** Steps of the intake diagram, by the stage an applicant would recognise; earlier rows win (what asks something of the applicant first). */
const STAGE_OF_STEPS: Array<[ApplicantStage, string[]]> = [
  ['signature', ['Task_Attestation']],
  ['missing-documents', ['Task_RequestMissingDocuments', 'Gateway_AwaitDocuments', 'Event_DocumentsProvided', 'Event_DocumentsDeadline']],
  ['survey', ['Task_SendSurvey', 'Gateway_AwaitSurvey', 'Event_SurveyAnswered', 'Event_SurveyDeadline']],
  ['checking', ['StartEvent_RequestReceived', 'Task_VerifyData', 'Task_ReceptionCheck']],
  ['researcher', ['Task_ReferResearcher', 'Task_ResearcherClarification']],
  ['decision', ['Task_NotifyRejected', 'Task_NotifyAccepted']],
  ['registration', ['Task_RegistrationRequirements', 'Task_CompleteRegistration', 'Task_NotifyRegistered']],
  ['service', ['Task_DeliverService']],
  ['committee', ['Task_HandOverNotice', 'Event_MinimumResponsePeriod', 'Task_CommitteeVote', 'Task_ChairDecision', 'Task_RecordDecision', 'Task_RemindChair']],
];

export function applicantStage(status: CaseStatus, steps: string[]): ApplicantStage {
  if (status !== 'open') return status;
  return STAGE_OF_STEPS.find(([, ids]) => ids.some((id) => steps.includes(id)))?.[0] ?? 'in-progress';
}
