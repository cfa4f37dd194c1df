import { useTranslation } from 'react-i18next';
import type { DeskHold } from './desk-claim';

/** What a page that does not hold the agent's desk shows instead of the desk. */
export function DeskHoldNotice({ hold, takeBack }: { hold: Exclude<DeskHold, 'held'>; takeBack: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="desk-hold" aria-labelledby="desk-hold-title">
      <h1 id="desk-hold-title">{t('app.title')}</h1>
      <p role={hold === 'claiming' ? 'status' : 'alert'}>{t(`desk.${hold}`)}</p>
      {hold === 'displaced' && (
        <button type="button" onClick={takeBack}>
          {t('desk.takeBack')}
        </button>
      )}
    </main>
  );
}
