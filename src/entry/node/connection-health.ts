// The state of each long connection for /healthz: connected, connecting or down, and since when not connected.
import type { Clock } from "../../clock.ts";
import type { ConnectionState, ReportState } from "../../platforms/long-connection.ts";

/** A connection not connected for longer than this is down, and /healthz answers 503 (DESIGN §1). */
export const CONNECTION_DOWN_AFTER_MS = 60_000;

export interface ConnectionHealth {
  /** The reporter one connection writes its state changes to. */
  reporter(name: string): ReportState;
  /** Each connection's state now, and whether all are healthy; undefined when there are none. */
  snapshot(): { connections: Record<string, ConnectionState>; healthy: boolean } | undefined;
}

export function createConnectionHealth(now: Clock): ConnectionHealth {
  const connections = new Map<string, { state: ConnectionState; notConnectedSince?: number }>();
  return {
    reporter(name) {
      connections.set(name, { state: "connecting", notConnectedSince: now().getTime() });
      return (state) => {
        const previous = connections.get(name);
        const since = state === "connected" ? undefined : (previous?.notConnectedSince ?? now().getTime());
        connections.set(name, since === undefined ? { state } : { state, notConnectedSince: since });
      };
    },
    snapshot() {
      if (connections.size === 0) return undefined;
      const at = now().getTime();
      let healthy = true;
      const states: Record<string, ConnectionState> = {};
      for (const [name, { state, notConnectedSince }] of connections) {
        // Reconnecting for longer than the limit is being down, whatever the client calls it.
        const tooLong = notConnectedSince !== undefined && at - notConnectedSince > CONNECTION_DOWN_AFTER_MS;
        states[name] = tooLong ? "down" : state;
        if (tooLong) healthy = false;
      }
      return { connections: states, healthy };
    },
  };
}
