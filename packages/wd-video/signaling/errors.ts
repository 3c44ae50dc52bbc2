// Errors with a string `code` to match on and, where Wilddog had one, its
// numeric code. The original failure is kept in `cause`.

/** Wilddog Video's numeric error codes, beside our string codes. */
export const ErrorCodes = {
  token_expired: 41001,
  token_invalid: 41002,
  not_connected: 41003,
  connect_failed: 41004,
  device_unavailable: 41005,
  operation_timeout: 41006,
  conversation_timeout: 41007,
  // Finer kinds of Wilddog's 41005, one per thing a person can do about it
  // (media/device-errors.ts maps each getUserMedia failure to one).
  device_permission_denied: 41005,
  device_not_found: 41005,
  device_busy: 41005,
  device_overconstrained: 41005,
  device_unsupported: 41005,
} as const;

export type ErrorCode =
  | keyof typeof ErrorCodes
  | 'invalid_argument'
  | 'data_too_large'
  | 'permission_denied'
  | 'media_failed'
  | 'ice_failed'
  | 'invalid_state'
  | 'sign_in_failed'
  /** The browser has no WebRTC (RTCPeerConnection): it cannot place or take calls. */
  | 'webrtc_unsupported'
  /** Web Push: no service worker, Notification or PushManager here, or the browser's push service refused a subscription. */
  | 'push_unsupported'
  /** Web Push: the person did not allow notifications. */
  | 'push_denied'
  /** Web Push: the token service refused (push not configured, too many devices, ...); the message says why. */
  | 'push_failed'
  /** The call history service did not answer (not configured, or down). */
  | 'history_unavailable';

export class WdVideoError extends Error {
  /** Wilddog-style numeric code (41001..41007; every `device_*` code is 41005), or 0 when Wilddog had none. */
  readonly errorCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WdVideoError';
    this.errorCode = (ErrorCodes as Record<string, number>)[code] ?? 0;
  }
}
