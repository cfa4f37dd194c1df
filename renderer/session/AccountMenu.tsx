import { useTranslation } from 'react-i18next';
import { Button, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { CircleUserRound } from 'lucide-react';

/** The signed-in agent in the call bar, with the lock and sign-out. */
export function AccountMenu({ displayName, offline, canSignOut, lock, signOut }: { displayName: string; offline: boolean; canSignOut: boolean; lock(): void; signOut(): void }) {
  const { t } = useTranslation();
  return (
    <MenuTrigger>
      <Button className="bar-button" aria-label={t('session.account', { name: displayName })}>
        <CircleUserRound aria-hidden size={18} />
        {displayName}
        {offline && <span className="badge">{t('session.offlineBadge')}</span>}
      </Button>
      <Popover placement="bottom end" className="popover">
        <Menu aria-label={t('session.account', { name: displayName })} className="menu" onAction={(key) => (key === 'lock' ? lock() : signOut())}>
          <MenuItem id="lock">{t('session.lock')}</MenuItem>
          {/* Not during a call: the caller would be cut off. */}
          <MenuItem id="sign-out" isDisabled={!canSignOut}>
            {canSignOut ? t('session.signOut') : t('session.signOutInCall')}
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
