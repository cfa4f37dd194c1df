import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../../shared/shell-contract';
import type { ShellClient } from '../core/desk-shell';

/**
 * The desktop app's update news, shown only when it concerns the agent: a verified update ready
 * to install, one that IT installs, or one that was refused (so IT hears of a forged feed).
 */
export function UpdateNotice({ shell }: { shell: ShellClient }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [refusedInstall, setRefusedInstall] = useState(false);
  useEffect(() => {
    const off = shell.on('update', setStatus);
    void shell.call('updateStatus', {}).then(setStatus, () => undefined);
    return off;
  }, [shell]);
  if (!status || !['ready', 'available', 'refused'].includes(status.state)) return null;
  const install = async () => setRefusedInstall(!(await shell.call('installUpdate', {})).installing);
  return (
    <div className={`update update-${status.state}`} role={status.state === 'refused' ? 'alert' : 'status'}>
      {status.state === 'ready' && (
        <>
          {t('update.ready', { version: status.version })}{' '}
          <button type="button" onClick={() => void install()}>
            {t('update.install')}
          </button>
          {refusedInstall && <span> {t('update.installRefused')}</span>}
        </>
      )}
      {status.state === 'available' && t('update.available', { version: status.version })}
      {status.state === 'refused' && (
        <>
          {t('update.refused')}{' '}
          {/* The verifier's own words are for IT, and English: marked so, for screen readers too. */}
          <span className="meta">
            {t('update.detail')}: <span lang="en">{status.message ?? ''}</span>
          </span>
        </>
      )}
    </div>
  );
}
