import { useTranslation } from 'react-i18next';
import { Button, Heading } from 'react-aria-components';
import { X } from 'lucide-react';

/** A desk dialog's title and its close button. */
export function DialogHead({ title, close }: { title: string; close: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="dialog-head">
      <Heading slot="title">{title}</Heading>
      <Button className="icon-button" aria-label={t('settings.close')} onPress={close}>
        <X aria-hidden size={18} />
      </Button>
    </div>
  );
}
