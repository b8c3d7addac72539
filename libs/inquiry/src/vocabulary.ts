/** The words of inquiries, Arabic first: kinds, topics, how an answer reaches the person. */

export const INQUIRY_KINDS = ['question', 'suggestion', 'complaint', 'compliment'] as const;
export type InquiryKind = (typeof INQUIRY_KINDS)[number];

export const INQUIRY_KIND_NAMES: Record<InquiryKind, { ar: string; en: string }> = {
  question: { ar: 'استفسار', en: 'Question' },
  suggestion: { ar: 'اقتراح', en: 'Suggestion' },
  complaint: { ar: 'شكوى', en: 'Complaint' },
  compliment: { ar: 'شكر وإشادة', en: 'Compliment' },
};

/** What an inquiry is about: the reports count by these (G1, T5). */
export const INQUIRY_TOPICS = ['application', 'documents', 'decision', 'services', 'staff', 'website', 'other'] as const;
export type InquiryTopic = (typeof INQUIRY_TOPICS)[number];

export const INQUIRY_TOPIC_NAMES: Record<InquiryTopic, { ar: string; en: string }> = {
  application: { ar: 'تقديم الطلب', en: 'Applying' },
  documents: { ar: 'المستندات', en: 'Documents' },
  decision: { ar: 'قرار اللجنة', en: "The committee's decision" },
  services: { ar: 'خدمات الجمعية', en: "The Society's services" },
  staff: { ar: 'التعامل مع الموظفين', en: 'How staff dealt with me' },
  website: { ar: 'الموقع والبوابة', en: 'Website and portal' },
  other: { ar: 'أخرى', en: 'Other' },
};

/**
 * How the answer reached the person: sent by SMS or e-mail (through the notification outbox),
 * left to read in the portal (the tracking link), or given in person or by phone and recorded.
 */
export const ANSWER_METHODS = ['sms', 'email', 'portal', 'in-person', 'phone'] as const;
export type AnswerMethod = (typeof ANSWER_METHODS)[number];

export const ANSWER_METHOD_NAMES: Record<AnswerMethod, { ar: string; en: string }> = {
  sms: { ar: 'رسالة نصية', en: 'SMS' },
  email: { ar: 'بريد إلكتروني', en: 'E-mail' },
  portal: { ar: 'بوابة المستفيدين', en: 'The portal' },
  'in-person': { ar: 'شخصيًا', en: 'In person' },
  phone: { ar: 'هاتفيًا', en: 'By phone' },
};

export const ARTICLE_KINDS = ['bylaws', 'policy', 'service', 'faq'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

export const INQUIRY_PROCESS_ID = 'beneficiary-inquiry';
export const INQUIRY_RESOURCE = 'beneficiary-inquiry.bpmn';
export const ANSWER_TASK = 'Task_AnswerInquiry';
