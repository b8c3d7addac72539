export * from './inquiry.module';
export { INQUIRY_JOB_TYPES, InquiryWorkers } from './workers/inquiry-workers';
export { readInquiryDiagram } from './diagram/inquiry-diagram';
export { INQUIRY_PROCESS_ID, INQUIRY_RESOURCE, INQUIRY_KINDS, INQUIRY_TOPICS, ANSWER_METHODS } from './vocabulary';
export { InquiriesService } from './inquiries/inquiries.service';
export { LibraryService } from './library/library.service';
export { InquiryRetention } from './inquiries/inquiry-retention';
