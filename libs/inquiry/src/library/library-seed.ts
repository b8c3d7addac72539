import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ArticleKind } from '../vocabulary';
import { LibraryService } from './library.service';

interface SeedArticle {
  slug: string;
  kind: ArticleKind;
  public: boolean;
  titleAr: string;
  titleEn: string;
  bodyAr?: string;
  bodyEn?: string;
  bodyArFile?: string;
  bodyEnFile?: string;
}

/** library/ at the repository root: beside the sources in development and tests, above dist/ when built. */
export function libraryDir(): string {
  const candidates = [join(__dirname, '..', '..', '..', '..', 'library'), join(__dirname, '..', '..', '..', 'library'), join(process.cwd(), 'library')];
  const found = candidates.find((dir) => existsSync(join(dir, 'articles.json')));
  if (!found) throw new Error(`The reference library (library/articles.json) was not found in ${candidates.join(', ')}`);
  return found;
}

export function readSeedArticles(): SeedArticle[] {
  const dir = libraryDir();
  const { articles } = JSON.parse(readFileSync(join(dir, 'articles.json'), 'utf8')) as { articles: SeedArticle[] };
  return articles.map((a) => ({
    ...a,
    bodyAr: a.bodyArFile ? readFileSync(join(dir, a.bodyArFile), 'utf8').trim() : a.bodyAr,
    bodyEn: a.bodyEnFile ? readFileSync(join(dir, a.bodyEnFile), 'utf8').trim() : a.bodyEn,
  }));
}

/**
 * The articles shipped in library/ (the policy first, then frequently asked questions and a
 * service description), each created once by its slug: what process owners changed later is
 * theirs and is never overwritten by a restart.
 */
@Injectable()
export class LibrarySeed {
  private readonly logger = new Logger('Library');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly library: LibraryService,
  ) {}

  async ensure(): Promise<number> {
    let created = 0;
    for (const a of readSeedArticles()) {
      const done = await this.db.transaction(async (em) => {
        const exists = await em.query('SELECT 1 FROM library_article WHERE slug = $1', [a.slug]);
        if (exists.length) return false;
        return this.library.create(
          { slug: a.slug, kind: a.kind, public: a.public, titleAr: a.titleAr, titleEn: a.titleEn, bodyAr: a.bodyAr ?? '', bodyEn: a.bodyEn ?? '', note: 'Shipped with Mustafid (library/)' },
          null,
          em,
        ).then(() => true, (e: unknown) => {
          // Another server process created it at the same moment: theirs stands.
          if ((e as { code?: string }).code === 'ARTICLE_EXISTS') return false;
          throw e;
        });
      });
      if (done) created++;
    }
    if (created) this.logger.log(`Loaded ${created} article(s) of the reference library`);
    return created;
  }
}
