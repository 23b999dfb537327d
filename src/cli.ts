#!/usr/bin/env node
/**
 * reddish-server [config-file] [--port N] [--bind addr] [--<parameter> value ...]
 *
 * Works like redis-server: an optional config file in redis.conf syntax,
 * then `--name value` pairs that override it. Both go through the same
 * parameter registry as CONFIG SET, so an unknown parameter or a bad value
 * is reported the same way (and exits 1). Logs are pino JSON lines.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import {
  Config,
  ConfigError,
  findParam,
  listenAddresses,
  parseParamValue,
  type ConfigOverrides,
  type ConfigValue,
} from './config.js';
import { splitInlineArgs } from './protocol/inline.js';
import { Server } from './server/server.js';
import { openLogDestination } from './log-destination.js';
import { RdbLoadError } from './persistence/rdb-file.js';
import { REDDISH_VERSION, REDIS_VERSION } from './version.js';

/** redis-server's built-in save points, which reddish-server keeps unless told otherwise. */
export const DEFAULT_SAVE_POINTS = '3600 1 300 100 60 10000';

/** How long an exiting server waits for its last log lines to be written. */
const LOG_FLUSH_TIMEOUT_MS = 1000;

const USAGE = `Usage: reddish-server [/path/to/redis.conf] [options]
       reddish-server -v or --version
       reddish-server -h or --help

Examples:
       reddish-server (run the server with default config)
       reddish-server /etc/redis/6379.conf
       reddish-server --port 7777
       reddish-server --port 7777 --requirepass secret --loglevel warning
       reddish-server /etc/myredis.conf --loglevel verbose

Every redis.conf parameter reddish knows can be given as --<name> <value>.
`;

/** A bad line of a config file (or of the command line); `line` and `text` locate it as redis-server does. */
class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly line: number,
    readonly text: string,
  ) {
    super(message);
  }
}

/**
 * Parses redis.conf text into validated values; throws ConfigFileError. Lines
 * apply in order, as loadServerConfigFromString applies them: a later line
 * overrides an earlier one, except client-output-buffer-limit, whose lines
 * each set only the classes they name.
 */
export function parseConfigText(
  source: string,
  content: string,
  values: ConfigOverrides = {},
  users: string[][] = [],
  state: ConfigParseState = { saveLoaded: false },
): ConfigOverrides {
  const current = values as Record<string, ConfigValue>;
  const lines = content.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const args = splitInlineArgs(line);
    if (args === null) throw new ConfigFileError('Unbalanced quotes in configuration line', source, n + 1, line);
    if (args.length === 0) continue;
    // ACL users: checked and loaded by the server (ACLAppendUserForLoading, ACLLoadConfiguredUsers).
    if (args[0]!.toLowerCase() === 'user' && args.length >= 2) {
      users.push(args.slice(1));
      continue;
    }
    const spec = findParam(args[0]!);
    if (!spec || args.length < 2) {
      throw new ConfigFileError('Bad directive or wrong number of arguments', source, n + 1, line);
    }
    // Only Redis's MULTI_ARG_CONFIG parameters (save, bind, ...) take several words.
    if (!spec.multiArg && args.length !== 2) throw new ConfigFileError('wrong number of arguments', source, n + 1, line);
    const parsed = parseParamValue(spec, args.slice(1).join(' '), current[spec.name]);
    if ('error' in parsed) throw new ConfigFileError(parsed.error, source, n + 1, line);
    if (spec.name === 'save' && state.saveLoaded && parsed.value !== '' && current.save !== '') {
      // setConfigSaveOption: the first save line replaces the defaults, later ones add save points.
      current.save = `${String(current.save)} ${String(parsed.value)}`;
      continue;
    }
    if (spec.name === 'save') state.saveLoaded = true;
    current[spec.name] = parsed.value;
  }
  return values;
}

/** What carries over from the config file's lines to the command line's. */
export interface ConfigParseState {
  saveLoaded: boolean;
}

/** Turns `--port 7777 --save "" --bind a b` into config lines, as redis-server does. */
export function argvToConfigText(args: readonly string[]): string {
  const lines: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('--')) {
      lines.push(arg.slice(2));
    } else if (lines.length === 0) {
      throw new ConfigFileError(`Invalid argument '${arg}': options must start with --`, 'command line', 0, arg);
    } else {
      lines[lines.length - 1] += ' ' + quote(arg);
    }
  }
  return lines.join('\n');
}

function quote(arg: string): string {
  return '"' + arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

async function main(args: string[]): Promise<void> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`reddish server v=${REDDISH_VERSION} (redis-compatible ${REDIS_VERSION}) node=${process.version}\n`);
    return;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  let configFile: string | undefined;
  let config: Config;
  let values: ConfigOverrides = { save: DEFAULT_SAVE_POINTS };
  const users: string[][] = [];
  const parseState: ConfigParseState = { saveLoaded: false };
  try {
    if (args.length > 0 && !args[0]!.startsWith('--')) {
      configFile = args.shift()!;
      values = parseConfigText(configFile, readFileSync(configFile, 'latin1'), values, users, parseState);
    }
    values = parseConfigText('command line', argvToConfigText(args), values, users, parseState);
    config = new Config(values);
  } catch (err) {
    const fatal = `\n*** FATAL CONFIG FILE ERROR (reddish ${REDDISH_VERSION}) ***\n`;
    if (err instanceof ConfigFileError) {
      process.stderr.write(
        fatal + `Reading the configuration file, at line ${err.line} (${err.source})\n` + `>>> '${err.text}'\n${err.message}\n`,
      );
    } else if (err instanceof ConfigError) {
      // Each line was fine; together they ask for something reddish can't do.
      process.stderr.write(fatal + `${err.param}: ${err.reason}\n`);
    } else {
      process.stderr.write(`Fatal error, can't open config file '${configFile}': ${(err as Error).message}\n`);
    }
    process.exit(1);
  }

  const level = { debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn' }[config.get('loglevel')];
  const logFile = config.get('logfile');
  const destination = openLogDestination(logFile);
  const logger = pino({ level, base: { pid: process.pid } }, destination);
  /** Exits once the last log lines are written, or after a second without them. */
  const exit = (code: number): void => destination.end(LOG_FLUSH_TIMEOUT_MS, () => process.exit(code));
  let server: Server;
  try {
    server = new Server({ config, logger, configFile, users });
  } catch (err) {
    // The ACL users (config file `user` lines, aclfile) are loaded with the server.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (reddish ${REDDISH_VERSION}) ***\n${err.param}: ${err.reason}\n`);
    process.exit(1);
  }
  logger.info({ version: REDDISH_VERSION, redisVersion: REDIS_VERSION, node: process.version }, 'reddish is starting');
  const requestedClients = Number(values.maxclients ?? config.get('maxclients'));
  if (requestedClients > config.get('maxclients')) {
    logger.warn(
      { requested: requestedClients, maxclients: config.get('maxclients') },
      "maxclients has been reduced to fit the open files limit; if you need more clients, raise 'ulimit -n'",
    );
  }

  // Before listening: until a handler is installed, SIGTERM kills the
  // process outright, and a supervisor may send it as soon as it sees the
  // "ready" line.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    logger.info({ signal }, 'received signal, shutting down');
    // prepareForShutdown: the final save when save points are set; a failed one keeps the server running.
    if (!server.snapshots.saveForShutdown(false, false, false)) {
      logger.warn(`${signal} received but errors trying to shut down the server, check the logs for more information`);
      return;
    }
    stopping = true;
    void server.close().then(() => {
      logger.info('bye');
      exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    server.loadAppendOnlyFile();
  } catch (err) {
    logger.fatal({ err }, 'could not load the data on disk');
    exit(1);
    return;
  }
  try {
    await server.listen(config.get('port'), listenAddresses(config.get('bind')));
  } catch (err) {
    logger.fatal({ err }, 'could not listen');
    exit(1);
    return;
  }

  server.on('shutdown', () => {
    logger.info('bye');
    exit(0);
  });

  // loadDataFromDisk: after listening, so clients connecting meanwhile get -LOADING.
  try {
    await server.loadDataFromDisk();
  } catch (err) {
    if (err instanceof RdbLoadError) {
      for (const line of err.logLines) logger.warn(line);
      logger.warn('Terminating server after rdb file reading failure.');
    } else {
      logger.warn(`Fatal error loading the DB: ${(err as Error).message}. Exiting.`);
    }
    exit(1);
  }
}

void main(process.argv.slice(2));
