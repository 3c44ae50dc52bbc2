// Webhooks for the operator's backend: off unless a URL and a secret are configured.
import type { Config } from '../config.js';
import { createWebhookSender, type WebhookSender, type WebhookSenderOptions } from './sender.js';
import { webhookKey } from './signature.js';

export { createWebhookSender, DEFAULT_RETRY_DELAYS_MS, type WebhookSender, type WebhookStats } from './sender.js';
export { signatureHeaders, webhookKey } from './signature.js';
export { webhookMessage } from './payload.js';

/** The configured sender, or undefined when webhooks are off. checkConfig has vetted the pair. */
export function webhooksFromConfig(cfg: Config, extra: Partial<WebhookSenderOptions> = {}): WebhookSender | undefined {
  if (!cfg.webhookUrl || !cfg.webhookSecret) return undefined;
  const key = webhookKey(cfg.webhookSecret);
  if (typeof key === 'string') throw new Error(`config: webhookSecret (WD_WEBHOOK_SECRET) ${key}`);
  return createWebhookSender({ url: cfg.webhookUrl, key, ...extra });
}
