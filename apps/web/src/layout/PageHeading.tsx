import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface PageHeadingProps {
  /** The page's name for the browser tab ("… — Mustafid"); none for the home page. */
  title?: string;
  children?: ReactNode;
  className?: string;
  id?: string;
}

/**
 * A page's h1. It takes the focus when the page opens, so that after a client-side
 * navigation a screen reader announces the new page and Tab starts from here; and it names
 * the browser tab after the page.
 */
export function PageHeading({ title, children, className, id }: PageHeadingProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    ref.current?.focus();
  }, []);

  useEffect(() => {
    document.title = title ? `${title} — ${t('app.documentTitle')}` : t('app.documentTitle');
  }, [title, t]);

  return (
    <h1 ref={ref} id={id} tabIndex={-1} className={className ?? 'page-heading'}>
      {children ?? title}
    </h1>
  );
}
