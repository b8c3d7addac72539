/** The policy's words for a request: channels (C1–C8), kinds of support, documents. Arabic first. */

export const CHANNELS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_NAMES: Record<Channel, { ar: string; en: string }> = {
  C1: { ar: 'مقابلة شخصية', en: 'In-person interview' },
  C2: { ar: 'اتصال هاتفي', en: 'Phone call' },
  C3: { ar: 'وسائل التواصل الاجتماعي', en: 'Social media' },
  C4: { ar: 'خطاب', en: 'Letter' },
  C5: { ar: 'خدمات طلب المساعدة', en: 'Help-request services' },
  C6: { ar: 'خدمة تطوعية', en: 'Volunteer service' },
  C7: { ar: 'موقع الجمعية الإلكتروني', en: "The Society's website" },
  C8: { ar: 'مندوبو مكاتب الجمعية', en: 'Outreach office representatives' },
};

export const SUPPORT_TYPES = ['financial-aid', 'in-kind', 'training', 'employment'] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

export const DOCUMENT_TYPES = [
  'national-id',
  'iqama',
  'family-record',
  'income-proof',
  'bank-letter',
  'qualification',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_NAMES: Record<DocumentType, { ar: string; en: string }> = {
  'national-id': { ar: 'بطاقة الهوية الوطنية', en: 'National ID card' },
  iqama: { ar: 'بطاقة الإقامة', en: 'Iqama (residence permit)' },
  'family-record': { ar: 'سجل الأسرة', en: 'Family record' },
  'income-proof': { ar: 'إثبات الدخل', en: 'Proof of income' },
  'bank-letter': { ar: 'خطاب الحساب البنكي (الآيبان)', en: 'Bank account letter (IBAN)' },
  qualification: { ar: 'المؤهل الدراسي', en: 'Educational qualification' },
  other: { ar: 'مستند آخر', en: 'Other document' },
};

export const SUPPORT_TYPE_NAMES: Record<SupportType, { ar: string; en: string }> = {
  'financial-aid': { ar: 'مساعدة مالية', en: 'Financial aid' },
  'in-kind': { ar: 'مساعدة عينية', en: 'In-kind support' },
  training: { ar: 'تدريب وتأهيل', en: 'Training' },
  employment: { ar: 'توظيف', en: 'Employment' },
};

/**
 * Documents each kind of support needs besides the identity document (national ID for a
 * citizen, iqama for a resident), which every request needs.
 */
export const REQUIRED_DOCUMENTS: Record<SupportType, DocumentType[]> = {
  'financial-aid': ['family-record', 'income-proof', 'bank-letter'],
  'in-kind': ['family-record', 'income-proof'],
  training: ['qualification'],
  employment: ['qualification'],
};

/** Files a document may be: what staff can open safely in a browser. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** How an applicant may ask to receive notices. */
export const PREFERRED_CONTACTS = ['sms', 'email'] as const;
export type PreferredContact = (typeof PREFERRED_CONTACTS)[number];
