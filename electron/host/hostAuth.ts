import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  HOST_TOKEN_HEADER,
  HOST_WS_PROTOCOL,
  HOST_WS_TOKEN_PREFIX,
} from '../../shared/hostProtocol';

/**
 * Checks the per-launch token the page sends: in the `x-causerie-token` header on HTTP, and as an
 * offered WebSocket subprotocol on the upgrade (a browser WebSocket cannot set headers). Never a
 * cookie (cookies are shared by every port of 127.0.0.1) and never the query string of an API call.
 */
export interface TokenCheck {
  /** True when the request's token header holds the token. */
  header(req: IncomingMessage): boolean;
  /** True when one of the offered subprotocols is `causerie.token.<the token>`. */
  upgrade(req: IncomingMessage): boolean;
  /** True when `candidate` is the token; constant time for candidates of its length. */
  matches(candidate: string | null | undefined): boolean;
}

export function createTokenCheck(token: string): TokenCheck {
  const tokenBytes = Buffer.from(token);
  const matches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  return {
    matches,
    header(req) {
      const value = req.headers[HOST_TOKEN_HEADER];
      return typeof value === 'string' && matches(value);
    },
    upgrade(req) {
      return offeredProtocols(req).some(
        (protocol) =>
          protocol.startsWith(HOST_WS_TOKEN_PREFIX) &&
          matches(protocol.slice(HOST_WS_TOKEN_PREFIX.length)),
      );
    },
  };
}

/**
 * The subprotocol the server selects: the plain protocol name, never the one carrying the token,
 * so the token is not echoed back in the response headers.
 */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(HOST_WS_PROTOCOL) ? HOST_WS_PROTOCOL : false;
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
