// Watching a call's media path: the bound on ICE connecting, ICE restarts when
// the path is lost, and the stats timer. It owns these timers and nothing
// else; the Conversation decides what a change means for the call's state
// (docs/states.md) through the hooks.
import type { CallTimers, TimerHandle } from './call-timers.js';
import { sampleStats, type StatsSample } from './media/stats.js';
import type { CallState } from './state.js';

export interface MediaWatchSettings {
  iceTimeout: number;
  iceRestartTimeout: number;
  iceRestarts: number;
  statsInterval: number;
}

export interface MediaWatchHooks {
  state(): CallState;
  peerConnection(): RTCPeerConnection | undefined;
  /** The path is up: move to `connected`; true when the state moved. */
  connected(): boolean;
  /** The path is lost: move to `reconnecting`. */
  lost(): void;
  /** No path could be made or restored. */
  failed(message: string): void;
  /** One ICE restart attempt (the caller offers again). */
  restart(): Promise<void>;
  stats(sample: StatsSample): void;
}

export class MediaWatch {
  private iceTimer: TimerHandle | undefined;
  private restartTimer: TimerHandle | undefined;
  private restarts = 0;
  private statsTimer: TimerHandle | undefined;
  private lastStats: StatsSample | undefined;

  constructor(
    private readonly settings: MediaWatchSettings,
    private readonly timers: CallTimers,
    private readonly hooks: MediaWatchHooks,
  ) {}

  /** Start the bound on ICE connecting (answer sent or applied). */
  armBound() {
    this.timers.clear(this.iceTimer);
    // No candidate ever gathered (bad TURN credentials) gives no `failed` state: our own bound ends it.
    this.iceTimer = this.timers.timeout(() => {
      const s = this.hooks.state();
      if (s === 'answering' || s === 'connecting') this.hooks.failed('no media path could be established');
    }, this.settings.iceTimeout);
  }

  onIceState(s: RTCIceConnectionState) {
    if (s === 'connected' || s === 'completed') {
      this.timers.clear(this.iceTimer);
      this.timers.clear(this.restartTimer);
      this.restartTimer = undefined;
      this.restarts = 0;
      if (this.hooks.connected() && !this.statsTimer) this.startStats();
      return;
    }
    const state = this.hooks.state();
    if ((s === 'disconnected' || s === 'failed') && (state === 'connected' || state === 'reconnecting')) {
      this.hooks.lost();
      // A short `disconnected` often heals by itself; `failed` needs a restart now.
      if (!this.restartTimer) this.restartTimer = this.timers.timeout(() => void this.restartIce(), s === 'failed' ? 0 : 2000);
    }
  }

  private async restartIce() {
    this.restartTimer = undefined;
    if (this.hooks.state() !== 'reconnecting') return;
    if (this.restarts >= this.settings.iceRestarts) return this.hooks.failed('the media path was lost and could not be restored');
    this.restarts++;
    await this.hooks.restart();
    if (this.hooks.state() === 'reconnecting') this.restartTimer = this.timers.timeout(() => void this.restartIce(), this.settings.iceRestartTimeout);
  }

  private startStats() {
    this.statsTimer = this.timers.interval(async () => {
      const pc = this.hooks.peerConnection();
      if (!pc || this.hooks.state() === 'closed') return;
      try {
        this.lastStats = await sampleStats(pc, this.lastStats);
        this.hooks.stats(this.lastStats);
      } catch {
        // getStats on a closing connection rejects; the next tick or stop() settles it.
      }
    }, this.settings.statsInterval);
  }

  stop() {
    this.timers.clear(this.iceTimer);
    this.timers.clear(this.restartTimer);
    this.timers.clear(this.statsTimer);
  }
}
