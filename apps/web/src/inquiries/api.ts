import { postJson, requestJson } from '../session/api';

/**
 * Inquiries and the reference library (libs/inquiry):
 *   staff:  GET/POST /api/inquiries, GET /api/inquiries/:id, POST /api/inquiries/:id/answer,
 *           GET /api/library/articles?q=
 *   public: GET /api/public/questions?q=, POST /api/public/inquiries,
 *           GET /api/public/inquiries/:token, POST /api/public/inquiries/:token/rating
 */
export const KINDS = ['question', 'suggestion', 'complaint', 'compliment'] as const;
export const TOPICS = ['application', 'documents', 'decision', 'services', 'staff', 'website', 'other'] as const;
export const METHODS = ['sms', 'email', 'portal', 'in-person', 'phone'] as const;
export const CHANNELS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8'] as const;
export type Kind = (typeof KINDS)[number];
export type Topic = (typeof TOPICS)[number];
export type Method = (typeof METHODS)[number];

export interface Localised {
  ar: string;
  en: string;
}

export interface InquirySummary {
  id: string;
  number: string;
  kind: Kind;
  channel: string;
  topic: Topic;
  status: 'open' | 'answered';
  personName?: string;
  applicationNumber?: string;
  receivedAt: string;
  dueAt?: string;
  overdue: boolean;
}

export interface InquiryView extends InquirySummary {
  body: string;
  mobile?: string;
  email?: string;
  answer?: string;
  answerMethod?: Method;
  answeredBy?: string;
  actionTaken?: string;
  mayAnswer: boolean;
  citation?: { articleId: string; slug: string; version: number; currentVersion: number; title: Localised; publicLink?: string };
}

export interface ArticleHit {
  id: string;
  slug: string;
  kind: string;
  version: number;
  public: boolean;
  title: Localised;
  excerpt: Localised;
  rank: number;
  body?: Localised;
}

export interface TrackView {
  number: string;
  kind: Kind;
  status: 'open' | 'answered';
  answer?: string;
  article?: { slug: string; title: Localised; link: string };
  mayRate: boolean;
  rated: boolean;
}

const q = (words: string) => (words.trim() ? `?q=${encodeURIComponent(words.trim())}` : '');

export const listInquiries = (query = '') => requestJson<InquirySummary[]>(`/api/inquiries${query}`);
export const getInquiry = (id: string) => requestJson<InquiryView>(`/api/inquiries/${encodeURIComponent(id)}`);
export const recordInquiry = (body: Record<string, unknown>) => postJson<{ id: string; number: string }>('/api/inquiries', body);
export const answerInquiry = (id: string, body: Record<string, unknown>) => postJson<InquiryView>(`/api/inquiries/${encodeURIComponent(id)}/answer`, body);
export const searchLibrary = (words: string) => requestJson<ArticleHit[]>(`/api/library/articles${q(words)}`);
export const publicQuestions = (words = '') => requestJson<ArticleHit[]>(`/api/public/questions${q(words)}`);
export const sendInquiry = (body: Record<string, unknown>) => postJson<{ number: string; trackingToken: string }>('/api/public/inquiries', body);
export const trackInquiry = (token: string) => requestJson<TrackView>(`/api/public/inquiries/${encodeURIComponent(token)}`);
export const rateAnswer = (token: string, rating: number) => postJson<{ rated: boolean }>(`/api/public/inquiries/${encodeURIComponent(token)}/rating`, { rating });

/** The form's fields without the empty ones (the server refuses an empty mobile as a wrong one). */
export function filled(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== ''));
}
