import { useTranslation } from 'react-i18next';
import { reasonText } from './read-aloud';

/** What a work form's last submission came to: read out politely when done, at once when refused (in the agent's words). */
export function FormAnswer({ done, error }: { done: string; error: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <p role="status" className="meta">
        {error ? '' : done}
      </p>
      {error && (
        <p role="alert">
          {reasonText(t, error)}
        </p>
      )}
    </>
  );
}
