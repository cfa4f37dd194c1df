import { Button, Input, SearchField } from 'react-aria-components';
import { X } from 'lucide-react';
import css from './SearchBox.module.css';

export interface SearchBoxProps {
  label: string;
  placeholder: string;
  inputId?: string;
  autoFocus?: boolean;
  /** The knowledge pane's box is the desk's main field: larger type. */
  large?: boolean;
  /** Controlled here, or by a surrounding React Aria Autocomplete when left out. */
  value?: string;
  onChange?: (value: string) => void;
}

/** A search field with a clear button (Esc clears too), as every search on the desk has it. */
export function SearchBox({ label, placeholder, inputId, autoFocus, large, value, onChange }: SearchBoxProps) {
  return (
    <SearchField aria-label={label} className={css.field} data-large={large || undefined} autoFocus={autoFocus} {...(onChange ? { value, onChange } : {})}>
      <Input id={inputId} className={css.input} placeholder={placeholder} />
      <Button className={css.clear}>
        <X aria-hidden size={large ? 18 : 16} />
      </Button>
    </SearchField>
  );
}
