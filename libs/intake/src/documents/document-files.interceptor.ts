import { BadRequestException, type CallHandler, type ExecutionContext, Inject, Injectable, Optional, PayloadTooLargeException } from '@nestjs/common';
import { AnyFilesInterceptor, type MulterModuleOptions } from '@nestjs/platform-express';
import { MULTER_MODULE_OPTIONS } from '@nestjs/platform-express/multer/files.constants';
import { APP_CONFIG, type AppConfig, DomainError, requestValueProblem } from '@mustafid/platform';

/**
 * Multipart uploads of documents, with multer's terse limit errors ("File too large") turned
 * into messages that say which limit was passed and how to change it.
 */
@Injectable()
export class DocumentFilesInterceptor extends AnyFilesInterceptor() {
  constructor(
    @Optional() @Inject(MULTER_MODULE_OPTIONS) options: MulterModuleOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options);
  }

  override async intercept(context: ExecutionContext, next: CallHandler) {
    try {
      const handled = await super.intercept(context, next);
      // The text parts, held to what the edge holds a parsed body to (the body parser never saw them).
      const problem = requestValueProblem(context.switchToHttp().getRequest<{ body?: unknown }>().body, 'body');
      if (problem) throw problem;
      return handled;
    } catch (e) {
      if (e instanceof PayloadTooLargeException) {
        throw new DomainError('FILE_TOO_LARGE', `A document file is larger than the ${this.config.intake.documentMaxBytes} bytes allowed (DOCUMENT_MAX_BYTES)`, 413);
      }
      const field = e instanceof BadRequestException && /^Field value too long - (.+)$/.exec(e.message)?.[1];
      if (field) {
        throw new DomainError('PAYLOAD_TOO_LARGE', `The part "${field}" is longer than the ${this.config.http.bodyLimit} this server accepts (BODY_LIMIT)`, 413);
      }
      if (e instanceof BadRequestException) throw new DomainError('MALFORMED_UPLOAD', `The upload could not be read: ${e.message}`, 400);
      throw e;
    }
  }
}
