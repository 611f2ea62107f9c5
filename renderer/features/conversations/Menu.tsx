import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../ui/useT';

/** One entry of a {@link MenuButton}'s menu. */
export interface MenuEntry {
  key: string;
  label: string;
  /**
   * Runs once the menu has closed and focus is back on its button. It may be async: the menu does
   * not wait for it, and the named actions it calls show their own errors.
   */
  onSelect?: () => void | Promise<void>;
  /** Shows these entries in place of the menu (a submenu); Esc or ← comes back. */
  submenu?: MenuEntry[];
  /** A choice among several (e.g. the folder a conversation is in): a menuitemradio. */
  checked?: boolean;
  danger?: boolean;
}

const ITEM_SELECTOR = '[role^="menuitem"]';
const BACK_KEY = '__back';

/**
 * A button that opens a menu, following the WAI-ARIA menu button pattern: ↑/↓/Home/End move
 * between items, Enter or Space picks one, Esc closes and gives focus back to the button, and a
 * submenu opens in place (→ or Enter) and closes with ← or Esc. The menu is drawn in a portal
 * with a fixed position, so the sidebar's scrolling box cannot clip it; it closes when the list
 * scrolls, the window resizes or a click lands elsewhere.
 */
export function MenuButton(props: {
  label: string;
  className?: string;
  /** Built when the menu opens, so rows do not subscribe to what only the menu needs. */
  entries: () => MenuEntry[];
  children: ReactNode;
}) {
  const { t } = useT();
  const menuId = useId();
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  // The submenu shown, by the key of the entry that opened it; null for the top level.
  const [submenuKey, setSubmenuKey] = useState<string | null>(null);
  // Where focus goes when the entries change: the first item, or the entry a submenu came from.
  const focusKey = useRef<string | null>(null);

  const entries = open ? props.entries() : [];
  const submenuParent = submenuKey ? entries.find((entry) => entry.key === submenuKey) : undefined;
  const shown = submenuParent?.submenu ?? entries;

  const close = (refocus: boolean) => {
    setOpen(false);
    setSubmenuKey(null);
    if (refocus) trigger.current?.focus();
  };

  // Place the menu under its button (or above, when there is no room below) before it paints.
  useLayoutEffect(() => {
    const panel = menu.current;
    const button = trigger.current;
    if (!open || !panel || !button) return;
    const anchor = button.getBoundingClientRect();
    const { offsetWidth: width, offsetHeight: height } = panel;
    const below = anchor.bottom + 4;
    const top =
      below + height > window.innerHeight - 8 ? Math.max(8, anchor.top - height - 4) : below;
    panel.style.top = `${top}px`;
    panel.style.left = `${Math.max(8, Math.min(anchor.right - width, window.innerWidth - width - 8))}px`;
    const items = [...panel.querySelectorAll<HTMLElement>(ITEM_SELECTOR)];
    const target =
      items.find((item) => item.dataset.key === focusKey.current) ??
      items.find((item) => item.getAttribute('aria-checked') === 'true') ??
      items.find((item) => item.dataset.key !== BACK_KEY);
    target?.focus();
  }, [open, submenuKey]);

  useEffect(() => {
    if (!open) return;
    const dismiss = () => {
      setOpen(false);
      setSubmenuKey(null);
    };
    const inside = (target: EventTarget | null) =>
      target instanceof Node &&
      (menu.current?.contains(target) === true || trigger.current?.contains(target) === true);
    const onPointerDown = (event: PointerEvent) => {
      if (!inside(event.target)) dismiss();
    };
    const onScroll = (event: Event) => {
      if (!inside(event.target)) dismiss();
    };
    const onResize = dismiss;
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onResize);
    };
  }, [open]);

  const openSubmenu = (entry: MenuEntry) => {
    focusKey.current = null;
    setSubmenuKey(entry.key);
  };
  const leaveSubmenu = () => {
    focusKey.current = submenuKey;
    setSubmenuKey(null);
  };

  const activate = (entry: MenuEntry) => {
    if (entry.submenu) {
      openSubmenu(entry);
      return;
    }
    close(true);
    void entry.onSelect?.();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => items[(index + items.length) % items.length]?.focus();
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    switch (event.key) {
      case 'ArrowDown':
        handled();
        move(at + 1);
        return;
      case 'ArrowUp':
        handled();
        move(at < 0 ? -1 : at - 1);
        return;
      case 'Home':
        handled();
        move(0);
        return;
      case 'End':
        handled();
        move(-1);
        return;
      case 'ArrowRight': {
        const entry = shown.find((candidate) => candidate.key === items[at]?.dataset.key);
        if (entry?.submenu) {
          handled();
          openSubmenu(entry);
        }
        return;
      }
      case 'ArrowLeft':
        if (submenuKey) {
          handled();
          leaveSubmenu();
        }
        return;
      case 'Escape':
        handled();
        if (submenuKey) leaveSubmenu();
        else close(true);
        return;
      case 'Tab':
        handled();
        close(true);
        return;
    }
  };

  return (
    <>
      <button
        ref={trigger}
        type="button"
        className={props.className}
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          if (open) {
            close(false);
            return;
          }
          focusKey.current = null;
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            focusKey.current = null;
            setOpen(true);
          }
        }}
      >
        {props.children}
      </button>
      {open
        ? createPortal(
            <div
              ref={menu}
              id={menuId}
              className="menu"
              role="menu"
              aria-label={submenuParent ? submenuParent.label : props.label}
              onKeyDown={onMenuKeyDown}
            >
              {submenuParent ? (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="menu-back"
                  data-key={BACK_KEY}
                  onClick={leaveSubmenu}
                >
                  <span aria-hidden="true">‹ </span>
                  {t('menu.back')}
                </button>
              ) : null}
              {shown.map((entry) => (
                <button
                  key={entry.key}
                  type="button"
                  role={entry.checked === undefined ? 'menuitem' : 'menuitemradio'}
                  aria-checked={entry.checked}
                  aria-haspopup={entry.submenu ? 'menu' : undefined}
                  tabIndex={-1}
                  data-key={entry.key}
                  className={entry.danger ? 'menu-danger' : undefined}
                  onClick={() => activate(entry)}
                >
                  {entry.checked === undefined ? null : (
                    <span className="menu-check" aria-hidden="true">
                      {entry.checked ? '✓' : ''}
                    </span>
                  )}
                  <span className="menu-label">{entry.label}</span>
                  {entry.submenu ? (
                    <span className="menu-arrow" aria-hidden="true">
                      ›
                    </span>
                  ) : null}
                </button>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
