import { useTranslation } from 'react-i18next';

/** Before the page reaches the desk's engine (it starts, or restarts). */
export function Connecting() {
  const { t } = useTranslation();
  return (
    <main className="sign-in">
      <p className="sign-in-card" role="status">
        {t('session.connecting')}
      </p>
    </main>
  );
}
