// What ICE gathering produced, to say why a call found no media path. The
// common case on a development machine: Firefox skips every STUN/TURN server
// on a loopback address (unless about:config media.peerconnection.ice.loopback
// is true), so a relay-only call against a local coturn gathers nothing.

const MAX_ERRORS = 4;

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** The host of a `turn:`/`turns:`/`stun:` URL (`turn:host:port?transport=udp`). */
function hostOf(url: string): string {
  const rest = url.replace(/^[a-z]+:/i, '').split('?')[0]!;
  return rest.startsWith('[') ? rest.slice(0, rest.indexOf(']') + 1) : rest.split(':')[0]!;
}

export class GatheringLog {
  private candidates = 0;
  private readonly errors: string[] = [];

  candidate() {
    this.candidates++;
  }

  error(e: { url?: string; errorCode?: number; errorText?: string }) {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`${e.url ?? '?'} ${e.errorCode ?? ''}${e.errorText ? ` ${e.errorText}` : ''}`.trim());
  }

  /** Why no path could be made, when gathering is the reason; undefined when candidates were gathered. */
  explain(iceServers: readonly { urls: string | string[] }[], relayOnly: boolean): string | undefined {
    if (this.candidates > 0) return undefined;
    const parts = [relayOnly ? 'no relay candidate was gathered' : 'no local ICE candidate was gathered'];
    if (this.errors.length) parts.push(`ICE server errors: ${this.errors.join(', ')}`);
    const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
    if (relayOnly && urls.length === 0) parts.push('no TURN server was given');
    else if (urls.length > 0 && urls.every((u) => LOOPBACK_HOST.test(hostOf(u)))) {
      parts.push('the TURN servers are on a loopback address, which Firefox skips unless about:config media.peerconnection.ice.loopback is true (a development stack; in production TURN has a public address)');
    }
    return parts.join('; ');
  }
}
