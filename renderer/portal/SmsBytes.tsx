import { useTranslation } from 'react-i18next';
import { sendableText } from '../../shared/sms/sms-bytes';
import { smsCount, smsCountLine } from './sms-count';
import css from './Portal.module.css';

/** Under the 문자 안내: its bytes as the carriers count them, and the characters a phone cannot show, with their replacement. */
export function SmsBytes({ id, text, onReplace }: { id: string; text: string; onReplace: ((text: string) => void) | null }) {
  const { t } = useTranslation();
  const c = smsCount(text);
  return (
    <>
      <p id={id} className={c.kind === 'too-long' ? css.over : 'meta'} data-kind={c.kind}>
        {smsCountLine(t, c)}
      </p>
      {c.unsendable.length > 0 && (
        <p role="alert" className={css.actions}>
          <span>{t('portal.sms.unsendable', { chars: c.unsendable.join(' ') })}</span>
          {onReplace && (
            <button type="button" onClick={() => onReplace(sendableText(text))}>
              {t('portal.sms.replace')}
            </button>
          )}
        </p>
      )}
    </>
  );
}
