import type { ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Popover } from 'react-aria-components';

/** A call-bar button that opens a small panel below it (dialling out, the dial pad): the bar stays one line. */
export function BarPopover({ icon, label, placement, children }: { icon: ReactNode; label: string; placement: 'bottom start' | 'bottom end'; children: (close: () => void) => ReactNode }) {
  return (
    <DialogTrigger>
      <Button className="bar-button">
        {icon}
        {label}
      </Button>
      <Popover placement={placement} className="popover">
        <Dialog aria-label={label}>{({ close }) => children(close)}</Dialog>
      </Popover>
    </DialogTrigger>
  );
}
