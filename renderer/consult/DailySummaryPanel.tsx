import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DailySummary } from '../../shared/contract';

/** Today's calls handled, average handling time and categories, from this desk's records; loaded when opened. */
export function DailySummaryPanel({ load }: { load: () => Promise<DailySummary> }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<DailySummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <details
      className="daily"
      onToggle={(e) => {
        if (!(e.currentTarget as HTMLDetailsElement).open) return;
        load().then(
          (s) => (setSummary(s), setError(null)),
          (err: Error) => setError(err.message),
        );
      }}
    >
      <summary>{t('consult.daily')}</summary>
      {error && (
        <p role="alert" data-error={error}>
          {t('consult.dailyFailed')}
        </p>
      )}
      {summary && (
        <div role="group" aria-label={t('consult.daily')}>
          <p>
            {t('consult.handled', { count: summary.handled })}
            {summary.averageHandlingSeconds !== null && ` · ${t('consult.aht', { seconds: Math.round(summary.averageHandlingSeconds) })}`}
          </p>
          <ul>
            {summary.byCategory.map((c) => (
              <li key={c.category}>
                {c.category} {c.count}
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
