import { useState } from 'react';
import { useAppActions } from '../../app/appActions';
import { useT } from '../../i18n/useT';
import { imageHost } from './safeUrl';

/** Images loaded this session, by URL: a message scrolled away and back does not fetch again. */
const loadedImages = new Map<string, string>();

/**
 * A remote image in a reply. Never fetched by the page (its CSP allows no remote source, and the
 * URL could carry conversation text to a stranger's server): a placeholder names the host, and a
 * click asks the core to fetch it (`images.fetch`), which hands back a checked `data:` URL.
 */
export function RemoteImage({ src, alt }: { src: string; alt: string }) {
  const { t } = useT();
  const actions = useAppActions();
  const [dataUrl, setDataUrl] = useState(() => loadedImages.get(src));
  const [loading, setLoading] = useState(false);
  const host = imageHost(src);

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
  const load = async () => {
    setLoading(true);
    const image = await actions.call('images.fetch', { url: src });
    setLoading(false);
    if (!image) return;
    loadedImages.set(src, image.dataUrl);
    setDataUrl(image.dataUrl);
  };
  return (
    <span className="image-placeholder" title={src}>
      {t('markdown.imageBlocked', { host })}
      {alt ? ` — ${alt}` : ''}{' '}
      <button
        type="button"
        className="image-load"
        disabled={loading}
        aria-label={t('markdown.loadImageFrom', { host })}
        onClick={() => void load()}
      >
        {loading ? t('markdown.loadingImage') : t('markdown.loadImage')}
      </button>
    </span>
  );
}
