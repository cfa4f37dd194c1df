import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Button, Dialog, DialogTrigger, Modal, ModalOverlay } from 'react-aria-components';
import { Settings } from 'lucide-react';
import { TEXT_SIZES, THEMES, type LocalPreferencesStore } from '../core/local-preferences';
import { LANGUAGES } from '../i18n';
import { DialogHead } from './DialogHead';

/** One choice of several, as radio buttons: every option in view, arrow keys move between them. */
function Choice<T extends string>({ legend, name, values, value, label, onChange }: { legend: string; name: string; values: readonly T[]; value: T; label: (v: T) => string; onChange: (v: T) => void }) {
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {label(v)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * This desk's settings in one dialog: language, theme, text size, and the audio devices (passed in
 * as `devices`). Everything here is the agent's own and kept on this desk.
 */
export function SettingsDialog({ preferences, onLanguage, devices }: { preferences: LocalPreferencesStore; onLanguage: (language: string) => void; devices: ReactNode }) {
  const { t, i18n } = useTranslation();
  const prefs = useStore(preferences);
  return (
    <DialogTrigger>
      <Button className="bar-button">
        <Settings aria-hidden size={18} />
        {t('settings.open')}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => (
              <>
                <DialogHead title={t('settings.title')} close={close} />
                <div className="settings-grid">
                  <Choice
                    legend={t('app.language')}
                    name="language"
                    values={LANGUAGES}
                    value={i18n.language as (typeof LANGUAGES)[number]}
                    label={(l) => (l === 'ko' ? t('app.korean') : t('app.english'))}
                    onChange={onLanguage}
                  />
                  <Choice legend={t('settings.theme')} name="theme" values={THEMES} value={prefs.theme} label={(v) => t(`settings.themes.${v}`)} onChange={(v) => prefs.setTheme(v)} />
                  <Choice legend={t('settings.textSize')} name="text-size" values={TEXT_SIZES} value={prefs.textSize} label={(v) => t(`settings.textSizes.${v}`)} onChange={(v) => prefs.setTextSize(v)} />
                </div>
                {devices}
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
