import { DOCUMENT_NAMES, type DocumentType } from '../applications/vocabulary';

export const NOTICES = [
  'hand-over',
  'missing-documents',
  'closed-incomplete',
  'decision',
  'registration',
  'survey',
  'chair-reminder',
] as const;
export type Notice = (typeof NOTICES)[number];

/** The applicant portal's one-time sign-in code (not a step of the diagram, so not in NOTICES). */
export const SIGN_IN_CODE_NOTICE = 'sign-in-code';
/** The acknowledgment of every submission, written with the request itself (S1). */
export const ACKNOWLEDGMENT_NOTICE = 'acknowledgment';
/** "Please sign": written when the attestation task (Task_Attestation) opens (S4). */
export const PLEASE_SIGN_NOTICE = 'please-sign';
export type OutboxNotice = Notice | typeof SIGN_IN_CODE_NOTICE | typeof ACKNOWLEDGMENT_NOTICE | typeof PLEASE_SIGN_NOTICE;

export interface NoticeFacts {
  applicationNumber: string;
  fullName: string;
  earliestAnswerAt?: Date;
  missing?: string[];
  problems?: string[];
  /** The same problems in Arabic (the officer's own note as written). */
  problemsAr?: string[];
  decision?: 'accepted' | 'rejected';
  reasons?: string;
  beneficiaryNumber?: string;
  surveyLink?: string;
  /** The one-time sign-in code and the minutes it stays valid. */
  code?: string;
  codeMinutes?: number;
}

export interface NoticeText {
  subjectAr: string;
  subjectEn: string;
  bodyAr: string;
  bodyEn: string;
}

const ZONE = 'Asia/Riyadh';

/** A date as people here read it: Gregorian and Umm al-Qura in Arabic, Gregorian in English. */
export function datesAr(d: Date): string {
  const gregorian = new Intl.DateTimeFormat('ar-SA-u-ca-gregory-nu-arab', { dateStyle: 'long', timeZone: ZONE }).format(d);
  const hijri = new Intl.DateTimeFormat('ar-SA-u-ca-islamic-umalqura-nu-arab', { dateStyle: 'long', timeZone: ZONE }).format(d);
  return `${gregorian} (${hijri})`;
}

export function dateEn(d: Date): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: ZONE }).format(d);
}

const docAr = (t: string) => DOCUMENT_NAMES[t as DocumentType]?.ar ?? t;
const docEn = (t: string) => DOCUMENT_NAMES[t as DocumentType]?.en ?? t;

/** The words of each notice, from the policy's own (S2, S5, S6, O5). */
export function noticeText(notice: OutboxNotice, f: NoticeFacts): NoticeText {
  const n = f.applicationNumber;
  switch (notice) {
    case ACKNOWLEDGMENT_NOTICE:
      return {
        subjectAr: `استلمنا طلبكم ${n}`,
        subjectEn: `We have received your request ${n}`,
        bodyAr: `عزيزنا ${f.fullName}، شكرًا لتواصلكم مع الجمعية. استلمنا طلبكم ورقمه ${n}، فاذكروه عند أي استفسار، وسنبلغكم بكل خطوة فيه.`,
        bodyEn: `Dear ${f.fullName}, thank you for contacting the Society. We have received your request, number ${n}; please quote it in any inquiry. We will tell you of each step.`,
      };
    case PLEASE_SIGN_NOTICE:
      return {
        subjectAr: `طلبكم ${n} بانتظار توقيعكم`,
        subjectEn: `Your request ${n} awaits your signature`,
        bodyAr: `عزيزنا ${f.fullName}، طلبكم رقم ${n} جاهز لإقراركم بصحة بياناته وتوقيعه قبل إحالته إلى لجنة البحث. يمكنكم التوقيع في بوابة المستفيدين أو في مقر الجمعية.`,
        bodyEn: `Dear ${f.fullName}, your request ${n} is ready for you to confirm its data and sign it before it goes to the research committee. You can sign in the applicant portal or at the Society's office.`,
      };
    case 'hand-over': {
      const when = f.earliestAnswerAt!;
      return {
        subjectAr: `أُحيل طلبكم ${n} إلى لجنة البحث`,
        subjectEn: `Your request ${n} has gone to the research committee`,
        bodyAr: `عزيزنا ${f.fullName}، نشكر لكم ثقتكم. أُحيل طلبكم رقم ${n} إلى لجنة البحث لدراسته، وستردّكم الإجابة بالقبول أو الاعتذار في مدة لا تقل عن أسبوعين، أي ليس قبل ${datesAr(when)}.`,
        bodyEn: `Dear ${f.fullName}, thank you for your trust. Your request ${n} has gone to the research committee, which will study it and answer — accepted or not — in no less than two weeks: not before ${dateEn(when)}.`,
      };
    }
    case 'missing-documents': {
      const items = f.missing ?? [];
      const problems = f.problems ?? [];
      const problemsAr = f.problemsAr ?? problems;
      return {
        subjectAr: `مطلوب استكمال طلبكم ${n}`,
        subjectEn: `Your request ${n} needs more information`,
        bodyAr:
          `عزيزنا ${f.fullName}، لاستكمال طلبكم رقم ${n} نرجو تزويدنا بما يلي: ${items.map(docAr).join('، ') || 'البيانات الموضحة أدناه'}.` +
          (problemsAr.length ? ` ملاحظات: ${problemsAr.join('؛ ')}.` : '') +
          ' يمكنكم تقديمها في مقر الجمعية أو عبر موقعها خلال ٣٠ يومًا.',
        bodyEn:
          `Dear ${f.fullName}, to complete your request ${n} please provide: ${items.map(docEn).join(', ') || 'the information below'}.` +
          (problems.length ? ` Notes: ${problems.join('; ')}.` : '') +
          " You can bring them to the Society's office or send them through its website within 30 days.",
      };
    }
    case 'closed-incomplete':
      return {
        subjectAr: `أُغلق طلبكم ${n} لعدم اكتماله`,
        subjectEn: `Your request ${n} was closed as incomplete`,
        bodyAr: `عزيزنا ${f.fullName}، أُغلق طلبكم رقم ${n} لعدم استكمال المطلوب خلال المهلة. يسعدنا استقبال طلب جديد منكم متى شئتم.`,
        bodyEn: `Dear ${f.fullName}, your request ${n} was closed because what was missing did not arrive in time. You are welcome to apply again at any time.`,
      };
    case 'decision':
      return f.decision === 'accepted'
        ? {
            subjectAr: `قُبل طلبكم ${n}`,
            subjectEn: `Your request ${n} is accepted`,
            bodyAr: `عزيزنا ${f.fullName}، يسرّنا إبلاغكم بقبول لجنة البحث طلبكم رقم ${n}. سنتواصل معكم لاستكمال التسجيل.`,
            bodyEn: `Dear ${f.fullName}, we are glad to tell you that the research committee accepted your request ${n}. We will contact you to complete your registration.`,
          }
        : {
            subjectAr: `قرار لجنة البحث في طلبكم ${n}`,
            subjectEn: `The research committee's decision on your request ${n}`,
            bodyAr: `عزيزنا ${f.fullName}، نعتذر عن قبول طلبكم رقم ${n} للأسباب الآتية: ${f.reasons}. يسعدنا الرد على استفساراتكم عبر قنوات التواصل مع الجمعية.`,
            bodyEn: `Dear ${f.fullName}, we regret that your request ${n} was not accepted, for these reasons: ${f.reasons}. We are glad to answer your questions through any of the Society's contact channels.`,
          };
    case 'registration':
      return {
        subjectAr: `اكتمل تسجيلكم مستفيدًا: ${f.beneficiaryNumber}`,
        subjectEn: `You are registered as a beneficiary: ${f.beneficiaryNumber}`,
        bodyAr: `عزيزنا ${f.fullName}، اكتمل تسجيلكم، ورقم المستفيد الخاص بكم ${f.beneficiaryNumber}. سنتواصل معكم لتقديم الخدمة.`,
        bodyEn: `Dear ${f.fullName}, your registration is complete; your beneficiary number is ${f.beneficiaryNumber}. We will contact you to provide the service.`,
      };
    case 'survey':
      return {
        subjectAr: `رأيكم يهمنا: قيّموا خدمتنا لطلبكم ${n}`,
        subjectEn: `Your opinion matters: rate our service on request ${n}`,
        bodyAr: `عزيزنا ${f.fullName}، تقييمكم لجودة الخدمة حق لكم، ونستخدمه لتحسين الخدمة وإجراءاتها، لا للمحاسبة أو التشهير بأحد. ${f.surveyLink ? `شاركونا رأيكم: ${f.surveyLink}` : 'شاركونا رأيكم عبر موقع الجمعية.'}`,
        bodyEn: `Dear ${f.fullName}, rating the quality of our service is your right; we use it to improve the service and its procedures, never to punish or expose anyone. ${f.surveyLink ? `Tell us: ${f.surveyLink}` : "Tell us through the Society's website."}`,
      };
    case SIGN_IN_CODE_NOTICE:
      return {
        subjectAr: 'رمز الدخول إلى بوابة المستفيدين',
        subjectEn: 'Your sign-in code for the applicant portal',
        bodyAr: `رمز الدخول إلى بوابة المستفيدين: ${f.code}. صالح لمدة ${f.codeMinutes} دقائق ولمرة واحدة. لا تشاركه مع أحد.`,
        bodyEn: `Your applicant portal sign-in code: ${f.code}. It works once, for ${f.codeMinutes} minutes. Do not share it with anyone.`,
      };
    case 'chair-reminder':
      return {
        subjectAr: `تذكير: الطلب ${n} ينتظر قرار اللجنة`,
        subjectEn: `Reminder: request ${n} awaits the committee's decision`,
        bodyAr: `الطلب رقم ${n} لدى لجنة البحث ولم يصدر قراره بعد. أقرب موعد لإبلاغ المستفيد بالرد ${f.earliestAnswerAt ? datesAr(f.earliestAnswerAt) : ''}.`,
        bodyEn: `Request ${n} is with the research committee and has no decision yet. The earliest date the answer may go out is ${f.earliestAnswerAt ? dateEn(f.earliestAnswerAt) : ''}.`,
      };
  }
}
