import type { WdStrings } from './strings.js';

/** The localized "what to do" for a `device_*` error (undefined for any other error). */
export function deviceErrorText(t: (key: keyof WdStrings) => string, error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('device_')) return undefined;
  const key = `errorDevice_${code.slice('device_'.length)}` as keyof WdStrings;
  return t(key) === key ? t('errorDevice_unavailable') : t(key);
}
