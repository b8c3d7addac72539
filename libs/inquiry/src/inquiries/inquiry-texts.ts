import type { NoticeText } from '@mustafid/intake';
import { INQUIRY_KIND_NAMES, type InquiryKind } from '../vocabulary';

export const INQUIRY_NOTICES = ['inquiry-received', 'inquiry-answer', 'inquiry-reminder', 'inquiry-escalation'] as const;
export type InquiryNotice = (typeof INQUIRY_NOTICES)[number];

export interface InquiryFacts {
  number: string;
  kind: InquiryKind;
  personName?: string | null;
  /** The page where the person follows the inquiry, reads the answer and rates it. */
  trackLink?: string;
  answer?: string;
  /** The public article the answer cites (T1), on the portal's questions page. */
  articleLink?: string;
  articleTitle?: { ar: string; en: string };
  dueAt?: string;
}

const dear = (name: string | null | undefined, ar: boolean) => (name ? (ar ? `عزيزنا ${name}، ` : `Dear ${name}, `) : ar ? 'عزيزنا المستفيد، ' : 'Dear beneficiary, ');

/** The words of each inquiry notice, Arabic and English. */
export function inquiryNoticeText(notice: InquiryNotice, f: InquiryFacts): NoticeText {
  const kind = INQUIRY_KIND_NAMES[f.kind];
  switch (notice) {
    case 'inquiry-received':
      return {
        subjectAr: `استلمنا ${kind.ar} رقم ${f.number}`,
        subjectEn: `We have received your ${kind.en.toLowerCase()} ${f.number}`,
        bodyAr: `${dear(f.personName, true)}شكرًا لتواصلكم مع الجمعية. استلمنا ${kind.ar} ورقمه ${f.number}، وسنرد عليكم في أقرب وقت.${f.trackLink ? ` تابعوه هنا: ${f.trackLink}` : ''}`,
        bodyEn: `${dear(f.personName, false)}thank you for contacting the Society. We have received your ${kind.en.toLowerCase()}, number ${f.number}, and will answer soon.${f.trackLink ? ` Follow it here: ${f.trackLink}` : ''}`,
      };
    case 'inquiry-answer':
      return {
        subjectAr: `الرد على ${kind.ar} رقم ${f.number}`,
        subjectEn: `Our answer to your ${kind.en.toLowerCase()} ${f.number}`,
        bodyAr:
          `${dear(f.personName, true)}${f.answer}` +
          (f.articleLink ? ` للمزيد: «${f.articleTitle?.ar}» ${f.articleLink}` : '') +
          (f.trackLink ? ` يسعدنا تقييمكم للرد (حق لكم، للتحسين لا للمحاسبة): ${f.trackLink}` : ''),
        bodyEn:
          `${dear(f.personName, false)}${f.answer}` +
          (f.articleLink ? ` More: “${f.articleTitle?.en}” ${f.articleLink}` : '') +
          (f.trackLink ? ` You may rate this answer (your right; used to improve, never to blame): ${f.trackLink}` : ''),
      };
    case 'inquiry-reminder':
      return {
        subjectAr: `تذكير: ${kind.ar} ${f.number} بانتظار الرد`,
        subjectEn: `Reminder: ${kind.en.toLowerCase()} ${f.number} awaits an answer`,
        bodyAr: `لم يُرد بعد على ${kind.ar} رقم ${f.number}. الموعد المستهدف للرد ${f.dueAt ?? ''}.`,
        bodyEn: `${kind.en} ${f.number} has no answer yet. The response-time target is ${f.dueAt ?? ''}.`,
      };
    case 'inquiry-escalation':
      return {
        subjectAr: `رفع: ${kind.ar} ${f.number} تجاوز المدة المستهدفة`,
        subjectEn: `Escalated: ${kind.en.toLowerCase()} ${f.number} passed its response-time target`,
        bodyAr: `تجاوز ${kind.ar} رقم ${f.number} المدة المستهدفة للرد دون إجابة، ورُفع إليكم للمتابعة.`,
        bodyEn: `${kind.en} ${f.number} passed its response-time target without an answer and is escalated to you.`,
      };
  }
}
