import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError, coded, validationFailure } from '@mustafid/platform';
import { DOCUMENT_MEDIA_TYPES } from '../applications/vocabulary';

export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

export interface StoredFile {
  storageKey: string;
  mediaType: DocumentMediaType;
  sizeBytes: number;
  sha256: string;
  fileName: string;
}

export interface IncomingFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** What a file is, by its first bytes: the name and the browser's claim are not trusted. */
export function sniffMediaType(bytes: Buffer): DocumentMediaType | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

const EXTENSION: Record<DocumentMediaType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * Document files on the filesystem (DOCUMENTS_DIR, by default under DATA_DIR), named by a
 * random key so no applicant-chosen name reaches the disk. A file is written to a temporary
 * name and renamed, so a crash never leaves half a document under a real key.
 */
@Injectable()
export class DocumentStore {
  private readonly dir: string;
  private readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.intake.documentsDir;
    this.maxBytes = config.intake.documentMaxBytes;
  }

  /** Checks a file before anything is stored; throws a 400/413 naming the part. */
  check(part: string, file: IncomingFile): DocumentMediaType {
    if (file.size > this.maxBytes) {
      throw new DomainError('FILE_TOO_LARGE', `${part} (${file.originalname}) is larger than the ${this.maxBytes} bytes allowed`, 413, { part });
    }
    if (file.size === 0) throw validationFailure({ [part]: [coded('fileEmpty', `${part} (${file.originalname}) is empty`)] });
    const mediaType = sniffMediaType(file.buffer);
    if (!mediaType) {
      throw validationFailure({ [part]: [coded('fileType', `${part} (${file.originalname}) is not a PDF, JPEG or PNG file (judged by its content, not its name)`)] });
    }
    return mediaType;
  }

  async save(part: string, file: IncomingFile): Promise<StoredFile> {
    const mediaType = this.check(part, file);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const storageKey = `${randomUUID()}.${EXTENSION[mediaType]}`;
    const temp = join(this.dir, `.${storageKey}.partial`);
    await writeFile(temp, file.buffer, { mode: 0o600 });
    await rename(temp, join(this.dir, storageKey));
    return {
      storageKey,
      mediaType,
      sizeBytes: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      fileName: safeFileName(file.originalname, EXTENSION[mediaType]),
    };
  }

  read(storageKey: string): Promise<Buffer> {
    if (!/^[0-9a-f-]{36}\.(pdf|jpg|png)$/.test(storageKey)) throw new DomainError('NOT_FOUND', 'The document file was not found', 404);
    return readFile(join(this.dir, storageKey));
  }

  /** Removes files written for a request that then failed (nothing half-stored). */
  async discard(files: StoredFile[]): Promise<void> {
    await Promise.all(files.map((f) => rm(join(this.dir, f.storageKey), { force: true })));
  }
}

/** A download name: the original's letters and digits, with the extension of what the file really is. */
export function safeFileName(original: string, extension: string): string {
  const base = original.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N} _-]/gu, '').trim().slice(0, 80) || 'document';
  return `${base}.${extension}`;
}
