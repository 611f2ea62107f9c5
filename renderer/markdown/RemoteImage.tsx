import { useCallback, useEffect, useState } from 'react';
import { useAppActions } from '../actions/appActions';
import { useT } from '../ui/useT';
import { useAppStore } from '../stores/useAppStore';
import { imageHost } from './safeUrl';

/** Images loaded this session, by URL: a message scrolled away and back does not fetch again. */
const loadedImages = new Map<string, string>();

/**
 * A remote image in a reply. Never fetched by the page (its CSP allows no remote source, and the
 * URL could carry conversation text to a stranger's server): a placeholder names the host, and a
 * click asks the core to fetch it (`images.fetch`), which hands back a checked `data:` URL. A
 * conversation can allow its images, which then load without the click.
 */
export function RemoteImage({ src, alt }: { src: string; alt: string }) {
  const { t } = useT();
  const actions = useAppActions();
  const [dataUrl, setDataUrl] = useState(() => loadedImages.get(src));
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const allowed = useAppStore(
    (state) =>
      state.conversations.find((c) => c.id === state.threadConversationId)?.allowRemoteImages ??
      false,
  );
  const host = imageHost(src);
  const load = useCallback(async () => {
    setLoading(true);
    const image = await actions.fetchRemoteImage({ url: src });
    setLoading(false);
    if (!image) {
      setFailed(true);
      return;
    }
    loadedImages.set(src, image.dataUrl);
    setDataUrl(image.dataUrl);
  }, [actions, src]);

  // Allowed images load on their own, once: after a failure the button is there to try again.
  const autoLoading = allowed && host !== null && !dataUrl && !failed;
  useEffect(() => {
    if (!autoLoading) return;
    let dropped = false;
    void actions.fetchRemoteImage({ url: src }).then((image) => {
      if (dropped) return;
      if (!image) return setFailed(true);
      loadedImages.set(src, image.dataUrl);
      setDataUrl(image.dataUrl);
    });
    return () => {
      dropped = true;
    };
  }, [autoLoading, actions, src]);

  if (dataUrl) {
    return <img className="remote-image" src={dataUrl} alt={alt} title={src} />;
  }
  if (!host) {
    // Not an http(s) image: nothing to load, ever.
    return (
      <span className="image-placeholder" title={src}>
        {t('markdown.imageBlocked', { host: '?' })}
        {alt ? ` — ${alt}` : ''}
      </span>
    );
  }
  return (
    <span className="image-placeholder" title={src}>
      {t('markdown.imageBlocked', { host })}
      {alt ? ` — ${alt}` : ''}{' '}
      <button
        type="button"
        className="image-load"
        disabled={loading || autoLoading}
        aria-label={t('markdown.loadImageFrom', { host })}
        onClick={() => void load()}
      >
        {loading || autoLoading ? t('markdown.loadingImage') : t('markdown.loadImage')}
      </button>
      {allowed ? null : (
        <button
          type="button"
          className="image-load"
          onClick={() => void actions.updateConversation({ allowRemoteImages: true })}
        >
          {t('markdown.allowImages')}
        </button>
      )}
    </span>
  );
}
