import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, type Role, Public, Roles } from '@mustafid/auth';
import { ArticleSearchDto, CreateArticleDto, EditArticleDto } from './library.dto';
import { LibraryService } from './library.service';

/** Who reads the library: those who answer people, their supervisors, the process owners who write it, auditors. */
const READERS: [Role, ...Role[]] = ['reception', 'researcher', 'manager', 'process-owner', 'auditor', 'admin'];

/** The officer's reference library (R1). */
@ApiTags('library')
@Controller('library/articles')
export class LibraryController {
  constructor(private readonly library: LibraryService) {}

  /** Search (Arabic spelling variants, diacritics and Arabic-Indic digits do not matter); ranked, with the rank shown. */
  @Roles(...READERS)
  @Get()
  search(@Query() dto: ArticleSearchDto) {
    return this.library.search(dto.q);
  }

  /** An article at its newest version (by id or slug). */
  @Roles(...READERS)
  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such article' })
  get(@Param('id') id: string) {
    return this.library.get(id);
  }

  /** Every version of an article: who changed it, when, why. */
  @Roles(...READERS)
  @Get(':id/versions')
  @ApiNotFoundResponse({ description: 'No such article' })
  history(@Param('id') id: string) {
    return this.library.history(id);
  }

  /** One version, as an answer cited it. */
  @Roles(...READERS)
  @Get(':id/versions/:version')
  @ApiNotFoundResponse({ description: 'No such article or version' })
  version(@Param('id') id: string, @Param('version', new ParseIntPipe({ errorHttpStatusCode: 404 })) version: number) {
    return this.library.get(id, version);
  }

  /** A new article (process owners). */
  @Roles('process-owner', 'admin')
  @Post()
  @HttpCode(201)
  @ApiConflictResponse({ description: 'An article has this slug (ARTICLE_EXISTS)' })
  create(@Body() dto: CreateArticleDto, @CurrentUser() user: AuthUser) {
    return this.library.create(dto, user);
  }

  /** A new version; refused when someone saved another since the version edited (409 ARTICLE_CHANGED). */
  @Roles('process-owner', 'admin')
  @Put(':id')
  @ApiConflictResponse({ description: 'Changed by someone else since (ARTICLE_CHANGED)' })
  @ApiNotFoundResponse({ description: 'No such article' })
  edit(@Param('id') id: string, @Body() dto: EditArticleDto, @CurrentUser() user: AuthUser) {
    return this.library.edit(id, dto, user);
  }
}

/** The portal's questions page (T1): the public articles, no account needed. */
@ApiTags('public')
@Controller('public/questions')
export class PublicQuestionsController {
  constructor(private readonly library: LibraryService) {}

  /** The published questions and answers and service descriptions; `q` searches them. */
  @Public()
  @Get()
  list(@Query() dto: ArticleSearchDto) {
    return this.library.search(dto.q, true);
  }

  /** One public article by its slug. */
  @Public()
  @Get(':slug')
  @ApiNotFoundResponse({ description: 'No such public article' })
  get(@Param('slug') slug: string) {
    return this.library.getPublic(slug);
  }
}
