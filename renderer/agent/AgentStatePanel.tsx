import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Button, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { ChevronDown } from 'lucide-react';
import type { NotReadyReason } from '../../shared/settings';
import { useNow } from '../core/use-now';
import { elapsed } from '../core/elapsed';
import { LOCKED_REASON, type AgentStateStoreApi } from './agent-state-store';

/** How much more after-call work one press of "extend" gives. */
export const WRAP_UP_EXTENSION_SECONDS = 60;

/**
 * The agent's availability in the call bar: the state and the time in it (after-call work counts
 * down, and can be extended), the usual next step as a button, and every other state in a menu.
 */
export function AgentStatePanel({ store, reasons, onCall }: { store: AgentStateStoreApi; reasons: readonly NotReadyReason[]; onCall: boolean }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const now = useNow(true, 1000);
  const reasonLabel = (r: NotReadyReason) => (i18n.language === 'en' ? r.en : r.ko);
  const label = (id: string | null) => {
    if (id === LOCKED_REASON) return t('agent.locked');
    const r = reasons.find((x) => x.id === id);
    return r ? reasonLabel(r) : t('agent.notStarted');
  };
  const state = s.state;
  const kind = onCall ? 'on-call' : state.kind;
  const text = onCall
    ? t('agent.onCall')
    : state.kind === 'ready'
      ? t('agent.ready')
      : state.kind === 'wrap-up'
        ? t('agent.wrapUp', { seconds: Math.max(0, Math.ceil((state.until - now) / 1000)) })
        : state.kind === 'break'
          ? t('agent.onBreak')
          : t('agent.notReady', { reason: label(state.reason) });
  return (
    <section className={`agent-state agent-${kind}`} aria-label={t('agent.label')}>
      <p className="state-pill">
        <span role="status" aria-live="polite" data-agent-state={kind}>
          {text}
        </span>
        {state.kind !== 'wrap-up' && (
          <time className="state-time" aria-label={t('agent.timeInState')}>
            {elapsed(s.since, now)}
          </time>
        )}
      </p>
      {state.kind !== 'ready' && (
        <button type="button" className="primary" onClick={() => s.setReady()}>
          {state.kind === 'wrap-up' ? t('agent.finishWrapUp') : t('agent.becomeReady')}
        </button>
      )}
      {state.kind === 'wrap-up' && (
        <button type="button" onClick={() => s.extendWrapUp(WRAP_UP_EXTENSION_SECONDS)}>
          {t('agent.extend', { seconds: WRAP_UP_EXTENSION_SECONDS })}
        </button>
      )}
      <MenuTrigger>
        <Button className="bar-button">
          {t('agent.change')}
          <ChevronDown aria-hidden size={16} />
        </Button>
        <Popover placement="bottom start" className="popover">
          <Menu
            aria-label={t('agent.change')}
            className="menu"
            onAction={(key) => {
              const id = String(key);
              if (id === 'ready') s.setReady();
              else if (id === 'break') s.setBreak();
              else s.setNotReady(id.slice('not-ready:'.length));
            }}
          >
            {state.kind !== 'ready' && <MenuItem id="ready">{t('agent.becomeReady')}</MenuItem>}
            {state.kind !== 'break' && <MenuItem id="break">{t('agent.takeBreak')}</MenuItem>}
            {reasons.map((r) => (
              <MenuItem key={r.id} id={`not-ready:${r.id}`}>
                {t('agent.notReadyFor', { reason: reasonLabel(r) })}
              </MenuItem>
            ))}
          </Menu>
        </Popover>
      </MenuTrigger>
    </section>
  );
}
