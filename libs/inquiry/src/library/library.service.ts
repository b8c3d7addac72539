import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthUser } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { ConflictError, NotFoundError } from '@mustafid/platform';
import { CLOCK, type Clock } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import type { ArticleKind } from '../vocabulary';
import { searchDocument, searchQuery } from './arabic-text';
import type { ArticleTextDto, CreateArticleDto, EditArticleDto } from './library.dto';

export interface ArticleVersionView {
  id: string;
  slug: string;
  kind: ArticleKind;
  version: number;
  /** The newest version of the article (may be later than `version` for a cited one). */
  currentVersion: number;
  public: boolean;
  title: { ar: string; en: string };
  body: { ar: string; en: string };
  editedBy: string | null;
  editedAt: Date;
  note: string | null;
}

export interface SearchHit {
  id: string;
  slug: string;
  kind: ArticleKind;
  version: number;
  public: boolean;
  title: { ar: string; en: string };
  /** The beginning of each text, to recognise the article by. */
  excerpt: { ar: string; en: string };
  /** ts_rank of the article for the words asked (higher first; titles weigh more than texts). */
  rank: number;
  /** The whole text: on the portal's questions page only. */
  body?: { ar: string; en: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const excerpt = (text: string) => (text.length > 240 ? `${text.slice(0, 240).trimEnd()}…` : text);

/** The tsvector of a version: titles weigh A, texts B; both languages, normalised (arabic-text.ts). */
const VECTOR = `setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B')`;
const vectorParams = (t: Pick<ArticleTextDto, 'titleAr' | 'titleEn' | 'bodyAr' | 'bodyEn'>) => [
  searchDocument(`${t.titleAr} ${t.titleEn}`),
  searchDocument(`${t.bodyAr}\n${t.bodyEn}`),
];

/**
 * The officer's reference library (R1): the Society's documents as versioned articles in Arabic
 * and English. Process owners write them; officers search them while answering and cite a
 * version; public ones are the portal's questions and answers (T1).
 */
@Injectable()
export class LibraryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Articles ranked by the words asked (all of them, newest first, without words). */
  async search(q: string | undefined, onlyPublic = false): Promise<SearchHit[]> {
    const query = q ? searchQuery(q) : null;
    const where = onlyPublic ? 'AND a.public' : '';
    const rows = query
      ? await this.db.query(
          `SELECT a.id, a.slug, a.kind, a.version, a.public, v.title_ar, v.title_en, v.body_ar, v.body_en, ts_rank(a.search, to_tsquery('simple', $1)) AS rank
             FROM library_article a JOIN library_article_version v ON v.article_id = a.id AND v.version = a.version
            WHERE a.search @@ to_tsquery('simple', $1) ${where}
            ORDER BY rank DESC, a.updated_at DESC, a.id LIMIT 20`,
          [query],
        )
      : q?.trim()
        ? []
        : await this.db.query(
            `SELECT a.id, a.slug, a.kind, a.version, a.public, v.title_ar, v.title_en, v.body_ar, v.body_en, 0 AS rank
               FROM library_article a JOIN library_article_version v ON v.article_id = a.id AND v.version = a.version
              WHERE true ${where} ORDER BY a.created_at, a.id LIMIT 200`,
          );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      slug: r.slug,
      kind: r.kind,
      version: r.version,
      public: r.public,
      title: { ar: r.title_ar, en: r.title_en },
      excerpt: { ar: excerpt(r.body_ar), en: excerpt(r.body_en) },
      rank: Math.round(Number(r.rank) * 10_000) / 10_000,
      ...(onlyPublic ? { body: { ar: r.body_ar, en: r.body_en } } : {}),
    }));
  }

  /** An article at its newest version, or at the version named. */
  async get(idOrSlug: string, version?: number, em: EntityManager = this.db.manager): Promise<ArticleVersionView> {
    const byId = UUID.test(idOrSlug);
    const [r] = await em.query(
      `SELECT a.id, a.slug, a.kind, a.version AS current_version, v.version, v.public, v.title_ar, v.title_en, v.body_ar, v.body_en, v.edited_by, v.edited_at, v.note
         FROM library_article a JOIN library_article_version v ON v.article_id = a.id AND v.version = COALESCE($2, a.version)
        WHERE ${byId ? 'a.id = $1::uuid' : 'a.slug = $1'}`,
      [idOrSlug, version ?? null],
    );
    if (!r) throw new NotFoundError(version ? `Version ${version} of article` : 'Article', idOrSlug);
    return {
      id: r.id,
      slug: r.slug,
      kind: r.kind,
      version: r.version,
      currentVersion: r.current_version,
      public: r.public,
      title: { ar: r.title_ar, en: r.title_en },
      body: { ar: r.body_ar, en: r.body_en },
      editedBy: r.edited_by,
      editedAt: r.edited_at,
      note: r.note,
    };
  }

  /** A public article (the portal's questions page); a private one is "not found" there. */
  async getPublic(slug: string): Promise<ArticleVersionView> {
    const article = await this.get(slug);
    if (!article.public) throw new NotFoundError('Article', slug);
    return article;
  }

  /** Every version of an article, newest first: who changed it, when, and why. */
  async history(id: string) {
    const article = await this.get(id);
    const rows = await this.db.query(
      'SELECT version, title_ar, title_en, public, edited_by, edited_at, note FROM library_article_version WHERE article_id = $1 ORDER BY version DESC',
      [article.id],
    );
    return rows.map((r: Record<string, never>) => ({ version: r.version, title: { ar: r.title_ar, en: r.title_en }, public: r.public, editedBy: r.edited_by, editedAt: r.edited_at, note: r.note }));
  }

  async create(dto: CreateArticleDto, user: AuthUser | null, em?: EntityManager): Promise<ArticleVersionView> {
    const run = async (tx: EntityManager) => {
      const now = this.clock.now();
      const [row] = await tx.query(
        `INSERT INTO library_article (slug, kind, public, version, search, created_at, updated_at)
         VALUES ($3, $4, $5, 1, ${VECTOR}, $6, $6) ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [...vectorParams(dto), dto.slug, dto.kind, dto.public, now],
      );
      if (!row) throw new ConflictError('ARTICLE_EXISTS', `An article named ${dto.slug} exists already; edit it instead`);
      await this.insertVersion(tx, row.id, 1, dto, user, now);
      if (user) await this.audit.append(tx, [{ at: now, actor: user.username, action: 'library.article-created', details: { article: row.id, slug: dto.slug, version: 1 } }]);
      return this.get(row.id, undefined, tx);
    };
    return em ? run(em) : this.db.transaction(run);
  }

  /** Saves a new version; refused with 409 when the editor did not start from the newest one. */
  async edit(idOrSlug: string, dto: EditArticleDto, user: AuthUser): Promise<ArticleVersionView> {
    const current = await this.get(idOrSlug);
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const [[row]] = await tx.query(
        `UPDATE library_article SET version = version + 1, public = $4, search = ${VECTOR}, updated_at = $5
          WHERE id = $3 AND version = $6 RETURNING version`,
        [...vectorParams(dto), current.id, dto.public, now, dto.version],
      );
      if (!row) {
        const [{ version }] = await tx.query('SELECT version FROM library_article WHERE id = $1', [current.id]);
        throw new ConflictError(
          'ARTICLE_CHANGED',
          `Article ${current.slug} was changed by someone else since version ${dto.version} (it is at version ${version}); reload it and make your change again`,
          { version },
        );
      }
      await this.insertVersion(tx, current.id, row.version, dto, user, now);
      await this.audit.append(tx, [{ at: now, actor: user.username, action: 'library.article-edited', details: { article: current.id, slug: current.slug, version: row.version } }]);
      return this.get(current.id, undefined, tx);
    });
  }

  private async insertVersion(tx: EntityManager, id: string, version: number, dto: ArticleTextDto, user: AuthUser | null, now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO library_article_version (article_id, version, title_ar, title_en, body_ar, body_en, public, edited_by, edited_at, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, version, dto.titleAr, dto.titleEn, dto.bodyAr, dto.bodyEn, dto.public, user?.username ?? null, now, dto.note ?? null],
    );
  }

  /** Whether a key names an article version (for citations). */
  async versionExists(em: EntityManager, id: string, version: number): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await em.query('SELECT 1 FROM library_article_version WHERE article_id = $1 AND version = $2', [id, version]);
    return rows.length > 0;
  }
}

