import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PhoneState } from './phone-store';
import { useKeymap } from './shortcuts';

/**
 * Transfer the caller to a number or extension typed in, with a note the staff member sees:
 * blind by default (Enter), attended as the option. F7 brings the agent here.
 */
export function TransferForm({ phone, inputRef }: { phone: PhoneState; inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const keys = useKeymap();
  const [target, setTarget] = useState('');
  return (
    <form
      className="transfer"
      aria-label={t('phone.transfer')}
      onSubmit={(e) => {
        e.preventDefault();
        phone.blindTransfer(target);
      }}
    >
      {/* Kept (disabled) during a consultation: the target typed stays for the next try. */}
      <fieldset disabled={phone.consult !== null}>
      <label>
        {t('phone.transferTarget')}
        <input ref={inputRef} aria-keyshortcuts={keys.transfer} value={target} inputMode="tel" onChange={(e) => setTarget(e.target.value)} />
      </label>
      <label>
        {t('phone.handoffNote')}
        <input value={phone.transferNote} maxLength={500} onChange={(e) => phone.setTransferNote(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" className="primary">
          {t('phone.blindTransfer')}
        </button>
        <button type="button" onClick={() => phone.startConsult(target)}>
          {t('phone.consult')}
        </button>
      </div>
      </fieldset>
    </form>
  );
}
