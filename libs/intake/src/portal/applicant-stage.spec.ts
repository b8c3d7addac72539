import { describe, expect, it } from 'vitest';
import { readIntakeDiagram } from '../diagram/intake-diagram';
import { applicantStage } from './applicant-stage';

describe('applicantStage', () => {
  it('names what the applicant must do first, and the committee while the minimum period runs', () => {
    expect(applicantStage('open', ['Task_Attestation'])).toBe('signature');
    expect(applicantStage('open', ['Event_DocumentsProvided', 'Event_DocumentsDeadline'])).toBe('missing-documents');
    expect(applicantStage('open', ['Event_MinimumResponsePeriod', 'Task_ChairDecision'])).toBe('committee');
    expect(applicantStage('open', ['Event_MinimumResponsePeriod'])).toBe('committee');
    expect(applicantStage('open', [])).toBe('in-progress');
    expect(applicantStage('rejected', ['Task_Attestation'])).toBe('rejected');
  });

  it('knows only element ids that the intake diagram has', () => {
    const xml = readIntakeDiagram();
    const ids = ['Task_Attestation', 'Task_RequestMissingDocuments', 'Gateway_AwaitDocuments', 'Event_DocumentsProvided', 'Event_DocumentsDeadline',
      'Task_SendSurvey', 'Gateway_AwaitSurvey', 'Event_SurveyAnswered', 'Event_SurveyDeadline', 'StartEvent_RequestReceived', 'Task_VerifyData',
      'Task_ReceptionCheck', 'Task_ReferResearcher', 'Task_ResearcherClarification', 'Task_NotifyRejected', 'Task_NotifyAccepted',
      'Task_RegistrationRequirements', 'Task_CompleteRegistration', 'Task_NotifyRegistered', 'Task_DeliverService', 'Task_HandOverNotice',
      'Event_MinimumResponsePeriod', 'Task_CommitteeVote', 'Task_ChairDecision', 'Task_RecordDecision', 'Task_RemindChair'];
    for (const id of ids) expect(xml, id).toContain(`id="${id}"`);
  });
});
