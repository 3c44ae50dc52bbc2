import { addBuiltIns } from './localize.js';
import type { WdStrings } from './strings.js';

let loading: Promise<void> | undefined;

/** The advice texts, a chunk of their own: loaded the first time an error is to be shown. */
export function loadDeviceErrorText(): Promise<void> {
  return (loading ??= import('./device-error-strings.js').then((m) => addBuiltIns({ en: m.deviceErrorsEn, 'zh-CN': m.deviceErrorsZhCN })));
}

/** The localized "what to do" for a `device_*` error (undefined for any other error). Needs loadDeviceErrorText() first. */
export function deviceErrorText(t: (key: keyof WdStrings) => string, error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('device_')) return undefined;
  const key = `errorDevice_${code.slice('device_'.length)}` as keyof WdStrings;
  return t(key) === key ? t('errorDevice_unavailable') : t(key);
}
