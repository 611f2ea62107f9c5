/**
 * How the page authenticates to the browser host. The token never travels in a cookie: cookies
 * are not separated by port, so every other server on 127.0.0.1 would receive it.
 */

/** The request header that carries the per-launch token on `/rpc`, uploads and the `/ws` probe. */
export const HOST_TOKEN_HEADER = 'x-causerie-token';

/** The WebSocket subprotocol the host selects; the only protocol name it ever echoes. */
export const HOST_WS_PROTOCOL = 'causerie';

/** A second offered subprotocol, `causerie.token.<token>`, carries the token on the upgrade. */
export const HOST_WS_TOKEN_PREFIX = 'causerie.token.';

/** The largest JSON body `POST /rpc/<method>` reads, and the largest WebSocket frame. */
export const MAX_RPC_BODY_BYTES = 4 * 1024 * 1024;

/** The largest model file an upload may write (a 70B model at 4 bits is about 40 GB). */
export const MAX_MODEL_UPLOAD_BYTES = 64 * 1024 ** 3;

/**
 * The largest export file `POST /upload/import` accepts (250 MB). It is streamed to disk first,
 * then read as one string: V8 strings stop just short of 512 MiB, so the cap stays well below.
 */
export const MAX_IMPORT_UPLOAD_BYTES = 250_000_000;
