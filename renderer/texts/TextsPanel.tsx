import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { ManualEntry } from '../../shared/manual';
import { clipSms, LMS_MAX_BYTES, measureSms, sendableText, SMS_MAX_BYTES } from '../../shared/sms/sms-bytes';
import type { TextMessage, TextPolicy, TextThread } from '../../shared/text-inquiry';
import { formatClock, formatWhen } from '../i18n/format';
import { FormAnswer } from '../work/FormAnswer';
import { national } from '../work/read-aloud';
import type { TextsStore } from './texts-store';

/** Where the thread stands for this agent: offered to them, theirs, someone else's, or anyone's. */
function standing(t: TextThread, me: string | null): 'offered' | 'mine' | 'other' | 'open' {
  if (t.offeredTo !== null && t.offeredTo === me) return 'offered';
  if (t.assignedTo === null) return 'open';
  return t.assignedTo === me ? 'mine' : 'other';
}

function ThreadList({ store, me, now }: { store: TextsStore; me: string | null; now: () => Date }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { threads, selected, busy } = useStore(store);
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{t('texts.list', { count: threads.length })}</h3>
      {threads.length === 0 ? (
        <p className="meta">{t('texts.none')}</p>
      ) : (
        <ul className="work-list texts-list">
          {threads.map((th) => {
            const s = standing(th, me);
            const late = th.firstResponseAt === null && Date.parse(th.firstResponseDue) < now().getTime();
            return (
              <li key={th.id} data-thread={th.id} aria-current={selected?.id === th.id ? 'true' : undefined}>
                <button type="button" className="link-button thread-open" onClick={() => void store.getState().select(th.id)}>
                  <strong>{national(th.number)}</strong> <span className="meta">{th.preview}</span>
                </button>
                <span className="meta">
                  {t(`texts.standing.${s}`, { who: th.assignedTo ?? '' })}
                  {th.firstResponseAt === null && (
                    <>
                      {' · '}
                      <span className={late ? 'flag' : undefined}>{t(late ? 'texts.late' : 'texts.due', { at: formatClock(th.firstResponseDue, i18n.language) })}</span>
                    </>
                  )}
                </span>
                {s === 'offered' && (
                  <span className="work-actions">
                    <button type="button" disabled={busy} onClick={() => void store.getState().take(th.id)} aria-label={t('texts.takeOf', { who: national(th.number) })}>
                      {t('texts.take')}
                    </button>
                    <button type="button" disabled={busy} onClick={() => void store.getState().decline(th.id)} aria-label={t('texts.declineOf', { who: national(th.number) })}>
                      {t('texts.decline')}
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Message({ m, store }: { m: TextMessage; store: TextsStore }) {
  const { t, i18n } = useTranslation();
  const pictures = useStore(store, (s) => s.pictures);
  return (
    <li className={`text-message ${m.direction === 'in' ? 'from-citizen' : 'from-agent'}`} data-message={m.id}>
      <p className="meta">
        {m.direction === 'in' ? t('texts.citizen') : t('texts.agent', { who: m.agent ?? '' })} · <time dateTime={m.at}>{formatWhen(m.at, i18n.language)}</time> · {m.kind.toUpperCase()}
        {m.delivery && (
          <>
            {' · '}
            <span data-delivery={m.delivery} className={m.delivery === 'failed' || m.delivery === 'refused' ? 'flag' : undefined}>
              {t(`texts.delivery.${m.delivery}`)}
              {m.error ? ` (${m.error})` : ''}
            </span>
          </>
        )}
      </p>
      <p className="text-body">{m.body}</p>
      {m.media.map((p, i) =>
        pictures[p.id] ? (
          <img key={p.id} src={pictures[p.id]} alt={t('texts.picture', { n: i + 1 })} className="text-picture" />
        ) : (
          <button key={p.id} type="button" onClick={() => void store.getState().loadPicture(p.id)}>
            {t('texts.showPicture', { n: i + 1, kb: Math.ceil(p.bytes / 1024) })}
          </button>
        ),
      )}
    </li>
  );
}

/** How the reply counts as the carriers count it, and what cannot go. */
function Counter({ text, id }: { text: string; id: string }) {
  const { t } = useTranslation();
  const m = measureSms(text);
  const limit = m.kind === 'sms' ? SMS_MAX_BYTES : LMS_MAX_BYTES;
  return (
    <p id={id} className={`meta sms-counter${m.kind === 'too-long' ? ' flag' : ''}`} data-kind={m.kind}>
      {m.kind === 'too-long' ? t('texts.tooLong', { bytes: m.bytes.toLocaleString(), max: LMS_MAX_BYTES.toLocaleString() }) : t('texts.counter', { kind: m.kind.toUpperCase(), bytes: m.bytes.toLocaleString(), max: limit.toLocaleString() })}
    </p>
  );
}

/** The reply: templates, the open entry's short form, the carriers' byte count, and what must be replaced first. */
function Composer({ store, policy, entry }: { store: TextsStore; policy: TextPolicy; entry: ManualEntry | null }) {
  const { t } = useTranslation();
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const { busy, error } = useStore(store);
  const [text, setText] = useState('');
  const [template, setTemplate] = useState('');
  const [sent, setSent] = useState('');
  const m = measureSms(text);
  const unsendable = [...new Set(m.unsendable.map((u) => u.char))];
  const insert = (piece: string) => {
    const el = area.current;
    const at = el ? el.selectionStart : text.length;
    const next = `${text.slice(0, at)}${piece}${text.slice(el ? el.selectionEnd : at)}`;
    setText(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + piece.length, at + piece.length);
    });
  };
  // The entry's title and its text message form (the department's own, else its body), as much as the LMS has room for.
  const entryPiece = (e: ManualEntry) => clipSms(sendableText(`${e.title}\n${e.sections?.sms ?? e.body}`), Math.max(0, LMS_MAX_BYTES - m.bytes - 1));
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || m.kind === 'too-long' || unsendable.length > 0) return;
    setSent('');
    if (await store.getState().send(text)) {
      setText('');
      setSent(t('texts.sent'));
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) void submit();
  };
  return (
    <form className="work-form" aria-labelledby={id} onSubmit={(e) => void submit(e)}>
      <h3 id={id}>{t('texts.reply')}</h3>
      <div className="work-form-row">
        <label>
          {t('texts.template')}
          <select value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">{t('consult.choose')}</option>
            {policy.templates.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!template} onClick={() => insert(policy.templates.find((x) => x.id === template)?.text ?? '')}>
          {t('texts.insertTemplate')}
        </button>
        <button type="button" disabled={!entry} onClick={() => entry && insert(entryPiece(entry))} aria-label={entry ? t('texts.insertEntryOf', { title: entry.title }) : t('texts.insertEntry')}>
          {t('texts.insertEntry')}
        </button>
      </div>
      <label>
        {t('texts.message')}
        <textarea ref={area} rows={6} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} aria-describedby={`${id}-count ${id}-from`} aria-invalid={m.kind === 'too-long' || unsendable.length > 0} />
      </label>
      <Counter text={text} id={`${id}-count`} />
      {unsendable.length > 0 && (
        <p role="alert" className="work-actions">
          <span>{t('texts.unsendable', { chars: unsendable.join(' ') })}</span>
          <button type="button" onClick={() => setText(sendableText(text))}>
            {t('texts.replace')}
          </button>
        </p>
      )}
      <p id={`${id}-from`} className="meta">
        {t('texts.from', { number: policy.senderNumber })}
      </p>
      <button type="submit" disabled={busy || !text.trim() || m.kind === 'too-long' || unsendable.length > 0}>
        {t('texts.send')}
      </button>
      <FormAnswer done={sent} error={error} />
    </form>
  );
}

function ThreadView({ store, me, policy, entry, wrapUp }: { store: TextsStore; me: string | null; policy: TextPolicy; entry: ManualEntry | null; wrapUp: ((thread: TextThread) => void) | null }) {
  const { t } = useTranslation();
  const id = useId();
  const { selected, busy } = useStore(store);
  if (!selected) return <p className="meta">{t('texts.pick')}</p>;
  const s = standing(selected, me);
  return (
    <section aria-labelledby={id} className="text-thread" data-thread-view={selected.id}>
      <h3 id={id}>{t('texts.thread', { who: national(selected.number) })}</h3>
      <p className="work-actions">
        {(s === 'open' || s === 'offered') && selected.state === 'open' && (
          <button type="button" disabled={busy} onClick={() => void store.getState().take(selected.id)}>
            {t('texts.take')}
          </button>
        )}
        {wrapUp && s === 'mine' && (
          <button type="button" onClick={() => wrapUp(selected)}>
            {t('texts.wrapUp')}
          </button>
        )}
        {selected.state === 'closed' && <span className="meta">{t('texts.closed')}</span>}
      </p>
      <ol className="text-messages" aria-label={t('texts.messages')}>
        {(selected.messages ?? []).map((m) => (
          <Message key={m.id} m={m} store={store} />
        ))}
      </ol>
      {s !== 'other' && <Composer key={selected.id} store={store} policy={policy} entry={entry} />}
    </section>
  );
}

/**
 * The 문자상담 tab: the agent's threads (the one offered to take or pass on, their own, everyone's
 * unanswered), the thread on screen with each reply's way to the citizen, and the reply.
 */
export function TextsPanel(p: { store: TextsStore; me: string | null; policy: TextPolicy; entry: ManualEntry | null; now: () => Date; wrapUp: ((thread: TextThread) => void) | null }) {
  const { t } = useTranslation();
  const stale = useStore(p.store, (s) => s.stale);
  useEffect(() => p.store.getState().watch(), [p.store]);
  return (
    <div className="work-panel texts-panel">
      {stale && <p className="pop-offline">{t('texts.stale')}</p>}
      <ThreadList store={p.store} me={p.me} now={p.now} />
      <ThreadView store={p.store} me={p.me} policy={p.policy} entry={p.entry} wrapUp={p.wrapUp} />
    </div>
  );
}
