import { CreateAccounts1795569142468 } from './1795569142468-CreateAccounts';
import { CreateWorkflowEngine1795570511940 } from './1795570511940-CreateWorkflowEngine';
import { CreateIntake1795580174880 } from './1795580174880-CreateIntake';
import { CreateTaskStore1795581800000 } from './1795581800000-CreateTaskStore';
import { CreateAuditLog1795583400000 } from './1795583400000-CreateAuditLog';
import { TimerClaims1795590000000 } from './1795590000000-TimerClaims';
import { InstanceStateVersion1795590100000 } from './1795590100000-InstanceStateVersion';
import { CreateSurvey1795595000000 } from './1795595000000-CreateSurvey';
import { ApplicantPortal1795600000000 } from './1795600000000-ApplicantPortal';
import { CreateModeling1795620000000 } from './1795620000000-CreateModeling';
import { CreateZeebeMirror1795630000000 } from './1795630000000-CreateZeebeMirror';
import { MessageCorrelation1795640000000 } from './1795640000000-MessageCorrelation';
import { CallActivities1795650000000 } from './1795650000000-CallActivities';
import { Signals1795660000000 } from './1795660000000-Signals';
import { Decisions1795670000000 } from './1795670000000-Decisions';
import { ResourceBinding1795680000000 } from './1795680000000-ResourceBinding';
import { AdHocJobs1795690000000 } from './1795690000000-AdHocJobs';
import { MachineClients1795700000000 } from './1795700000000-MachineClients';
import { FormKeys1795700500000 } from './1795700500000-FormKeys';
import { ElementInstanceReads1795710000000 } from './1795710000000-ElementInstanceReads';
import { ResourceDeletion1795720000000 } from './1795720000000-ResourceDeletion';
import { SmsNotices1795730000000 } from './1795730000000-SmsNotices';
import { PortalConsent1796000000000 } from './1796000000000-PortalConsent';
import { CreateInquiries1796100000000 } from './1796100000000-CreateInquiries';
import { ZeebeJobCanceled1796200000000 } from './1796200000000-ZeebeJobCanceled';

/** Every migration, oldest first. `npm run migration:generate` appends here. */
export const MIGRATIONS = [
  CreateAccounts1795569142468,
  CreateWorkflowEngine1795570511940,
  CreateIntake1795580174880,
  CreateTaskStore1795581800000,
  CreateAuditLog1795583400000,
  TimerClaims1795590000000,
  InstanceStateVersion1795590100000,
  CreateSurvey1795595000000,
  ApplicantPortal1795600000000,
  CreateModeling1795620000000,
  CreateZeebeMirror1795630000000,
  MessageCorrelation1795640000000,
  CallActivities1795650000000,
  Signals1795660000000,
  Decisions1795670000000,
  ResourceBinding1795680000000,
  AdHocJobs1795690000000,
  MachineClients1795700000000,
  FormKeys1795700500000,
  ElementInstanceReads1795710000000,
  ResourceDeletion1795720000000,
  SmsNotices1795730000000,
  PortalConsent1796000000000,
  CreateInquiries1796100000000,
  ZeebeJobCanceled1796200000000,
];
