/**
 * S7 follows S5: the service form's date cannot be before the day the committee decided (a day
 * in Riyadh). The server refuses it too (libs/intake/src/service/service-delivery.ts,
 * SERVICE_DATE_BEFORE_DECISION); this lets the form say so at the field, before sending.
 */
export const SERVICE_DELIVERY_FORM = 'service-delivery';
export const SERVICE_DATE_FIELD = 'deliveredOn';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar day in Riyadh of a moment: "2026-12-18". */
export function riyadhDay(moment: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(moment));
}

/** The decision's day when `deliveredOn` is before it; undefined when the date is fine, missing or not a day. */
export function serviceDateBeforeDecision(deliveredOn: unknown, decidedAt: string | undefined): string | undefined {
  if (typeof deliveredOn !== 'string' || !ISO_DAY.test(deliveredOn) || !decidedAt || Number.isNaN(Date.parse(decidedAt))) return undefined;
  const decisionDay = riyadhDay(decidedAt);
  return deliveredOn < decisionDay ? decisionDay : undefined;
}
