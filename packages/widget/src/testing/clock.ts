/**
 * A fake clock and tab visibility for the polling tests of the counter and the accountability element.
 * Not part of the bundle.
 */
import { settle } from './fixtures.ts';

/**
 * A fake clock for the polling tests: replaces setTimeout/clearTimeout and Date.now, runs due timers on
 * `tick`. Mocha keeps its own timer references, and `settle()` waits with MessageChannel, so neither is
 * affected.
 */
export function installClock() {
  const original = { setTimeout: window.setTimeout, clearTimeout: window.clearTimeout, now: Date.now };
  let now = Date.now();
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  window.setTimeout = ((run: () => void, delay = 0) => {
    timers.set(nextId, { at: now + delay, run });
    return nextId++;
  }) as typeof window.setTimeout;
  window.clearTimeout = ((id: number) => timers.delete(id)) as typeof window.clearTimeout;
  Date.now = () => now;
  return {
    /** Delays of the timers still pending, from now. */
    pending: () => [...timers.values()].map((timer) => timer.at - now),
    async tick(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.run();
      }
      await settle();
    },
    restore() {
      Object.assign(window, { setTimeout: original.setTimeout, clearTimeout: original.clearTimeout });
      Date.now = original.now;
    },
  };
}

export function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}
