import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type InquirySummary, listInquiries } from './api';

/** The inquiries, suggestions and complaints linked to a request (G1), on the staff case view beside a task. */
export function CaseInquiries({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<InquirySummary[] | null>(null);

  useEffect(() => {
    // Who may read the case may read its inquiries; if not, the section stays away rather than erring.
    listInquiries(`?application=${encodeURIComponent(caseId)}`).then(setItems, () => setItems(null));
  }, [caseId]);

  if (!items || items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="case-inquiries-heading" data-testid="case-inquiries">
      <h2 id="case-inquiries-heading">{t('inquiries.list')}</h2>
      <ul className="inquiry-list">
        {items.map((i) => (
          <li key={i.id}>
            <bdi dir="ltr">{i.number}</bdi> · {t(`inquiries.kinds.${i.kind}`)} · {t(`inquiries.topics.${i.topic}`)} · {i.channel} ·{' '}
            {t(i.status === 'open' ? 'inquiries.open' : 'inquiries.answered')}
          </li>
        ))}
      </ul>
    </section>
  );
}
