// Where push subscriptions live: per uid, per device. Behind a small interface:
// the file store here suits one token-service process without call history
// (its instances would each see only the subscriptions made through them);
// with the service user's credentials the token service keeps them in
// JetStream instead, shared by every instance (jetstream-store.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredSubscription {
  deviceId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** Ms since the epoch: when this device last (re)registered. */
  updatedAt: number;
}

export interface PushStore {
  list(uid: string): Promise<StoredSubscription[]>;
  /** Add or replace the device's subscription; 'full' (nothing changes) when the uid already has `maxDevices` others. */
  put(uid: string, sub: StoredSubscription, maxDevices: number): Promise<'added' | 'updated' | 'full'>;
  /** Remove a device's subscription; false when there was none. */
  remove(uid: string, deviceId: string): Promise<boolean>;
}

/** `subs` with `sub` added or replacing its device; 'full' when the uid already has `maxDevices` others. */
export function withDevice(subs: StoredSubscription[], sub: StoredSubscription, maxDevices: number): { next: StoredSubscription[]; result: 'added' | 'updated' | 'full' } {
  // One browser, one entry: its endpoint registered again under a new device id replaces the old one.
  const others = subs.filter((s) => s.deviceId !== sub.deviceId && s.endpoint !== sub.endpoint);
  if (others.length >= maxDevices) return { next: subs, result: 'full' };
  return { next: [...others, sub], result: others.length !== subs.length ? 'updated' : 'added' };
}

/** Subscriptions in memory, written to `file` (mode 0600) after each change when a file is given. */
export class FilePushStore implements PushStore {
  private readonly byUid = new Map<string, StoredSubscription[]>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      let saved: Record<string, StoredSubscription[]>;
      try {
        saved = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`push subscriptions: cannot read ${file}: ${(e as Error).message}`);
      }
      for (const [uid, subs] of Object.entries(saved)) this.byUid.set(uid, subs);
    }
  }

  async list(uid: string): Promise<StoredSubscription[]> {
    return [...(this.byUid.get(uid) ?? [])];
  }

  async put(uid: string, sub: StoredSubscription, maxDevices: number): Promise<'added' | 'updated' | 'full'> {
    const { next, result } = withDevice(this.byUid.get(uid) ?? [], sub, maxDevices);
    if (result === 'full') return result;
    this.byUid.set(uid, next);
    this.save();
    return result;
  }

  async remove(uid: string, deviceId: string): Promise<boolean> {
    const subs = this.byUid.get(uid) ?? [];
    const left = subs.filter((s) => s.deviceId !== deviceId);
    if (left.length === subs.length) return false;
    if (left.length) this.byUid.set(uid, left);
    else this.byUid.delete(uid);
    this.save();
    return true;
  }

  private save() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    // Write then rename: a crash mid-write leaves the old file, not half a JSON document.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.byUid)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
