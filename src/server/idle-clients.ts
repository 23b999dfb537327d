/**
 * `timeout`: clientsCronHandleTimeout. A client idle for more than
 * `timeout` seconds is closed, unless it is blocked (BLPOP and friends, or
 * held by CLIENT PAUSE), subscribed to a channel or pattern, or a MONITOR
 * (Redis's replicas). A client inside MULTI is not spared. Idle time is
 * counted in whole seconds from the last command, as Redis compares
 * `server.unixtime` with `c->lastinteraction`.
 */
import type { Connection } from './connection.js';

export interface IdleClientsContext {
  readonly clients: ReadonlyMap<number, Connection>;
  readonly monitors: { readonly size: number; has(client: Connection): boolean };
}

/** Closes the clients idle for longer than `maxIdleSeconds`; `now` is the clock's milliseconds. Returns how many. */
export function closeIdleClients(server: IdleClientsContext, maxIdleSeconds: number, now: number): number {
  const nowSeconds = Math.floor(now / 1000);
  let closed = 0;
  for (const client of server.clients.values()) {
    if (client.closed || client.blocked) continue;
    if (client.subscriptions !== null && client.subscriptions.total !== 0) continue;
    if (server.monitors.size !== 0 && server.monitors.has(client)) continue;
    if (nowSeconds - Math.floor(client.lastInteraction / 1000) <= maxIdleSeconds) continue;
    // Redis logs this at verbose, pino's debug.
    client.log.debug('Closing idle client');
    client.kill();
    closed++;
  }
  return closed;
}
