import { useT } from '../../ui/useT';
import { Dialog } from '../../ui/Dialog';
import { isMacPlatform } from '../../ui/platform';
import { SHORTCUTS } from './shortcuts';

/** Lists every keyboard shortcut. */
export function ShortcutsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const mac = isMacPlatform();
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>{t(shortcut.label)}</td>
              <td>
                <kbd>{shortcut.keys(mac)}</kbd>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
