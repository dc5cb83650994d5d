import { Injectable } from '@nestjs/common';

/**
 * The parts of an app that must run before it counts as ready, beyond its dependencies: the hub
 * listens on HTTP first and starts its ingresses and relay behind it (ADR 0019), so `/health/ready`
 * says 503 until each reports running, and again once a graceful stop has begun. The app's wiring
 * registers each part with a probe of its own state; nothing here knows what a part is.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly parts = new Map<string, () => boolean>();
  private readonly starts: Promise<void>[] = [];

  /**
   * `running` is asked on every readiness probe; it must be cheap and never throw. `started`, if
   * given, resolves once the part has started (in the background).
   */
  register(name: string, running: () => boolean, started?: Promise<void>): void {
    this.parts.set(name, running);
    if (started) this.starts.push(started);
  }

  /** Resolves once every part registered with a start has started (tests wait on it). */
  async started(): Promise<void> {
    await Promise.all(this.starts);
  }

  /** Each registered part and whether it runs now. */
  report(): Record<string, boolean> {
    return Object.fromEntries([...this.parts].map(([name, running]) => [name, running()]));
  }
}
