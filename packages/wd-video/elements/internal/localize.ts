import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, zhCN, type WdStrings } from './strings.js';

const tables: Record<string, Partial<Record<string, string>>> = { en: {}, 'zh-CN': {} };
const builtIn: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };
const hosts = new Set<LocalizeController>();
let observer: MutationObserver | undefined;

/**
 * Overrides labels for every element in one language (`'en'`, `'zh-CN'`, or any
 * other tag: missing labels fall back to English). Per-element overrides go in
 * the element's `strings` property or attribute.
 */
export function setStrings(lang: string, strings: Partial<WdStrings> & Partial<Record<string, string>>): void {
  const key = normalize(lang);
  tables[key] = { ...tables[key], ...strings };
  for (const h of hosts) h.host.requestUpdate();
}

/**
 * Adds built-in labels that arrive in a lazy chunk (device error advice), for
 * every element; re-renders them. Page overrides (setStrings, `strings`) still win.
 */
export function addBuiltIns(byLang: Record<string, Record<string, string>>): void {
  for (const [lang, strings] of Object.entries(byLang)) builtIn[lang] = { ...strings, ...builtIn[lang] };
  for (const h of hosts) h.host.requestUpdate();
}

/** `zh`, `zh-Hans`, `zh-cn`… all mean the Simplified Chinese table. */
function normalize(lang: string): string {
  const l = lang.trim();
  if (/^zh\b/i.test(l)) return 'zh-CN';
  if (/^en\b/i.test(l) || !l) return 'en';
  return l;
}

/** The language in effect for `el`: its own or closest `lang` (across shadow roots), the document's, the browser's. */
export function langOf(el: Element): string {
  for (let n: Node | null = el; n; ) {
    if (n instanceof Element && n.getAttribute('lang')) return n.getAttribute('lang')!;
    const parent: Node | null = n.parentNode;
    n = parent instanceof ShadowRoot ? parent.host : parent;
  }
  return document.documentElement.lang || navigator.language || 'en';
}

export interface Localized extends ReactiveControllerHost, Element {
  strings?: Partial<WdStrings>;
}

/**
 * Gives a host its labels and re-renders it when a `lang` attribute anywhere
 * changes. `Extra` is a table of the host's own, loaded later with `extend()`
 * (an element whose labels live in its lazy chunk).
 */
export class LocalizeController<Extra extends Record<string, string> = Record<never, string>> implements ReactiveController {
  private extra: Record<string, Partial<Extra>> = {};

  constructor(readonly host: Localized) {
    host.addController(this);
  }

  /** Adds the host's own built-in labels, per language (English is the fallback). */
  extend(builtIns: { en: Extra } & Record<string, Partial<Extra>>): void {
    this.extra = builtIns;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    hosts.add(this);
    if (!observer) {
      observer = new MutationObserver(() => hosts.forEach((h) => h.host.requestUpdate()));
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    }
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  get lang(): string {
    return normalize(langOf(this.host));
  }

  /** The label `key` with `{name}` placeholders filled from `vars` (as text, never HTML). */
  t(key: keyof WdStrings | (keyof Extra & string), vars: Record<string, string | number> = {}): string {
    const lang = this.lang;
    const base = lang.split('-')[0]!;
    const k = key as string;
    const own = (table: Partial<Record<string, string>> | undefined) => table?.[k];
    const s =
      own(this.host.strings as Record<string, string> | undefined) ??
      own(tables[lang]) ??
      own(builtIn[lang]) ??
      own(this.extra[lang] as Record<string, string> | undefined) ??
      own(tables[base]) ??
      own(tables.en) ??
      own(builtIn.en) ??
      own(this.extra.en as Record<string, string> | undefined) ??
      k;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
}

/** Lit attribute converter for `strings='{"accept": "Pick up"}'`; bad JSON is ignored. */
export const stringsConverter = {
  fromAttribute(value: string | null): Partial<WdStrings> | undefined {
    if (!value) return undefined;
    try {
      const v: unknown = JSON.parse(value);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<WdStrings>) : undefined;
    } catch {
      console.warn('wd-video: the strings attribute is not valid JSON; using the built-in labels');
      return undefined;
    }
  },
  toAttribute(value: Partial<WdStrings> | undefined): string | null {
    return value ? JSON.stringify(value) : null;
  },
};
