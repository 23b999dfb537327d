/**
 * Client-side caching's CLIENT subcommands: TRACKING, CACHING, GETREDIR
 * and TRACKINGINFO, as networking.c's clientCommand parses and answers
 * them in 7.0.15. The tracking itself (remembering keys, invalidations)
 * is server/client-tracking.ts.
 */
import { errors, prefixOverlapsExisting, prefixOverlapsProvided } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { TrackingOptions } from '../server/client-tracking.js';
import { lowercaseCString, readInteger } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/** stringCheckPrefix: two prefixes overlap when one starts the other (they would both match some key). */
function prefixesOverlap(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/**
 * checkPrefixCollisionsOrReply, with its return value: false stops the
 * command. Two overlapping prefixes in the same call are reported, but
 * Redis 7.0.15 returns the first one's index there, so unless it is the
 * very first prefix the command goes on, turns tracking on with every
 * prefix and answers +OK after the error: two replies to one command.
 * reddish answers the same bytes.
 */
function checkPrefixCollisions(c: Client, prefixes: readonly string[]): boolean {
  const existing = c.tracking?.sortedPrefixes() ?? [];
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i]!;
    for (const have of existing) {
      if (prefixesOverlap(have, prefix)) {
        c.reply.error(prefixOverlapsExisting(prefix, have));
        return false;
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (prefixesOverlap(prefix, prefixes[j]!)) {
        c.reply.error(prefixOverlapsProvided(prefix, prefixes[j]!));
        return i !== 0;
      }
    }
  }
  return true;
}

/** CLIENT TRACKING (ON | OFF) [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
function clientTrackingCommand(c: Client, argv: string[]): void {
  let redirect = 0;
  const options: TrackingOptions = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  // Options are read (and REDIRECT checked) even for OFF, as Redis reads them.
  for (let j = 3; j < argv.length; j++) {
    const moreArgs = j < argv.length - 1;
    const option = lowercaseCString(argv[j]!);
    if (option === 'redirect' && moreArgs) {
      j++;
      if (redirect !== 0) {
        c.reply.error(errors.trackingRedirectTwice);
        return;
      }
      const id = readInteger(c, argv[j]!);
      if (id === null) return;
      // The client must exist now, though it may go later (then: broken redirect).
      if (!c.server.clients.has(id)) {
        c.reply.error(errors.trackingRedirectMissing);
        return;
      }
      redirect = id;
    } else if (option === 'bcast') {
      options.bcast = true;
    } else if (option === 'optin') {
      options.optin = true;
    } else if (option === 'optout') {
      options.optout = true;
    } else if (option === 'noloop') {
      options.noloop = true;
    } else if (option === 'prefix' && moreArgs) {
      prefixes.push(argv[++j]!);
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }

  const mode = lowercaseCString(argv[2]!);
  if (mode === 'on') {
    const state = c.tracking;
    const on = state !== null && state.on;
    if (!options.bcast && prefixes.length !== 0) {
      c.reply.error(errors.trackingPrefixWithoutBcast);
      return;
    }
    if (on && state.bcast !== options.bcast) {
      c.reply.error(errors.trackingBcastSwitch);
      return;
    }
    if (options.bcast && (options.optin || options.optout)) {
      c.reply.error(errors.trackingOptinOptoutWithBcast);
      return;
    }
    if (options.optin && options.optout) {
      c.reply.error(errors.trackingOptinAndOptout);
      return;
    }
    if (on && ((options.optin && state.optout) || (options.optout && state.optin))) {
      c.reply.error(errors.trackingOptinOptoutSwitch);
      return;
    }
    if (options.bcast && !checkPrefixCollisions(c, prefixes)) return;
    c.server.tracking.enable(c, redirect, options, prefixes);
  } else if (mode === 'off') {
    c.server.tracking.disable(c);
  } else {
    c.reply.error(errors.syntax);
    return;
  }
  c.reply.raw(shared.ok);
}

export const clientTrackingSpec: CommandSpec = {
  name: 'tracking',
  arity: -3,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Enable or disable server assisted client side caching support',
  since: '6.0.0',
  complexity: 'O(1). Some options may introduce additional complexity.',
  syntax: '(ON | OFF) [REDIRECT client-id:integer] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]',
  handler: clientTrackingCommand,
};

/**
 * CLIENT CACHING YES | NO: under OPTIN, track the keys of the next command
 * (or transaction); under OPTOUT, don't. The flag is dropped after that
 * command (ClientTracking.commandArriving).
 */
function clientCachingCommand(c: Client, argv: string[]): void {
  const state = c.tracking;
  if (state === null || !state.on) {
    c.reply.error(errors.cachingWithoutTracking);
    return;
  }
  const answer = lowercaseCString(argv[2]!);
  if (answer === 'yes') {
    if (!state.optin) {
      c.reply.error(errors.cachingYesWithoutOptin);
      return;
    }
  } else if (answer === 'no') {
    if (!state.optout) {
      c.reply.error(errors.cachingNoWithoutOptout);
      return;
    }
  } else {
    c.reply.error(errors.syntax);
    return;
  }
  state.caching = true;
  c.reply.raw(shared.ok);
}

export const clientCachingSpec: CommandSpec = {
  name: 'caching',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Instruct the server about tracking or not keys in the next request',
  since: '6.0.0',
  complexity: 'O(1)',
  syntax: '(YES | NO)',
  handler: clientCachingCommand,
};

/** CLIENT GETREDIR: the redirect id, 0 without one, -1 when tracking is off. */
function clientGetredirCommand(c: Client): void {
  const state = c.tracking;
  c.reply.integer(state !== null && state.on ? state.redirect : -1);
}

export const clientGetredirSpec: CommandSpec = {
  name: 'getredir',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Get tracking notifications redirection client ID if any',
  since: '6.0.0',
  complexity: 'O(1)',
  handler: clientGetredirCommand,
};

/** CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
function clientTrackinginfoCommand(c: Client): void {
  const state = c.tracking;
  const on = state !== null && state.on;
  const flags = [on ? 'on' : 'off'];
  if (state !== null) {
    if (state.bcast) flags.push('bcast');
    if (state.optin) {
      flags.push('optin');
      if (state.caching) flags.push('caching-yes');
    }
    if (state.optout) {
      flags.push('optout');
      if (state.caching) flags.push('caching-no');
    }
    if (state.noloop) flags.push('noloop');
    if (state.brokenRedirect) flags.push('broken_redirect');
  }
  const reply = c.reply;
  reply.mapHeader(3);
  reply.bulk('flags');
  reply.setHeader(flags.length);
  for (const flag of flags) reply.bulk(flag);
  reply.bulk('redirect');
  reply.integer(on ? state.redirect : -1);
  reply.bulk('prefixes');
  reply.bulkArray(state?.sortedPrefixes() ?? []);
}

export const clientTrackinginfoSpec: CommandSpec = {
  name: 'trackinginfo',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Return information about server assisted client side caching for the current connection',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: clientTrackinginfoCommand,
};
