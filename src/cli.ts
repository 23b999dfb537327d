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
import { Config, findParam, parseParamValue, type ConfigValue } from './config.js';
import { splitInlineArgs } from './protocol/inline.js';
import { Server } from './server/server.js';
import { openLogDestination } from './log-destination.js';
import { REDDISH_VERSION, REDIS_VERSION } from './version.js';

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

/** Thrown for a config error; `line` and `text` locate it like redis-server does. */
class ConfigError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly line: number,
    readonly text: string,
  ) {
    super(message);
  }
}

/** Parses redis.conf text into validated values; throws ConfigError. */
export function parseConfigText(source: string, content: string): Record<string, ConfigValue> {
  const values: Record<string, ConfigValue> = {};
  const lines = content.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const args = splitInlineArgs(line);
    if (args === null) throw new ConfigError('Unbalanced quotes in configuration line', source, n + 1, line);
    if (args.length === 0) continue;
    const spec = findParam(args[0]!);
    if (!spec || args.length < 2) {
      throw new ConfigError('Bad directive or wrong number of arguments', source, n + 1, line);
    }
    const parsed = parseParamValue(spec, args.slice(1).join(' '));
    if ('error' in parsed) throw new ConfigError(parsed.error, source, n + 1, line);
    values[spec.name] = parsed.value;
  }
  return values;
}

/** Turns `--port 7777 --save "" --bind a b` into config lines, as redis-server does. */
export function argvToConfigText(args: readonly string[]): string {
  const lines: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('--')) {
      lines.push(arg.slice(2));
    } else if (lines.length === 0) {
      throw new ConfigError(`Invalid argument '${arg}': options must start with --`, 'command line', 0, arg);
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
  let values: Record<string, ConfigValue> = {};
  try {
    if (args.length > 0 && !args[0]!.startsWith('--')) {
      configFile = args.shift()!;
      values = parseConfigText(configFile, readFileSync(configFile, 'latin1'));
    }
    Object.assign(values, parseConfigText('command line', argvToConfigText(args)));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `\n*** FATAL CONFIG FILE ERROR (reddish ${REDDISH_VERSION}) ***\n` +
          `Reading the configuration file, at line ${err.line} (${err.source})\n` +
          `>>> '${err.text}'\n${err.message}\n`,
      );
    } else {
      process.stderr.write(`Fatal error, can't open config file '${configFile}': ${(err as Error).message}\n`);
    }
    process.exit(1);
  }

  const config = new Config(values);
  const level = { debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn', nothing: 'silent' }[
    config.getString('loglevel')
  ]!;
  const logFile = config.getString('logfile');
  const destination = openLogDestination(logFile);
  const logger = pino({ level, base: { pid: process.pid } }, destination);
  /** Exits once the last log lines are written, or after a second without them. */
  const exit = (code: number): void => destination.end(LOG_FLUSH_TIMEOUT_MS, () => process.exit(code));
  const server = new Server({ config, logger, configFile });
  logger.info({ version: REDDISH_VERSION, redisVersion: REDIS_VERSION, node: process.version }, 'reddish is starting');

  const bind = config.getString('bind').split(' ').filter((a) => a !== '')[0] ?? '127.0.0.1';
  try {
    await server.listen(config.getNumber('port'), bind.replace(/^-/, ''));
  } catch (err) {
    logger.fatal({ err }, 'could not listen');
    exit(1);
    return;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'received signal, shutting down');
    void server.close().then(() => {
      logger.info('bye');
      exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('shutdown', () => {
    logger.info('bye');
    exit(0);
  });
}

void main(process.argv.slice(2));
