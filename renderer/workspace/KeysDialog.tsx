import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Button, Dialog, Modal, ModalOverlay } from 'react-aria-components';
import { Keyboard } from 'lucide-react';
import type { LocalPreferencesStore } from '../core/local-preferences';
import { ASSIGNABLE_KEYS, DESK_ACTIONS, HELP_KEY } from '../phone/shortcuts';
import { DialogHead } from './DialogHead';

/** Keys that are not remappable, and what they do. */
const FIXED = [
  { keys: 'Ctrl+K', what: 'keys.search' },
  { keys: 'Esc', what: 'keys.escape' },
  { keys: '↑ ↓ Enter', what: 'keys.results' },
  { keys: '1 2 3 4', what: 'keys.flagKinds' },
  { keys: HELP_KEY, what: 'keys.help' },
] as const;

/** Every key of the desk, and its function keys (the phone's, the flag's) remapped to the agent's liking. */
export function KeysDialog({ preferences, isOpen, onOpenChange }: { preferences: LocalPreferencesStore; isOpen: boolean; onOpenChange(open: boolean): void }) {
  const { t } = useTranslation();
  const prefs = useStore(preferences);
  return (
    <>
      <Button className="bar-button" onPress={() => onOpenChange(true)} aria-keyshortcuts={HELP_KEY}>
        <Keyboard aria-hidden size={18} />
        {t('keys.open', { key: HELP_KEY })}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable isOpen={isOpen} onOpenChange={onOpenChange}>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => (
              <>
                <DialogHead title={t('keys.title')} close={close} />
                <table className="keys">
                  <caption>{t('keys.phone')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('keys.action')}</th>
                      <th scope="col">{t('keys.key')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {DESK_ACTIONS.map((action) => (
                      <tr key={action}>
                        <th scope="row">{t(`keys.actions.${action}`)}</th>
                        <td>
                          <select aria-label={t('keys.keyFor', { action: t(`keys.actions.${action}`) })} value={prefs.keymap[action]} onChange={(e) => prefs.setKey(action, e.target.value)}>
                            {ASSIGNABLE_KEYS.map((k) => (
                              <option key={k} value={k}>
                                {k}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="meta">{t('keys.swap')}</p>
                <table className="keys">
                  <caption>{t('keys.fixed')}</caption>
                  <tbody>
                    {FIXED.map((k) => (
                      <tr key={k.keys}>
                        <th scope="row">
                          <kbd>{k.keys}</kbd>
                        </th>
                        <td>{t(k.what)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div>
                  <button type="button" onClick={() => prefs.resetKeys()}>
                    {t('keys.reset')}
                  </button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  );
}
