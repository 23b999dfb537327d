/**
 * The Redis version reddish reports (HELLO, INFO redis_version). Clients and
 * tools gate features on it, and reddish follows Redis 7.0's behaviour.
 */
export const REDIS_VERSION = '7.0.15';

/** reddish's own version, reported beside it in INFO. */
export const REDDISH_VERSION = '0.1.0';
