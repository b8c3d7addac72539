import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@mustafid/platform';
import type { DataSource } from 'typeorm';

/** The form whose completion records that the service was provided (S7), and its date field. */
export const SERVICE_DELIVERY_FORM = 'service-delivery';
export const SERVICE_DATE_FIELD = 'deliveredOn';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why a service date cannot be recorded, or undefined when it can: the service follows the
 * committee's decision (S5 → S6 → S7), so it cannot be dated before the day of that decision (a
 * calendar day in Riyadh). A missing or malformed date is the form's check, not this one.
 */
export function serviceDateProblem(deliveredOn: unknown, decisionDay: string | undefined): { decisionDay: string } | undefined {
  if (typeof deliveredOn !== 'string' || !ISO_DAY.test(deliveredOn) || !decisionDay) return undefined;
  return deliveredOn < decisionDay ? { decisionDay } : undefined;
}

/** The service date is not before the decision: refused with a code the web app words in Arabic and English. */
export class ServiceDateBeforeDecisionError extends DomainError {
  constructor(deliveredOn: string, decisionDay: string) {
    const message = `The service date ${deliveredOn} is before the committee's decision on ${decisionDay}: the service is provided after the decision`;
    super('SERVICE_DATE_BEFORE_DECISION', message, 400, { fields: { [SERVICE_DATE_FIELD]: [message] }, deliveredOn, decisionDay });
  }
}

/** S7: the checks on completing the service task that need the case's record. */
@Injectable()
export class ServiceDelivery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The day (Riyadh) of the case's latest committee decision, if it has one. */
  async decisionDay(caseId: string): Promise<string | undefined> {
    const [row] = await this.db.query(
      `SELECT to_char(decided_at AT TIME ZONE 'Asia/Riyadh', 'YYYY-MM-DD') AS day FROM intake_committee_decision
        WHERE application_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1`,
      [caseId],
    );
    return row?.day ?? undefined;
  }

  /** Throws ServiceDateBeforeDecisionError when the form's date is before the case's decision. */
  async checkCompletion(caseId: string, variables: Record<string, unknown>): Promise<void> {
    const deliveredOn = variables[SERVICE_DATE_FIELD];
    const problem = serviceDateProblem(deliveredOn, await this.decisionDay(caseId));
    if (problem) throw new ServiceDateBeforeDecisionError(deliveredOn as string, problem.decisionDay);
  }
}
