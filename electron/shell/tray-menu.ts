import type { MenuItemConstructorOptions } from 'electron';
import type { TFunction } from 'i18next';
import type { Presence } from '../../shared/presence';

/** The tray's tooltip and menu for the agent's state (as the page last reported it to the core). */
export function trayView(t: TFunction, presence: Presence | null, actions: { show: () => void; quit: () => void }): { tooltip: string; menu: MenuItemConstructorOptions[] } {
  const state = t(`tray.state.${presence?.state ?? 'offline'}`);
  return {
    tooltip: t('tray.tooltip', { state }),
    menu: [
      { label: state, enabled: false },
      { type: 'separator' },
      { label: t('tray.show'), click: actions.show },
      { label: t('tray.quit'), click: actions.quit },
    ],
  };
}
