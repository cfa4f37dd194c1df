import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FLAG_KINDS, FLAG_LIMITS, type FlagKind } from '../../shared/knowledge';
import { composing } from '../phone/shortcuts';
import css from './SearchPanel.module.css';

export interface FlagMenuProps {
  /** Counts up with each opening (the flag key pressed again): focus comes back to the kinds. */
  opening: number;
  send(kind: FlagKind, note: string): Promise<boolean>;
  close(): void;
}

/**
 * The flag menu on the open entry, for two keys during a call: the flag key opened it, a number
 * picks the kind (1 틀림 2 오래됨 3 부족함 4 중복) and moves to the optional note; Enter sends, Esc
 * cancels, and focus goes back to where the agent was (the call's notes, the search box).
 */
export function FlagMenu({ opening, send, close }: FlagMenuProps) {
  const { t } = useTranslation();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const noteField = useRef<HTMLInputElement>(null);
  const returnTo = useRef<Element | null>(null);
  const [kind, setKind] = useState<FlagKind | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<'choose' | 'failed' | null>(null);
  const [busy, setBusy] = useState(false);

  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!form.current?.contains(active)) returnTo.current = active;
    form.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked, input[type="radio"]')?.focus();
  }, [opening]);

  const leave = () => {
    const back = returnTo.current;
    close();
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    if (!kind) {
      setProblem('choose');
      form.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    setBusy(true);
    const kept = await send(kind, note);
    setBusy(false);
    if (kept) leave();
    else setProblem('failed');
  };
  const pick = (k: FlagKind) => {
    setKind(k);
    setProblem(null);
    noteField.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (composing(e.nativeEvent)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      leave();
    } else if (e.key === 'Enter' && e.target === noteField.current) {
      e.preventDefault();
      void submit();
    } else if ((e.target as HTMLInputElement).type === 'radio' && /^[1-4]$/.test(e.key) && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      pick(FLAG_KINDS[Number(e.key) - 1] as FlagKind);
    }
  };

  return (
    <form ref={form} className={css.flagMenu} aria-label={t('entry.flagMenu')} data-flag-menu onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown}>
      <fieldset className={css.flagKinds}>
        <legend>{t('entry.flagKind')}</legend>
        {FLAG_KINDS.map((k, i) => (
          <label key={k}>
            <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => pick(k)} />
            <kbd aria-hidden>{i + 1}</kbd> {t(`entry.flagKinds.${k}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('entry.flagNote')}
        <input ref={noteField} type="text" value={note} maxLength={FLAG_LIMITS.note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {problem && (
        <p role="alert" className={css.flagProblem}>
          {t(problem === 'choose' ? 'entry.flagChoose' : 'entry.flagFailed')}
        </p>
      )}
      <div className={css.flagActions}>
        <button type="submit" className="primary" disabled={busy}>
          {t('entry.flagSend')}
        </button>
        <button type="button" onClick={leave}>
          {t('entry.flagCancel')}
        </button>
      </div>
    </form>
  );
}
