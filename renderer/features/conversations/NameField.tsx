import { useEffect, useRef, useState } from 'react';

/**
 * An inline name field (a conversation title, a folder name): focused and selected at once;
 * Enter or leaving the field keeps the text, Esc gives back `initial`. `onDone` runs once.
 */
export function NameField(props: {
  initial: string;
  label: string;
  placeholder?: string;
  maxLength: number;
  onDone: (name: string) => void;
}) {
  const [value, setValue] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const finish = (name: string) => {
    if (done.current) return;
    done.current = true;
    props.onDone(name.trim());
  };
  return (
    <input
      ref={input}
      className="rename-field"
      aria-label={props.label}
      placeholder={props.placeholder}
      maxLength={props.maxLength}
      value={value}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => finish(value)}
      onKeyDown={(event) => {
        if (event.nativeEvent.isComposing) return;
        if (event.key === 'Enter') {
          event.preventDefault();
          finish(value);
        }
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          finish(props.initial);
        }
      }}
    />
  );
}
