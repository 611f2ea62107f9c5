import { useState, type MouseEvent, type ReactNode } from 'react';
import { useT } from '../ui/useT';
import { ChoiceDialog } from '../ui/ChoiceDialog';
import { linkCaution, openableUrl } from './safeUrl';

/**
 * A link from a reply. Only http(s) and mailto can open, in a new window (the system browser in
 * the app); the full URL is its title. One to this machine or a private network, or an email link
 * that fills in the message, opens only after a dialog that shows the whole address.
 */
export function SafeLink({ href, children }: { href: string; children: ReactNode }) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const url = openableUrl(href);
  if (!url) {
    return (
      <span className="link-inert" title={href}>
        {children}
      </span>
    );
  }
  const caution = linkCaution(url);
  // Middle clicks too (auxclick): they would open a new window without a click event.
  const ask = (event: MouseEvent) => {
    if (event.type === 'auxclick' && event.button !== 1) return;
    event.preventDefault();
    setAsking(true);
  };
  return (
    <>
      <a
        href={url.href}
        title={url.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        onClick={caution ? ask : undefined}
        onAuxClick={caution ? ask : undefined}
      >
        {children}
      </a>
      {asking && caution ? (
        <ChoiceDialog
          title={t(caution === 'local' ? 'markdown.localLinkTitle' : 'markdown.mailtoLinkTitle')}
          message={t(
            caution === 'local' ? 'markdown.localLinkMessage' : 'markdown.mailtoLinkMessage',
          )}
          detail={url.href}
          cancelLabel={t('markdown.cancel')}
          choices={[
            {
              label: t('markdown.openLink'),
              onChoose: () => {
                setAsking(false);
                window.open(url.href, '_blank', 'noopener,noreferrer');
              },
            },
          ]}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </>
  );
}
